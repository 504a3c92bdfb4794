#include "provisioning/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace provisio::provisioning {

using std::chrono::microseconds;

RateLimits ParseRateLimits(const boost::json::object& settings) {
  auto number = [&](std::string_view key) -> double {
    const auto* v = settings.if_contains(key);
    if (v == nullptr) return 0;
    if (v->is_int64()) return static_cast<double>(v->get_int64());
    if (v->is_uint64()) return static_cast<double>(v->get_uint64());
    if (v->is_double()) return v->get_double();
    return 0;
  };
  RateLimits l;
  l.per_second = std::max(0.0, number("rate_limit_per_second"));
  l.burst = static_cast<int>(std::clamp(number("rate_limit_burst"), 0.0, 1e6));
  l.concurrency = static_cast<int>(std::clamp(number("concurrency"), 0.0, 1e6));
  return l;
}

RateLimiter::RateLimiter(const Clock& clock, RateLimits limits) : clock_(clock), limits_(limits) {}

void RateLimiter::Configure(const RateLimits& limits) {
  {
    std::lock_guard lock(mu_);
    limits_ = limits;
  }
  slot_cv_.notify_all();  // a raised cap lets waiters in
}

RateLimits RateLimiter::limits() const {
  std::lock_guard lock(mu_);
  return limits_;
}

microseconds RateLimiter::Interval() const {
  if (limits_.per_second <= 0) return microseconds(0);
  return microseconds(static_cast<int64_t>(std::ceil(1e6 / limits_.per_second)));
}

microseconds RateLimiter::Tolerance() const {
  int burst = limits_.burst > 0 ? limits_.burst
                                : std::max(1, static_cast<int>(std::floor(limits_.per_second)));
  return Interval() * (burst - 1);
}

RateLimiter::Turn RateLimiter::Take(microseconds max_wait) {
  std::lock_guard lock(mu_);
  TimePoint now = clock_.Now();
  // The generic cell rate algorithm: a call may start once the theoretical arrival time of
  // the steady rate is no more than the burst's tolerance ahead of now.
  TimePoint tat = std::max(tat_, now);
  TimePoint allowed = std::max(tat - Tolerance(), hold_until_);
  microseconds wait = std::max(microseconds(0), allowed - now);
  if (wait > max_wait) return {false, wait};
  tat_ = std::max(tat, allowed) + Interval();
  if (Interval() == microseconds(0)) tat_ = now;
  return {true, wait};
}

void RateLimiter::Hold(TimePoint until) {
  std::lock_guard lock(mu_);
  hold_until_ = std::max(hold_until_, until);
  // Empty at the end of the hold: tokens come back at the rate from then on.
  tat_ = std::max(tat_, hold_until_ + Tolerance());
}

std::optional<TimePoint> RateLimiter::held_until() const {
  std::lock_guard lock(mu_);
  if (hold_until_ <= clock_.Now()) return std::nullopt;
  return hold_until_;
}

bool RateLimiter::Enter(microseconds max_wait) {
  std::unique_lock lock(mu_);
  auto free = [&] { return limits_.concurrency <= 0 || in_flight_ < limits_.concurrency; };
  if (!slot_cv_.wait_for(lock, max_wait, free)) return false;
  ++in_flight_;
  return true;
}

void RateLimiter::Leave() {
  {
    std::lock_guard lock(mu_);
    --in_flight_;
  }
  slot_cv_.notify_one();
}

int RateLimiter::in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_;
}

}  // namespace provisio::provisioning
