#include "security/rbac.h"

#include <string>

namespace provisio::security {
namespace {

using A = Action;

// The policy. Super Admin may do everything; Admin everything except managing admins,
// others' tokens, SCIM tokens and portal-wide security settings; Operator only reads.
// Everybody may read the security settings: they hold no secret, and the console shows
// every admin the session and password rules in force.
constexpr PolicyRule kPolicy[] = {
    // action                       name                          super  admin  operator
    {A::kSessionSelf, "session.self", true, true, true},
    {A::kAdminsRead, "admins.read", true, false, false},
    {A::kAdminsManage, "admins.manage", true, false, false},
    {A::kApiTokensRead, "api_tokens.read", true, true, true},
    {A::kApiTokensCreate, "api_tokens.create", true, true, false},
    {A::kApiTokensRevokeOwn, "api_tokens.revoke_own", true, true, false},
    {A::kApiTokensManageAny, "api_tokens.manage_any", true, false, false},
    {A::kScimTokensRead, "scim_tokens.read", true, false, false},
    {A::kScimTokensManage, "scim_tokens.manage", true, false, false},
    {A::kCatalogRead, "catalog.read", true, true, true},
    {A::kConnectionsRead, "connections.read", true, true, true},
    {A::kConnectionsManage, "connections.manage", true, true, false},
    {A::kConnectionsTest, "connections.test", true, true, false},
    {A::kApplicationsRead, "applications.read", true, true, true},
    {A::kApplicationsManage, "applications.manage", true, true, false},
    {A::kAssignmentsManage, "assignments.manage", true, true, false},
    {A::kAuditRead, "audit.read", true, true, true},
    {A::kSecuritySettingsRead, "security_settings.read", true, true, true},
    {A::kSecuritySettingsManage, "security_settings.manage", true, false, false},
};

constexpr bool TableIsInDeclarationOrder() {
  for (size_t i = 0; i < std::size(kPolicy); ++i) {
    if (static_cast<size_t>(kPolicy[i].action) != i) return false;
  }
  return std::size(kPolicy) == static_cast<size_t>(A::kSecuritySettingsManage) + 1;
}
static_assert(TableIsInDeclarationOrder(), "one rule per Action, in declaration order");

}  // namespace

std::span<const PolicyRule> PolicyTable() { return kPolicy; }

const PolicyRule& RuleFor(Action action) { return kPolicy[static_cast<size_t>(action)]; }

bool IsAllowed(std::string_view role, Action action) {
  const PolicyRule& rule = RuleFor(action);
  if (role == "super-admin") return rule.super_admin;
  if (role == "admin") return rule.admin;
  if (role == "operator") return rule.operator_;
  return false;
}

Status Authorize(std::string_view role, Action action) {
  if (IsAllowed(role, action)) return Ok();
  const PolicyRule& rule = RuleFor(action);
  return Error(Code::kPermissionDenied,
               "the role '" + std::string(role) + "' may not perform " + std::string(rule.name),
               {{"action", rule.name}, {"role", role}});
}

int RoleRank(std::string_view role) {
  if (role == "super-admin") return 3;
  if (role == "admin") return 2;
  if (role == "operator") return 1;
  return 0;
}

}  // namespace provisio::security
