#include "security/session_throttle.h"

#include <algorithm>

namespace provisio::security {
namespace {

std::string EmailKey(std::string_view email) {
  std::string k = "e:";
  for (char c : email) k.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  return k;
}

std::string AddressKey(std::string_view address) { return "a:" + std::string(address); }

}  // namespace

std::optional<std::chrono::seconds> LoginThrottle::LockedFor(const std::string& key,
                                                             TimePoint now) {
  auto it = entries_.find(key);
  if (it == entries_.end() || !it->second.locked_until) return std::nullopt;
  if (*it->second.locked_until <= now) {
    entries_.erase(it);
    return std::nullopt;
  }
  auto left = std::chrono::ceil<std::chrono::seconds>(*it->second.locked_until - now);
  return std::max(left, std::chrono::seconds(1));
}

std::optional<std::chrono::seconds> LoginThrottle::Check(std::string_view email,
                                                         std::string_view address) {
  std::lock_guard lock(mu_);
  TimePoint now = clock_.Now();
  auto by_email = LockedFor(EmailKey(email), now);
  auto by_address = LockedFor(AddressKey(address), now);
  if (by_email && by_address) return std::max(*by_email, *by_address);
  return by_email ? by_email : by_address;
}

void LoginThrottle::Fail(const std::string& key, int max_failures, TimePoint now) {
  Entry& e = entries_[key];
  if (e.failures == 0 || now - e.window_start >= policy_.window) {
    e.failures = 0;
    e.window_start = now;
  }
  if (++e.failures >= max_failures) {
    e.locked_until = now + policy_.lockout;
    e.failures = 0;
  }
}

void LoginThrottle::RecordFailure(std::string_view email, std::string_view address) {
  std::lock_guard lock(mu_);
  TimePoint now = clock_.Now();
  if (entries_.size() >= policy_.max_tracked_keys) Prune(now);
  Fail(EmailKey(email), policy_.max_failures_per_email, now);
  Fail(AddressKey(address), policy_.max_failures_per_address, now);
}

void LoginThrottle::RecordSuccess(std::string_view email) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(EmailKey(email));
  if (it != entries_.end() && !it->second.locked_until) entries_.erase(it);
}

ThrottlePolicy LoginThrottle::policy() {
  std::lock_guard lock(mu_);
  return policy_;
}

void LoginThrottle::SetPolicy(const ThrottlePolicy& policy) {
  std::lock_guard lock(mu_);
  policy_ = policy;
}

size_t LoginThrottle::TrackedKeys() {
  std::lock_guard lock(mu_);
  return entries_.size();
}

void LoginThrottle::Prune(TimePoint now) {
  std::erase_if(entries_, [&](const auto& kv) {
    const Entry& e = kv.second;
    if (e.locked_until) return *e.locked_until <= now;
    return now - e.window_start >= policy_.window;
  });
  // Still full of live entries (an attack from many sources): drop the unlocked ones.
  if (entries_.size() >= policy_.max_tracked_keys) {
    std::erase_if(entries_, [](const auto& kv) { return !kv.second.locked_until; });
  }
}

}  // namespace provisio::security
