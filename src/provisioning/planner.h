// The planner: pure. From what the account should be (desired state) and what was last
// pushed (the account link), decide the one action that makes the target right. Tested
// with values alone; the executor carries the plan out through a connector.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/mapping.h"
#include "mapping/path.h"
#include "store/account_link_store.h"

namespace provisio::provisioning {

enum class DeprovisionAction { kDisable, kDelete, kNone };
std::optional<DeprovisionAction> ParseDeprovisionAction(std::string_view s);
std::string_view ToString(DeprovisionAction a);

// What the account should be, computed from the user, the assignments and the mappings.
struct Desired {
  bool in_scope = false;       // assigned and within the scoping filter
  boost::json::object object;  // the target representation (when in scope)
  std::string hash;            // DesiredStateHash(object)
  boost::json::object user;    // the portal user it was computed from (empty when deleted)
  // The entitlements the user's assignments select (direct and through groups), sorted:
  // the connector grants them (a Salesforce profile and role, a Google org unit) and revokes
  // those granted before and no longer selected. Part of the hash, so a change of selection
  // alone is an update.
  std::vector<std::string> entitlements;
  bool assigned = false;  // assigned, directly or through a group (nested groups included)
};

// What a link records as pushed: the target object, plus the granted entitlements under
// this key when there are any (no attribute of any target starts with '$').
inline constexpr std::string_view kGrantedKey = "$entitlements";
// Appended to the desired hash of an account pushed without its manager, whose own account did
// not exist yet (Engine::ResolveManager): the hash differs from the plain one, so a sync or the
// manager's new account brings the account back to add its manager.
inline constexpr std::string_view kManagerPending = "|manager-pending";
// Where an application's target holds a user's manager, and what stands for her there. The
// template's default mappings put the manager's portal id at `path`; the engine replaces it
// with the manager's own account in the target: its id there (no `by`), or the value of the
// attribute `by` of what was pushed for her (Google names a manager by address). Both parsed
// once, when the application's context is built.
struct ManagerReference {
  mapping::AttributePath path;
  std::optional<mapping::AttributePath> by;
};
// scim2: the enterprise extension's manager.value, by id; salesforce: ManagerId, by id;
// google-workspace: relations[type eq "manager"].value, by primaryEmail; nullopt otherwise.
std::optional<ManagerReference> ManagerReferenceFor(std::string_view template_id);
// The string at the reference's path in `object` ("" when there is none).
std::string ManagerIn(const ManagerReference& ref, const boost::json::object& object);
// What stands for the manager whose account link is `link` (active), or "" when the link does
// not hold it.
std::string ManagerValue(const ManagerReference& ref, const store::AccountLinkRow& link);
// Whether `mappings` write the reference's attribute.
bool MapsManager(const ManagerReference& ref, const mapping::CompiledMappings& mappings);
// Makes `object` clear the manager in the target: the attribute null (SCIM's manager, Salesforce's
// ManagerId), or for a value path its element removed (Google's relations, [] when none is left).
void ClearManager(const ManagerReference& ref, boost::json::object& object);
// What an update of an account whose target state is `current` sends: `desired.object`, with
// the manager cleared when the user has none any more (none named, none waiting for her
// account) and `current` names one. Without a reference, `desired.object` as it is.
boost::json::object ToSend(const std::optional<ManagerReference>& ref, const Desired& desired,
                           const boost::json::object& current);
// True when the account `after` stands for its user as a manager differently from `before`
// (both active): another target id, or another value of the attribute the reference names
// her by. A first account is not a change (the reports waiting for it are queued elsewhere).
bool ManagerIdentityChanged(const ManagerReference& ref,
                            const std::optional<store::AccountLinkRow>& before,
                            const store::AccountLinkRow& after);
// Gives `object` (the attributes a create sends, mapped again with the create-only mappings)
// the manager of `desired` as resolved, or none when `desired` has none.
void TakeManagerFrom(const ManagerReference& ref, const boost::json::object& desired,
                     boost::json::object& object);
boost::json::object PushedObject(const boost::json::object& object,
                                 const std::vector<std::string>& entitlements);
// The hash of a desired state: DesiredStateHash of its PushedObject.
std::string DesiredHash(const boost::json::object& object,
                        const std::vector<std::string>& entitlements);
// A link's recorded representation split back into the target object and what was granted.
struct Pushed {
  boost::json::object object;
  std::vector<std::string> entitlements;
};
Pushed SplitPushed(std::string_view recorded);

enum class Action {
  kNone,    // nothing to do
  kCreate,  // find by the matching attribute; link when found, else create
  kUpdate,  // push the difference between what was last pushed and what is desired
  kVerify,  // full sync: read the target and update only if it drifted
  kDisable,
  kDelete,
  kUnlink,  // out of scope with deprovisioning "none": forget the link, leave the account
};
std::string_view ToString(Action a);

struct Plan {
  Action action = Action::kNone;
  std::string reason;  // why, for the provisioning log and on-demand steps
};

// The value of a (possibly dotted) attribute of the desired object ("userName",
// "name.familyName"), which the executor looks the account up by before creating it.
std::optional<std::string> MatchingValue(const boost::json::object& desired,
                                         std::string_view attribute);

// True when every attribute the desired object names holds the same value in the account as
// the target returned it (a full sync's drift check).
bool AccountAgrees(const boost::json::object& desired, const boost::json::object& account);

// `full`: a full sync, which also checks accounts that look unchanged.
Plan PlanAccount(const Desired& desired, const std::optional<store::AccountLinkRow>& link,
                 DeprovisionAction deprovision, bool full);

}  // namespace provisio::provisioning
