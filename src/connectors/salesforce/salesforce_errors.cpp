#include "connectors/salesforce/salesforce_errors.h"

#include <array>

#include "core/json.h"

namespace provisio::connectors::salesforce {
namespace {

using namespace std::chrono_literals;

struct CodeClass {
  std::string_view code;
  ErrorClass cls;
};

// errorCode (REST), statusCode (collections) and OAuth `error` values.
constexpr std::array kCodes{
    CodeClass{"DUPLICATE_USERNAME", ErrorClass::kConflict},
    CodeClass{"DUPLICATE_VALUE", ErrorClass::kConflict},
    CodeClass{"DUPLICATE_EXTERNAL_ID", ErrorClass::kConflict},
    CodeClass{"DUPLICATES_DETECTED", ErrorClass::kConflict},
    CodeClass{"INVALID_SESSION_ID", ErrorClass::kAuth},
    CodeClass{"INSUFFICIENT_ACCESS", ErrorClass::kAuth},
    CodeClass{"INSUFFICIENT_ACCESS_OR_READONLY", ErrorClass::kAuth},
    CodeClass{"INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", ErrorClass::kAuth},
    CodeClass{"API_DISABLED_FOR_ORG", ErrorClass::kAuth},
    CodeClass{"API_CURRENTLY_DISABLED", ErrorClass::kAuth},
    CodeClass{"REQUEST_LIMIT_EXCEEDED", ErrorClass::kRateLimited},
    CodeClass{"rate_limit_exceeded", ErrorClass::kRateLimited},
    CodeClass{"NOT_FOUND", ErrorClass::kNotFound},
    CodeClass{"ENTITY_IS_DELETED", ErrorClass::kNotFound},
    CodeClass{"UNABLE_TO_LOCK_ROW", ErrorClass::kRetryable},
    CodeClass{"SERVER_UNAVAILABLE", ErrorClass::kRetryable},
    CodeClass{"UNKNOWN_EXCEPTION", ErrorClass::kRetryable},
    CodeClass{"server_error", ErrorClass::kRetryable},
    CodeClass{"temporarily_unavailable", ErrorClass::kRetryable},
    // Whole-batch rollbacks: the record itself was fine; resend it without the bad ones.
    CodeClass{"ALL_OR_NONE_OPERATION_ROLLED_BACK", ErrorClass::kRetryable},
    CodeClass{"METHOD_NOT_ALLOWED", ErrorClass::kFatal},
    CodeClass{"INVALID_QUERY_LOCATOR", ErrorClass::kInvalid},
};

}  // namespace

ErrorClass ClassOfSalesforceCode(int status, std::string_view code) {
  for (const auto& c : kCodes) {
    if (c.code == code) return c.cls;
  }
  if (status == 429) return ErrorClass::kRateLimited;
  if (status >= 500 || status == 408) return ErrorClass::kRetryable;
  if (status == 401 || status == 403) return ErrorClass::kAuth;
  if (status == 404) return ErrorClass::kNotFound;
  if (status == 412) return ErrorClass::kStale;
  if (status == 409) return ErrorClass::kConflict;
  // Field and request errors (REQUIRED_FIELD_MISSING, INVALID_FIELD, STRING_TOO_LONG,
  // MALFORMED_ID, INVALID_CROSS_REFERENCE_KEY, ...): the data is wrong, skip the item.
  if (status == 0 || (status >= 400 && status < 500)) return ErrorClass::kInvalid;
  return ErrorClass::kFatal;
}

Error ClassifySalesforceResponse(const http::HttpResponse& response, std::string_view what,
                                 TimePoint now) {
  std::string code;
  std::string detail;
  bool oauth = false;
  if (auto body = json::Parse(response.body); body.ok()) {
    if (body->is_array() && !body->as_array().empty() && body->as_array()[0].is_object()) {
      const auto& first = body->as_array()[0].as_object();
      code = std::string(json::GetString(first, "errorCode").value_or(""));
      detail = std::string(json::GetString(first, "message").value_or(""));
    } else if (body->is_object()) {
      oauth = true;
      code = std::string(json::GetString(body->as_object(), "error").value_or(""));
      detail = std::string(json::GetString(body->as_object(), "error_description").value_or(""));
    }
  }
  int status = response.status;
  std::string message = std::string(what) + " answered " + std::to_string(status);
  if (!code.empty()) message += " " + code;
  if (!detail.empty()) message += ": " + detail.substr(0, 300);
  ErrorInfo info{status, std::nullopt};
  if (auto ra = response.Header("Retry-After")) info.retry_after = ParseRetryAfter(*ra, now);
  ErrorClass c = ClassOfSalesforceCode(status, code);
  // Token endpoint: any other refusal (invalid_grant, invalid_client, inactive_user, ...) means
  // the connection's credentials or the app's approval must be fixed.
  if (oauth && c == ErrorClass::kInvalid) c = ErrorClass::kAuth;
  // The daily allocation is a rolling 24 hours: pause long, rather than hammer it.
  if (code == "REQUEST_LIMIT_EXCEEDED" && !info.retry_after &&
      detail.find("TotalRequests") != std::string::npos) {
    info.retry_after = std::chrono::milliseconds(15min);
  }
  return ClassifiedError(c, std::move(message), info);
}

}  // namespace provisio::connectors::salesforce
