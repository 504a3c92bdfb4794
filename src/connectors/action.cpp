#include "connectors/action.h"

#include <algorithm>
#include <random>

namespace provisio::connectors {

Decision DecideAction(ErrorClass c, std::optional<std::chrono::milliseconds> retry_after) {
  switch (c) {
    case ErrorClass::kRetryable:
    case ErrorClass::kRateLimited:
      return {Action::kRetry, retry_after};
    case ErrorClass::kStale:
      // The executor already re-read and tried once more; the next attempt re-reads again.
      // Bounded by max_attempts like any retry, so a target that always answers 412 ends in
      // the dead letters instead of looping.
      return {Action::kRetry, retry_after};
    case ErrorClass::kConflict:  // the next attempt finds and adopts what exists
    case ErrorClass::kNotFound:  // the link is stale; the planner recreates or forgets it
    case ErrorClass::kInvalid:   // this item's data is wrong; others may be fine
      return {Action::kSkip, std::nullopt};
    case ErrorClass::kAuth:
    case ErrorClass::kFatal:
      return {Action::kStop, std::nullopt};
  }
  return {Action::kStop, std::nullopt};
}

Decision DecideAction(const Error& error) {
  return DecideAction(ClassOf(error), RetryAfterOf(error));
}

std::chrono::milliseconds Backoff(int64_t retries, std::chrono::milliseconds base,
                                  std::chrono::milliseconds cap) {
  auto full = std::min(cap, base * (int64_t{1} << std::clamp<int64_t>(retries, 0, 16)));
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::chrono::milliseconds(
      std::uniform_int_distribution<int64_t>(full.count() / 2, full.count())(rng));
}

}  // namespace provisio::connectors
