// What makes group-push work: directory changes to groups and application syncs, written
// into the work queue as (application, "group", group id) items.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace provisio::provisioning {

// The (application, group) pairs a batch of directory changes affects: a group created,
// renamed, deleted or whose members changed, in every application that has it assigned
// directly or has pushed it before.
Result<std::vector<store::WorkKey>> GroupKeysForChanges(
    store::Store& store, const std::vector<store::ChangeEvent>& events,
    const std::vector<std::string>& application_ids);

// Marks every group assigned to the application and every group it has pushed. Returns how
// many were marked.
Result<int64_t> MarkGroupsDirty(store::Store& store, store::Transaction& tx,
                                std::string_view application_id, std::string_view mode,
                                TimePoint now);

}  // namespace provisio::provisioning
