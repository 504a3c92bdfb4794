// One application's budget for calls to its target: a token bucket (a rate with a burst), a
// cap on calls in flight, and a hold while the target has asked us to wait (429 with
// Retry-After). Shared by every worker of one node; the wait arithmetic reads the injected
// Clock so it is tested without sleeping.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "core/clock.h"

namespace provisio::provisioning {

struct RateLimits {
  double per_second = 0;  // calls per second on average; 0: no rate limit
  int burst = 0;          // calls allowed at once after a quiet spell; 0: max(1, per_second)
  int concurrency = 0;    // calls in flight at once; 0: no cap
  bool operator==(const RateLimits&) const = default;
};

// From an application's settings: rate_limit_per_second (number), rate_limit_burst and
// concurrency (integers); absent or 0 means no limit.
RateLimits ParseRateLimits(const boost::json::object& settings);

class RateLimiter {
 public:
  explicit RateLimiter(const Clock& clock, RateLimits limits = {});

  // New limits (an application's settings changed); what was used so far stays used.
  void Configure(const RateLimits& limits);
  RateLimits limits() const;

  // A call's turn. When it comes within `max_wait` the token is taken and `granted` is set;
  // the caller waits `wait`, then calls. Otherwise nothing is taken and `wait` says how long
  // until a token would be free, for the caller to come back then.
  struct Turn {
    bool granted = false;
    std::chrono::microseconds wait{0};
  };
  Turn Take(std::chrono::microseconds max_wait);

  // The target asked us to wait until `until`: no turn starts before then, and the bucket is
  // empty at that time (it refills at the rate, so the calls do not all resume at once).
  void Hold(TimePoint until);
  std::optional<TimePoint> held_until() const;

  // The concurrency cap. Enter blocks (real time, at most `max_wait`) for a free slot and
  // says whether it got one; every successful Enter is paired with a Leave.
  bool Enter(std::chrono::microseconds max_wait);
  void Leave();
  int in_flight() const;

 private:
  std::chrono::microseconds Interval() const;   // between tokens at the rate
  std::chrono::microseconds Tolerance() const;  // how far ahead a burst may run

  const Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable slot_cv_;
  RateLimits limits_;
  TimePoint tat_{};  // the theoretical arrival time of the next call at the steady rate (GCRA)
  TimePoint hold_until_{};
  int in_flight_ = 0;
};

}  // namespace provisio::provisioning
