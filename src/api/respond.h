// Rendering results: JSON bodies, and errors whose precise code (details "reason") becomes
// the body's "code".
#pragma once

#include <boost/json/value.hpp>

#include "core/error.h"
#include "http/response.h"

namespace provisio::api {

http::Response ErrorResponse(const Error& error);
http::Response JsonResponse(int status, const boost::json::value& body);

}  // namespace provisio::api
