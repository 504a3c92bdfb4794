#include "connectors/error_class.h"

#include <ctime>

#include "core/json.h"

namespace provisio::connectors {
namespace {

constexpr std::string_view kClassKey = "error_class";
constexpr std::string_view kRetryAfterKey = "retry_after_ms";

Code CodeFor(ErrorClass c) {
  switch (c) {
    case ErrorClass::kRetryable:
      return Code::kUnavailable;
    case ErrorClass::kConflict:
      return Code::kConflict;
    case ErrorClass::kStale:
      return Code::kPreconditionFailed;
    case ErrorClass::kNotFound:
      return Code::kNotFound;
    case ErrorClass::kAuth:
      return Code::kUnauthenticated;
    case ErrorClass::kInvalid:
      return Code::kInvalidArgument;
    case ErrorClass::kRateLimited:
      return Code::kRateLimited;
    case ErrorClass::kFatal:
      return Code::kInternal;
  }
  return Code::kInternal;
}

}  // namespace

std::string_view ToString(ErrorClass c) {
  switch (c) {
    case ErrorClass::kRetryable:
      return "retryable";
    case ErrorClass::kConflict:
      return "conflict";
    case ErrorClass::kStale:
      return "stale";
    case ErrorClass::kNotFound:
      return "not_found";
    case ErrorClass::kAuth:
      return "auth";
    case ErrorClass::kInvalid:
      return "invalid";
    case ErrorClass::kRateLimited:
      return "rate_limited";
    case ErrorClass::kFatal:
      return "fatal";
  }
  return "fatal";
}

Error ClassifiedError(ErrorClass c, std::string message, ErrorInfo info) {
  boost::json::object details{{kClassKey, ToString(c)}};
  if (info.http_status != 0) details["http_status"] = info.http_status;
  if (info.retry_after) details[kRetryAfterKey] = info.retry_after->count();
  return Error(CodeFor(c), std::move(message), std::move(details));
}

bool IsClassified(const Error& error) { return error.details().contains(kClassKey); }

ErrorClass ClassOf(const Error& error) {
  auto name = json::GetString(error.details(), kClassKey);
  if (!name) return ErrorClass::kFatal;
  for (ErrorClass c :
       {ErrorClass::kRetryable, ErrorClass::kConflict, ErrorClass::kStale, ErrorClass::kNotFound,
        ErrorClass::kAuth, ErrorClass::kInvalid, ErrorClass::kRateLimited}) {
    if (*name == ToString(c)) return c;
  }
  return ErrorClass::kFatal;
}

std::optional<std::chrono::milliseconds> RetryAfterOf(const Error& error) {
  auto ms = json::GetInt(error.details(), kRetryAfterKey);
  if (!ms) return std::nullopt;
  return std::chrono::milliseconds(*ms);
}

Error ClassifyTransportError(Error error) {
  if (IsClassified(error)) return error;
  ErrorClass c = ErrorClass::kFatal;
  if (error.code() == Code::kTimeout || error.code() == Code::kUnavailable) {
    c = ErrorClass::kRetryable;
  }
  Error out = ClassifiedError(c, error.message());
  for (const auto& [k, v] : error.details()) out.details()[k] = v;
  return out;
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value, TimePoint now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  bool digits = true;
  for (char ch : value) digits = digits && ch >= '0' && ch <= '9';
  if (digits) {
    if (value.size() > 9) return std::nullopt;
    return std::chrono::seconds(std::stoll(std::string(value)));
  }
  std::tm tm{};
  std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
  auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(at - now);
  return delta.count() < 0 ? std::chrono::milliseconds(0) : delta;
}

}  // namespace provisio::connectors
