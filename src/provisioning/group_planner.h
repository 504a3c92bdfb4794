// Group push, planned: from a portal group, its assignment and the target ids of its members
// who are provisioned in the application, the target group that should exist; compared with
// what was last pushed (the group's account link), the one action and the membership diff
// that make the target right. Pure, tested with values alone; engine_groups.cpp executes.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "provisioning/planner.h"
#include "store/account_link_store.h"

namespace provisio::provisioning {

// How an application pushes groups, from its settings, its template and its connector.
struct GroupSettings {
  bool push = false;  // settings.push_groups (default: on when the connector has groups)
  enum class Vocabulary { kScim, kGoogle } vocabulary = Vocabulary::kScim;
  std::string matching_attribute;  // looked up before a create: displayName (SCIM), email
  std::string email_domain;        // Google: the domain new groups' addresses live in
  std::string member_role;         // Google: MEMBER|MANAGER|OWNER; "" the connection's default
};

// `settings`: the application's settings; `template_id`: its template; `admin_email`: the
// Google connection's admin (its domain is the default email domain); `has_groups`: the
// connector declares groups and membership.
GroupSettings ParseGroupSettings(const boost::json::object& settings, std::string_view template_id,
                                 std::string_view admin_email, bool has_groups);

// What the target group should be.
struct DesiredGroup {
  bool in_scope = false;             // the group exists and is assigned directly, push is on
  boost::json::object object;        // the target representation, without members
  std::vector<std::string> members;  // target ids of its provisioned direct user members, sorted
  std::string hash;                  // over object and members
};

// The portal group's target representation. `link`: the group's link, whose stored address
// (Google) is kept across renames, so a rename changes the name and not the address.
boost::json::object GroupObject(const GroupSettings& settings, const boost::json::object& group,
                                const std::optional<store::AccountLinkRow>& link);

// `group`: the portal group (nullptr when deleted); `member_target_ids`: the target ids of its
// direct user members that have an active account in the application.
DesiredGroup ComputeDesiredGroup(const GroupSettings& settings, const boost::json::object* group,
                                 bool assigned, std::vector<std::string> member_target_ids,
                                 const std::optional<store::AccountLinkRow>& link);

// The hash of what `desired` pushes (its object, members and the member role).
std::string GroupHash(const GroupSettings& settings, const DesiredGroup& desired);

// Whether a target group found by the matching attribute can stand for this portal group:
// SCIM, when its externalId is ours or it has none; Google, when its name is ours (a group
// found by an address made from another group's name is that other group).
bool FoundGroupFits(const GroupSettings& settings, const boost::json::object& found,
                    const boost::json::object& desired);

// Google: `desired` with the address made unique by the portal group id
// (sales-emea-1a2b3c4d@...), for when the address from the name is another group's.
boost::json::object WithUniqueAddress(const boost::json::object& desired,
                                      std::string_view group_id);

// What the link stores as `desired`: {"group": object, "members": [ids]}.
std::string LinkDesiredJson(const DesiredGroup& desired);
// The members last pushed, from a link's `desired`.
std::vector<std::string> PushedMembers(const std::optional<store::AccountLinkRow>& link);
// The group object last pushed, from a link's `desired`.
boost::json::object PushedObject(const std::optional<store::AccountLinkRow>& link);

struct GroupPlan {
  Action action = Action::kNone;  // kCreate, kUpdate, kVerify, kDelete, kUnlink or kNone
  std::string reason;
  bool update_object = false;       // kUpdate: the name (or description) changed
  std::vector<std::string> add;     // members to add (after a create: all of them)
  std::vector<std::string> remove;  // members to remove
};

// `deprovision`: the application's action for accounts leaving scope; groups cannot be
// disabled, so "disable" and "delete" delete the target group and "none" forgets the link.
GroupPlan PlanGroup(const DesiredGroup& desired, const std::optional<store::AccountLinkRow>& link,
                    DeprovisionAction deprovision, bool full);

// A full sync's membership repair, from the members read back from the target.
struct MemberRepair {
  std::vector<std::string> add;        // desired members the target lacks
  std::vector<std::string> remove;     // extra members that are Provisio's (see `managed`)
  std::vector<std::string> unmanaged;  // extra members Provisio does not manage: left alone
  std::vector<std::string> held;       // what the target holds of ours: actual minus unmanaged
};

// `desired`: the desired members (sorted); `actual`: the target's members, as read;
// `managed`: target ids Provisio manages in this application (accounts linked there, and
// members it pushed to this group). Like Okta's group push, only members Provisio manages
// are removed: one added by hand who is not Provisio's stays.
MemberRepair PlanMemberRepair(const std::vector<std::string>& desired,
                              std::vector<std::string> actual,
                              const std::set<std::string>& managed);

// A Google group address from a display name: lower-case letters, digits, '.', '-', '_';
// other runs become '-'; `fallback` (the portal id) when nothing is left.
std::string GroupEmailLocalPart(std::string_view display_name, std::string_view fallback);

}  // namespace provisio::provisioning
