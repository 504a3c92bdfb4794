// Connector errors, classified once: each connector maps what its target answers (status and
// vendor body) to one ErrorClass in a single function, so nothing above connectors/ ever
// parses a vendor error. The class rides in the Error's details ("error_class",
// "retry_after_ms", "http_status"); the Code is set to match for logs and the API.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"

namespace provisio::connectors {

enum class ErrorClass {
  kRetryable,    // transient (5xx, timeouts, resets): try again, after retry_after if given
  kConflict,     // exists already: find and adopt it
  kStale,        // our version is out of date (If-Match answered 412): re-read, then retry
  kNotFound,     // the target object is gone
  kAuth,         // credentials rejected or insufficient: stop the application
  kInvalid,      // the target refuses this request's data: fix mappings, skip the item
  kRateLimited,  // 429: slow down, honour retry_after
  kFatal,        // anything else: stop, a person must look
};

std::string_view ToString(ErrorClass c);  // "retryable", "rate_limited", ...

struct ErrorInfo {
  int http_status = 0;  // 0: no HTTP response
  std::optional<std::chrono::milliseconds> retry_after{};
};

// An Error carrying `c` (and the info) in its details.
Error ClassifiedError(ErrorClass c, std::string message, ErrorInfo info = {});

// The class an Error carries; kFatal for an Error no connector classified.
ErrorClass ClassOf(const Error& error);
std::optional<std::chrono::milliseconds> RetryAfterOf(const Error& error);
bool IsClassified(const Error& error);

// Classifies an http::Client transport failure: timeouts and connection failures are
// retryable, everything else (TLS verification, oversized responses, bad URLs) fatal.
Error ClassifyTransportError(Error error);

// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, relative to `now`;
// nullopt when malformed. A date in the past is a zero delay.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value, TimePoint now);

}  // namespace provisio::connectors
