#include "scim/errors.h"

#include <boost/json/array.hpp>
#include <string>

namespace provisio::scim {

std::string_view ScimTypeFor(Code code) {
  switch (code) {
    case Code::kInvalidFilter:
      return "invalidFilter";
    case Code::kInvalidSyntax:
      return "invalidSyntax";
    case Code::kInvalidPath:
      return "invalidPath";
    case Code::kInvalidValue:
      return "invalidValue";
    case Code::kNoTarget:
      return "noTarget";
    case Code::kMutability:
      return "mutability";
    case Code::kTooMany:
      return "tooMany";
    case Code::kInvalidVersion:
      return "invalidVers";
    case Code::kUniqueness:
      return "uniqueness";
    default:
      return "";
  }
}

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
    case Code::kInvalidSyntax:
    case Code::kInvalidFilter:
    case Code::kInvalidPath:
    case Code::kInvalidValue:
    case Code::kNoTarget:
    case Code::kMutability:
    case Code::kTooMany:
    case Code::kInvalidVersion:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kMethodNotAllowed:
      return 405;
    case Code::kTimeout:
      return 408;
    case Code::kConflict:
    case Code::kUniqueness:
      return 409;
    case Code::kPreconditionFailed:
      return 412;
    case Code::kPayloadTooLarge:
      return 413;
    case Code::kRateLimited:
      return 429;
    case Code::kInternal:
      return 500;
    case Code::kNotImplemented:
      return 501;
    case Code::kUnavailable:
      return 503;
  }
  return 500;
}

boost::json::object ScimErrorBody(int status, std::string_view scim_type, std::string_view detail) {
  boost::json::object body;
  body["schemas"] = boost::json::array{boost::json::string(kErrorSchema)};
  body["status"] = std::to_string(status);
  if (!scim_type.empty()) body["scimType"] = scim_type;
  body["detail"] = detail;
  return body;
}

boost::json::object ScimErrorBody(const Error& error) {
  return ScimErrorBody(HttpStatusFor(error.code()), ScimTypeFor(error.code()), error.message());
}

}  // namespace provisio::scim
