#include "importsync/run_state.h"

#include "core/json.h"

namespace provisio::importsync {
namespace {

// clang-format off
#define PROVISIO_COUNTS(X)                                                         \
  X(read) X(created) X(updated) X(linked) X(unchanged) X(held) X(skipped)          \
  X(failed) X(gone) X(disabled) X(unlinked) X(groups_read) X(groups_created)       \
  X(groups_updated) X(entitlements) X(managers)
// clang-format on

}  // namespace

std::string_view ToString(RunState s) {
  switch (s) {
    case RunState::kQueued:
      return "queued";
    case RunState::kRunning:
      return "running";
    case RunState::kSucceeded:
      return "succeeded";
    case RunState::kFailed:
      return "failed";
  }
  return "failed";
}

bool ParseRunState(std::string_view text, RunState* out) {
  for (RunState s :
       {RunState::kQueued, RunState::kRunning, RunState::kSucceeded, RunState::kFailed}) {
    if (ToString(s) == text) {
      *out = s;
      return true;
    }
  }
  return false;
}

bool CanTransition(RunState from, RunState to) {
  switch (from) {
    case RunState::kQueued:
      return to == RunState::kRunning || to == RunState::kFailed;
    case RunState::kRunning:
      return to == RunState::kRunning || to == RunState::kSucceeded || to == RunState::kFailed;
    case RunState::kSucceeded:
    case RunState::kFailed:
      return false;
  }
  return false;
}

boost::json::object Counts::ToJson() const {
  boost::json::object o;
#define PROVISIO_TO_JSON(f) o[#f] = f;
  PROVISIO_COUNTS(PROVISIO_TO_JSON)
#undef PROVISIO_TO_JSON
  return o;
}

Counts Counts::FromJson(const boost::json::object& o) {
  Counts c;
#define PROVISIO_FROM_JSON(f) c.f = json::GetInt(o, #f).value_or(0);
  PROVISIO_COUNTS(PROVISIO_FROM_JSON)
#undef PROVISIO_FROM_JSON
  return c;
}

void AppendError(boost::json::array& errors, size_t max, std::string_view source_id,
                 std::string_view message) {
  if (errors.size() >= max) return;
  errors.push_back(boost::json::object{{"source_id", source_id}, {"message", message}});
}

}  // namespace provisio::importsync
