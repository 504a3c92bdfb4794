#include "connectors/scim2/scim_errors.h"

#include "connectors/error_class.h"
#include "core/json.h"

namespace provisio::connectors::scim2 {

Error ClassifyScimResponse(const http::HttpResponse& response, std::string_view what,
                           TimePoint now) {
  std::string scim_type;
  std::string detail;
  if (auto body = json::Parse(response.body); body.ok() && body->is_object()) {
    scim_type = std::string(json::GetString(body->as_object(), "scimType").value_or(""));
    detail = std::string(json::GetString(body->as_object(), "detail").value_or(""));
  }
  int status = response.status;
  std::string message = std::string(what) + " answered " + std::to_string(status);
  if (!scim_type.empty()) message += " " + scim_type;
  if (!detail.empty()) message += ": " + detail.substr(0, 300);
  ErrorInfo info{status, std::nullopt};
  if (auto ra = response.Header("Retry-After")) info.retry_after = ParseRetryAfter(*ra, now);

  ErrorClass c = ErrorClass::kFatal;
  if (status == 429) {
    c = ErrorClass::kRateLimited;
  } else if (status == 500 || status == 502 || status == 503 || status == 504 || status == 408) {
    c = ErrorClass::kRetryable;
  } else if (status == 401 || status == 403) {
    c = ErrorClass::kAuth;
  } else if (status == 404) {
    c = ErrorClass::kNotFound;
  } else if (status == 412) {
    c = ErrorClass::kStale;  // RFC 7644 §3.14: If-Match no longer matches: re-read, retry
  } else if (status == 409 || scim_type == "uniqueness") {
    c = ErrorClass::kConflict;  // uniqueness: find and adopt
  } else if (status >= 400 && status < 500) {
    c = ErrorClass::kInvalid;
  }
  return ClassifiedError(c, std::move(message), info);
}

}  // namespace provisio::connectors::scim2
