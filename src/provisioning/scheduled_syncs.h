// Scheduled provisioning syncs: an application's `sync_schedule` ("15m", "1h", "1d", the
// import schedule's syntax) runs a full sync of the application (the engine's, as
// `POST applications/{id}/sync {"mode":"full"}` does) once an interval has passed since the
// last one. When it last ran is kept in the store, so a restart or another node carries on
// where the previous one left off; the engine calls this only on the node holding the change
// feed lock, so one node schedules.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace provisio::provisioning {

struct ScheduledSync {
  std::string application_id;
  int64_t enqueued = 0;  // pairs marked
};

// Runs `sync` (which answers the pairs it queued) for the applications whose schedule came
// due at `now`: active, with provisioning and a connection. A schedule seen for the first
// time starts counting then (no sync at once). The run is noted after the sync: a crash in
// between runs it again (a sync is level-triggered), never skips it. A sync that fails is
// logged and tried again at the next interval.
using RunSync = std::function<Result<int64_t>(const std::string& application_id)>;
Result<std::vector<ScheduledSync>> RunDueSyncs(store::Store& store, TimePoint now,
                                               const RunSync& sync);

// When the application's scheduled sync last ran (or its schedule was first seen).
Result<std::optional<TimePoint>> LastScheduledSync(store::Store& store,
                                                   std::string_view application_id);

}  // namespace provisio::provisioning
