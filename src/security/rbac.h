// Role-based access control for the admin API: ONE policy table (action x role -> allow)
// and one function every handler goes through. Ownership rules that depend on the object
// (an Admin revoking only its own API tokens) are separate actions in the same table.
#pragma once

#include <span>
#include <string_view>

#include "core/result.h"

namespace provisio::security {

enum class Action {
  kSessionSelf,           // who am I, sign out, change one's own password
  kAdminsRead,            // list and read administrator accounts
  kAdminsManage,          // create, change, disable, delete administrators
  kApiTokensRead,         // list and read API token metadata (never the secret)
  kApiTokensCreate,       // issue an API token for oneself, with a role no higher than one's own
  kApiTokensRevokeOwn,    // revoke an API token one created
  kApiTokensManageAny,    // revoke anybody's API token
  kScimTokensRead,        // list and read SCIM token metadata
  kScimTokensManage,      // issue and revoke SCIM tokens
  kCatalogRead,           // application templates
  kConnectionsRead,       // connections (secrets are never shown to anyone)
  kConnectionsManage,     // create, change, delete connections
  kConnectionsTest,       // run a connection check against the target
  kApplicationsRead,      // applications, their mappings and assignments
  kApplicationsManage,    // create, change, delete applications and their mappings
  kAssignmentsManage,     // assign and unassign users and groups
  kAuditRead,             // read and verify the audit log
  kSecuritySettingsRead,  // portal-wide security settings
  kSecuritySettingsManage,
};

struct PolicyRule {
  Action action;
  std::string_view name;  // stable, for docs and error details: "connections.manage"
  bool super_admin;
  bool admin;
  bool operator_;
};

// Every action exactly once, in declaration order.
std::span<const PolicyRule> PolicyTable();
const PolicyRule& RuleFor(Action action);

// True when `role` ("super-admin" | "admin" | "operator") may perform `action`. Any other
// role, including "scim-client", may do nothing.
bool IsAllowed(std::string_view role, Action action);

// Ok, or kPermissionDenied naming the action and the role.
Status Authorize(std::string_view role, Action action);

// 3 super-admin, 2 admin, 1 operator, 0 anything else: "a role no higher than one's own".
int RoleRank(std::string_view role);

}  // namespace provisio::security
