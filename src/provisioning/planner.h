// The planner: pure. From what the account should be (desired state) and what was last
// pushed (the account link), decide the one action that makes the target right. Tested
// with values alone; the executor carries the plan out through a connector.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "store/account_link_store.h"

namespace provisio::provisioning {

enum class DeprovisionAction { kDisable, kDelete, kNone };
std::optional<DeprovisionAction> ParseDeprovisionAction(std::string_view s);
std::string_view ToString(DeprovisionAction a);

// What the account should be, computed from the user, the assignments and the mappings.
struct Desired {
  bool in_scope = false;  // assigned (directly or through groups) and within the scoping filter
  boost::json::object object;  // the target representation (when in scope)
  std::string hash;            // DesiredStateHash(object)
  boost::json::object user;    // the portal user it was computed from (empty when deleted)
};

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

// `full`: a full sync, which also checks accounts that look unchanged.
Plan PlanAccount(const Desired& desired, const std::optional<store::AccountLinkRow>& link,
                 DeprovisionAction deprovision, bool full);

}  // namespace provisio::provisioning
