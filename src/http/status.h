// The one table that turns an error code into an HTTP status. Every HTTP-facing module
// (api/, scimserver/, the server itself) asks here; nobody keeps a second table.
#pragma once

#include "core/error.h"

namespace provisio::http {

int HttpStatus(provisio::Code code);

}  // namespace provisio::http
