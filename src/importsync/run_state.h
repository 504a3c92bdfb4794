// An import run's state machine and its counters. queued → running → succeeded | failed;
// a running run found at start-up (the process died) stays running and resumes from its
// last committed page.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace provisio::importsync {

enum class RunState { kQueued, kRunning, kSucceeded, kFailed };

std::string_view ToString(RunState s);
bool ParseRunState(std::string_view text, RunState* out);
// The transitions a run may take; everything else is a bug.
bool CanTransition(RunState from, RunState to);
inline bool IsFinal(RunState s) { return s == RunState::kSucceeded || s == RunState::kFailed; }

struct Counts {
  int64_t read = 0;
  int64_t created = 0;
  int64_t updated = 0;
  int64_t linked = 0;
  int64_t unchanged = 0;
  int64_t held = 0;
  int64_t skipped = 0;
  int64_t failed = 0;
  int64_t gone = 0;      // linked accounts the full listing no longer returned
  int64_t disabled = 0;  // of those, portal users disabled
  int64_t unlinked = 0;  // of those, links removed
  int64_t groups_read = 0;
  int64_t groups_created = 0;
  int64_t groups_updated = 0;
  int64_t entitlements = 0;
  int64_t managers = 0;  // managers set after their report was read, once hers was imported

  boost::json::object ToJson() const;
  static Counts FromJson(const boost::json::object& o);
};

// The first `max` per-record errors of a run; later ones are counted, not kept.
void AppendError(boost::json::array& errors, size_t max, std::string_view source_id,
                 std::string_view message);

}  // namespace provisio::importsync
