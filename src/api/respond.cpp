#include "api/respond.h"

#include <boost/json/serialize.hpp>

#include "apps/input.h"
#include "core/json.h"
#include "http/status.h"

namespace provisio::api {

http::Response ErrorResponse(const Error& error) {
  boost::json::object body = json::ErrorBody(error);
  auto& inner = body["error"].as_object();
  if (auto* details = inner.if_contains("details"); details && details->is_object()) {
    auto& d = details->as_object();
    if (auto* reason = d.if_contains(apps::kReasonKey); reason && reason->is_string()) {
      boost::json::string code = reason->as_string();
      d.erase(apps::kReasonKey);
      if (d.empty()) inner.erase("details");
      // Last: Boost.JSON's operator[] reserves room before it looks the key up, so it may
      // move `inner`'s members (and `d` with them) even when "code" is there already.
      inner["code"] = std::move(code);
    }
  }
  http::Response r = http::Response::Json(http::HttpStatus(error.code()), body);
  if (error.code() == Code::kUnauthenticated) {
    r.SetHeader("WWW-Authenticate", "Bearer realm=\"provisio\"");
  }
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

http::Response JsonResponse(int status, const boost::json::value& body) {
  http::Response r = http::Response::Json(status, body);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace provisio::api
