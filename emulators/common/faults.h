// Fault injection for emulators, from a --faults SPEC such as
//   500:0.05,429:0.05:retry-after=1,timeout:0.01:after=10s,latency:5ms
// Each comma-separated rule is KIND:ARG[:key=value...]. An HTTP status with a probability
// answers that status; `timeout` with a probability holds the request (default 10 s) so the
// client's timeout fires; `latency` adds a fixed delay to every request. One uniform draw per
// request picks at most one failing rule; a seeded generator makes runs repeat.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace provisio::emulators {

struct FaultRule {
  enum class Kind { kStatus, kTimeout, kLatency };
  Kind kind = Kind::kStatus;
  int status = 0;                          // kStatus
  double probability = 0;                  // kStatus, kTimeout
  std::chrono::milliseconds delay{0};      // kLatency: added; kTimeout: held for
  std::optional<int> retry_after_seconds;  // kStatus: a Retry-After header
};

// kInvalidArgument naming the bad rule.
Result<std::vector<FaultRule>> ParseFaults(std::string_view spec);
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);  // "5ms", "2s", "250"

struct FaultOutcome {
  std::chrono::milliseconds delay{0};  // sleep this long first
  int status = 0;                      // 0: serve normally
  std::optional<int> retry_after_seconds;
};

class FaultInjector {
 public:
  FaultInjector(std::vector<FaultRule> rules, uint64_t seed)
      : rules_(std::move(rules)), rng_(seed) {}
  // Thread-safe; the sequence of outcomes is fixed by the seed.
  FaultOutcome Next();
  bool empty() const { return rules_.empty(); }

 private:
  std::vector<FaultRule> rules_;
  std::mutex mu_;
  std::mt19937_64 rng_;
};

}  // namespace provisio::emulators
