// The one place a SCIM service provider's error answers become classified Errors.
#pragma once

#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "http/client.h"

namespace provisio::connectors::scim2 {

// `response` is a non-2xx answer to `what` ("POST /Users"); its SCIM error body (status,
// scimType, detail) and Retry-After header are read when present.
Error ClassifyScimResponse(const http::HttpResponse& response, std::string_view what,
                           TimePoint now);

}  // namespace provisio::connectors::scim2
