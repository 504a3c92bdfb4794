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

int HttpStatusFor(Code code) { return HttpStatusOf(code); }

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
