#include "http/status.h"

namespace provisio::http {

int HttpStatus(provisio::Code code) { return provisio::HttpStatusOf(code); }

}  // namespace provisio::http
