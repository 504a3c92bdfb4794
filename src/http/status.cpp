#include "http/status.h"

namespace provisio::http {

int HttpStatus(provisio::Code code) {
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

}  // namespace provisio::http
