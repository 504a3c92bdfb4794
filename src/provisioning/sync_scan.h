// The desired state of an account, and the set-based pass over a whole application that
// incremental syncs and dry runs use: users, their groups and the application's links read a
// page at a time (one query each per page), every pair planned by the same code the workers
// use (DesiredFor and PlanAccount), so "what should change" has one definition.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "directory/directory.h"
#include "provisioning/app_context.h"
#include "provisioning/planner.h"
#include "store/store.h"

namespace provisio::provisioning {

// What the account of `user` (the portal user as Directory::GetUser reads it, groups
// included) should be in the application: scope from the assignments (direct, or through an
// assigned group the user is in, nested groups included) and the scoping filter, the
// target object from the mappings, the entitlements the assignments select, and their hash.
Result<Desired> DesiredFor(const AppContext& ctx, boost::json::object user);

// One (application, user) pair as the pass sees it.
struct PairPlan {
  std::string user_id;
  Desired desired;  // user empty when the user is gone from the directory
  std::optional<store::AccountLinkRow> link;
  Plan plan;
};

// Plans every user pair of the application: each directory user assigned to it or linked,
// and each link whose user is gone. Reads a page of `page` users, their groups and the links
// in the same id range with one query each (the next page on another thread while this one
// is planned; `visit` is called on the caller's thread), so memory stays bounded by two
// pages. `full` is passed to PlanAccount.
Status PlanApplication(store::Store& store, const directory::Directory& directory,
                       const AppContext& ctx, bool full,
                       const std::function<Status(PairPlan&)>& visit, size_t page = 512);

// An incremental sync: enqueues the user pairs whose plan is not "nothing to do" (created,
// updated, enabled, disabled, deleted or unlinked) and that have no work item yet (items
// queued, backing off or dead stay as they are). Returns {pairs looked at, items added}.
struct ChangedPairs {
  int64_t pairs = 0;
  int64_t enqueued = 0;
};
Result<ChangedPairs> EnqueueChangedPairs(store::Store& store, const directory::Directory& directory,
                                         const AppContext& ctx, TimePoint now, size_t page = 512);

// A full sync: the pairs that differ are queued as by EnqueueChangedPairs (mode "full", which
// also brings dead items back), and the accounts that look unchanged are checked against the
// target's listing instead of one read each: the connector's users are paged through once,
// each listed account compared with what its link says was pushed (AccountAgrees, the
// workers' drift check), and only the accounts that drifted, and those the listing did not
// show (gone from the target), are queued "full" for a worker to read and repair. A connector
// without a listing, or a listing that fails, leaves every unchecked account to its worker.
// The accounts to check are held by target id while the listing is read (target id, user id
// and the pushed object of each).
struct FullSync {
  int64_t pairs = 0;
  int64_t enqueued = 0;  // items marked: changed pairs, drifted and unlisted accounts
  int64_t listed = 0;    // accounts the listing returned
  int64_t drifted = 0;   // listed accounts that differ from what was pushed
  int64_t unlisted = 0;  // accounts to check that the listing did not return
  bool listing = false;  // the check used the target's listing
  std::string listing_error;
};
Result<FullSync> EnqueueFullSync(store::Store& store, const directory::Directory& directory,
                                 const AppContext& ctx, TimePoint now, size_t page = 512);

}  // namespace provisio::provisioning
