#include "core/error.h"

namespace provisio {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kInvalidSyntax:
      return "invalid_syntax";
    case Code::kInvalidFilter:
      return "invalid_filter";
    case Code::kInvalidPath:
      return "invalid_path";
    case Code::kInvalidValue:
      return "invalid_value";
    case Code::kNoTarget:
      return "no_target";
    case Code::kMutability:
      return "mutability";
    case Code::kTooMany:
      return "too_many";
    case Code::kInvalidVersion:
      return "invalid_version";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kNotFound:
      return "not_found";
    case Code::kMethodNotAllowed:
      return "method_not_allowed";
    case Code::kTimeout:
      return "timeout";
    case Code::kConflict:
      return "conflict";
    case Code::kUniqueness:
      return "uniqueness";
    case Code::kPreconditionFailed:
      return "precondition_failed";
    case Code::kPayloadTooLarge:
      return "payload_too_large";
    case Code::kRateLimited:
      return "rate_limited";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kInternal:
      return "internal";
    case Code::kNotImplemented:
      return "not_implemented";
  }
  return "internal";
}

std::string Error::ToString() const {
  std::string s(CodeName(code_));
  s += ": ";
  s += message_;
  return s;
}

}  // namespace provisio
