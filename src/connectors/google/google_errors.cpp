#include "connectors/google/google_errors.h"

#include "connectors/error_class.h"
#include "core/json.h"

namespace provisio::connectors::google {

Error ClassifyGoogleResponse(const http::HttpResponse& response, std::string_view what,
                             TimePoint now) {
  std::string reason;
  std::string detail;
  bool token_endpoint = false;
  if (auto body = json::Parse(response.body); body.ok() && body->is_object()) {
    const auto* error = body->as_object().if_contains("error");
    if (error != nullptr && error->is_object()) {  // Directory API
      const auto& e = error->as_object();
      detail = std::string(json::GetString(e, "message").value_or(""));
      if (const auto* errors = e.if_contains("errors"); errors != nullptr && errors->is_array() &&
                                                        !errors->as_array().empty() &&
                                                        errors->as_array().front().is_object()) {
        reason = std::string(
            json::GetString(errors->as_array().front().as_object(), "reason").value_or(""));
      }
    } else if (error != nullptr && error->is_string()) {  // token endpoint (RFC 6749 §5.2)
      token_endpoint = true;
      reason = std::string(error->as_string());
      detail = std::string(json::GetString(body->as_object(), "error_description").value_or(""));
    }
  }
  int status = response.status;
  std::string message = std::string(what) + " answered " + std::to_string(status);
  if (!reason.empty()) message += " " + reason;
  if (!detail.empty()) message += ": " + detail.substr(0, 300);
  ErrorInfo info{status, std::nullopt};
  if (auto ra = response.Header("Retry-After")) info.retry_after = ParseRetryAfter(*ra, now);

  ErrorClass c = ErrorClass::kFatal;
  if (status == 429 || reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" ||
      reason == "quotaExceeded") {
    c = ErrorClass::kRateLimited;
  } else if (status >= 500 || status == 408 || reason == "backendError") {
    c = ErrorClass::kRetryable;
  } else if (status == 401 || status == 403 || (token_endpoint && status >= 400)) {
    c = ErrorClass::kAuth;  // credentials, delegation, scopes, or a non-admin subject
  } else if (status == 404) {
    c = ErrorClass::kNotFound;
  } else if (status == 412) {
    c = ErrorClass::kStale;  // the etag changed meanwhile: re-read, then retry
  } else if (status == 409 || reason == "duplicate") {
    c = ErrorClass::kConflict;  // exists already: find and adopt
  } else if (status >= 400 && status < 500) {
    c = ErrorClass::kInvalid;
  }
  return ClassifiedError(c, std::move(message), info);
}

}  // namespace provisio::connectors::google
