#include "provisioning/failure_window.h"

namespace provisio::provisioning {

bool FailureWatch::Record(TimePoint now, bool ok) {
  calls_.emplace_back(now, ok);
  failed_ += ok ? 0 : 1;
  while (!calls_.empty() &&
         (now - calls_.front().first > window_.span || calls_.size() > window_.max_calls)) {
    failed_ -= calls_.front().second ? 0 : 1;
    calls_.pop_front();
  }
  bool mostly =
      calls_.size() >= window_.min_calls &&
      static_cast<double>(failed_) >= window_.failing * static_cast<double>(calls_.size());
  if (!mostly) {
    if (calls_.size() >= window_.min_calls) failing_since_.reset();  // a real break
    return false;
  }
  if (!failing_since_) {
    // Failing since the oldest failure the window still holds.
    for (const auto& [at, worked] : calls_) {
      if (!worked) {
        failing_since_ = at;
        break;
      }
    }
  }
  return now - *failing_since_ >= window_.sustained;
}

void FailureWatch::Reset() {
  calls_.clear();
  failed_ = 0;
  failing_since_.reset();
}

}  // namespace provisio::provisioning
