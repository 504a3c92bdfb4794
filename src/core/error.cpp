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

int HttpStatusOf(Code code) {
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

std::string Error::ToString() const {
  std::string s(CodeName(code_));
  s += ": ";
  s += message_;
  return s;
}

}  // namespace provisio
