// Assignments of users and groups to an application, with the entitlements (roles,
// profiles, licences) selected for them there.
#pragma once

#include <boost/json/object.hpp>

#include "apps/input.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace provisio::apps {

inline constexpr size_t kMaxEntitlements = 100;

// {"user_id"} or {"group_id"}, optional "entitlements":[ids]; the user or group must exist,
// and every selected entitlement must be one the application has (store entitlements(),
// filled by Import/Sync): 400 unknown_entitlement naming the first that is not.
Result<store::AssignmentRow> NewAssignment(const Input& body, std::string_view application_id,
                                           store::Store& store, store::Transaction& tx,
                                           TimePoint now);

// Only the entitlements of an assignment change (checked as above); whom it assigns does not.
Result<store::AssignmentRow> UpdatedAssignment(const store::AssignmentRow& current,
                                               const Input& body, store::Store& store,
                                               TimePoint now);

boost::json::object AssignmentJson(const store::AssignmentRow& assignment);

}  // namespace provisio::apps
