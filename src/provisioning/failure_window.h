// When "most calls fail for a sustained period": the engine quarantines an application whose
// calls to its target have nearly all failed for minutes (a target that keeps answering 5xx or
// timing out), and QuarantineProbe lifts it when the target answers again.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

#include "core/clock.h"

namespace provisio::provisioning {

struct FailureWindow {
  std::chrono::seconds span{60};        // the share failing is taken over the last minute
  size_t max_calls = 500;               // ... or its last calls, when there were more
  size_t min_calls = 10;                // fewer calls than this say nothing
  double failing = 0.9;                 // "most": at least this share failed
  std::chrono::seconds sustained{180};  // for at least this long without a break
};

class FailureWatch {
 public:
  explicit FailureWatch(FailureWindow window = {}) : window_(window) {}
  // Records one call's outcome; true once calls have been mostly failing for `sustained`.
  bool Record(TimePoint now, bool ok);
  void Reset();

 private:
  FailureWindow window_;
  std::deque<std::pair<TimePoint, bool>> calls_;
  size_t failed_ = 0;
  std::optional<TimePoint> failing_since_;
};

}  // namespace provisio::provisioning
