// Scheduled provisioning syncs: an application's `sync_schedule` ("15m", "1h", "1d", the
// import schedule's syntax) queues a full sync of the application (every pair re-evaluated
// and each linked account read back for drift) once an interval has passed since the last
// one. When it last ran is kept in the store, so a restart or another node carries on
// where the previous one left off; the engine calls this only on the node holding the change
// feed lock, so one node schedules.
#pragma once

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

// Queues the syncs that came due at `now`, for active applications with provisioning and a
// connection. A schedule seen for the first time starts counting then (no sync at once).
Result<std::vector<ScheduledSync>> RunDueSyncs(store::Store& store, TimePoint now);

// When the application's scheduled sync last ran (or its schedule was first seen).
Result<std::optional<TimePoint>> LastScheduledSync(store::Store& store,
                                                   std::string_view application_id);

}  // namespace provisio::provisioning
