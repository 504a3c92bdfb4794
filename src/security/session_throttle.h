// Sign-in throttling: repeated failures for one email or from one source address lock
// further attempts for a while (answered 429 with Retry-After). In memory, per process;
// the injected Clock lets tests move time instead of sleeping.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace provisio::security {

struct ThrottlePolicy {
  int max_failures_per_email = 5;     // within `window`, then locked for `lockout`
  int max_failures_per_address = 20;  // a wider net for one source trying many emails
  std::chrono::microseconds window = std::chrono::minutes(15);
  std::chrono::microseconds lockout = std::chrono::minutes(15);
  size_t max_tracked_keys = 100'000;  // memory bound; oldest entries are dropped first
};

class LoginThrottle {
 public:
  explicit LoginThrottle(const Clock& clock, ThrottlePolicy policy = {})
      : clock_(clock), policy_(policy) {}

  // nullopt when a sign-in may be attempted; else how long to wait (at least one second).
  std::optional<std::chrono::seconds> Check(std::string_view email, std::string_view address);
  void RecordFailure(std::string_view email, std::string_view address);
  // Clears the email's failures; the address's stay, so one valid account cannot be used
  // to reset the count of a source guessing at others.
  void RecordSuccess(std::string_view email);
  // Entries held now (email and address keys).
  size_t TrackedKeys();
  // Replaces the thresholds and lockout (security settings changed at run time). Lockouts
  // already running keep their end; counts carry on under the new threshold.
  void SetPolicy(const ThrottlePolicy& policy);
  ThrottlePolicy policy();

 private:
  struct Entry {
    int failures = 0;
    TimePoint window_start;
    std::optional<TimePoint> locked_until;
  };
  std::optional<std::chrono::seconds> LockedFor(const std::string& key, TimePoint now);
  void Fail(const std::string& key, int max_failures, TimePoint now);
  void Prune(TimePoint now);

  const Clock& clock_;
  ThrottlePolicy policy_;  // guarded by mu_
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace provisio::security
