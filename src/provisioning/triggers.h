// What makes work for the engine: directory changes, assignment changes and application
// state changes, all written into the work queue inside the caller's transaction so that
// nothing is lost between a change and its reconciliation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "mapping/mapping.h"
#include "store/store.h"

namespace provisio::provisioning {

inline constexpr std::string_view kFeedConsumer = "provisioning";

// The (application, user) pairs a batch of directory changes affects: a user change marks
// that user; a membership change marks the members added and removed (a nested group's
// own members included).
Result<std::vector<store::WorkKey>> KeysForChanges(store::Store& store,
                                                   const std::vector<store::ChangeEvent>& events,
                                                   const std::vector<std::string>& application_ids);

// Marks the users an assignment covers (a user, or every member of a group, nested groups
// included) for reconciliation in `application_id`.
Status MarkAssignmentDirty(store::Store& store, store::Transaction& tx,
                           std::string_view application_id, std::string_view principal_type,
                           std::string_view principal_id, TimePoint now);

// Marks every user assigned to the application (directly or through groups) and every user
// it has an account link for.
Result<int64_t> MarkApplicationDirty(store::Store& store, store::Transaction& tx,
                                     std::string_view application_id, std::string_view mode,
                                     TimePoint now);

// The users in an application's assignments, expanded through nested groups.
Result<std::vector<std::string>> AssignedUsers(store::Store& store, store::Transaction* tx,
                                               std::string_view application_id);

// Application state changes made by the engine, with the reason kept for the status API.
Status PauseApplication(store::Store& store, std::string_view application_id,
                        std::string_view reason, TimePoint now);
Status QuarantineApplication(store::Store& store, store::Transaction& tx,
                             std::string_view application_id, std::string_view reason,
                             TimePoint now);
Result<std::string> StateReason(store::Store& store, std::string_view application_id);

// The application's stored mappings, compiled (catalog defaults when it has none).
Result<mapping::CompiledMappings> CompileAppMappings(const store::ApplicationRow& app);

}  // namespace provisio::provisioning
