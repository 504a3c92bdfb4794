#include "security/rbac.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace provisio::security {
namespace {

TEST(RbacTest, SuperAdminMayDoEverything) {
  for (const PolicyRule& rule : PolicyTable()) {
    EXPECT_TRUE(IsAllowed("super-admin", rule.action)) << rule.name;
  }
}

TEST(RbacTest, OperatorOnlyReads) {
  for (const PolicyRule& rule : PolicyTable()) {
    bool reads = std::string(rule.name).ends_with(".read") || rule.action == Action::kSessionSelf;
    bool secret_settings =
        rule.action == Action::kAdminsRead || rule.action == Action::kScimTokensRead;
    EXPECT_EQ(IsAllowed("operator", rule.action), reads && !secret_settings) << rule.name;
  }
}

TEST(RbacTest, AdminMayNotManageAdminsOthersTokensScimTokensOrSecuritySettings) {
  const std::set<Action> denied = {Action::kAdminsRead,         Action::kAdminsManage,
                                   Action::kApiTokensManageAny, Action::kScimTokensRead,
                                   Action::kScimTokensManage,   Action::kSecuritySettingsManage};
  for (const PolicyRule& rule : PolicyTable()) {
    EXPECT_EQ(IsAllowed("admin", rule.action), !denied.contains(rule.action)) << rule.name;
  }
}

TEST(RbacTest, UnknownRolesAndScimClientsMayDoNothing) {
  for (const PolicyRule& rule : PolicyTable()) {
    EXPECT_FALSE(IsAllowed("scim-client", rule.action)) << rule.name;
    EXPECT_FALSE(IsAllowed("", rule.action)) << rule.name;
    EXPECT_FALSE(IsAllowed("Super-Admin", rule.action)) << rule.name;
  }
}

TEST(RbacTest, AuthorizeNamesTheActionWhenDenied) {
  EXPECT_TRUE(Authorize("admin", Action::kConnectionsManage).ok());
  auto st = Authorize("operator", Action::kConnectionsManage);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Code::kPermissionDenied);
  EXPECT_EQ(st.error().details().at("action"), "connections.manage");
}

TEST(RbacTest, RolesAreRanked) {
  EXPECT_GT(RoleRank("super-admin"), RoleRank("admin"));
  EXPECT_GT(RoleRank("admin"), RoleRank("operator"));
  EXPECT_GT(RoleRank("operator"), RoleRank("scim-client"));
  EXPECT_EQ(RoleRank("nobody"), 0);
}

TEST(RbacTest, RuleNamesAreUnique) {
  std::set<std::string_view> names;
  for (const PolicyRule& rule : PolicyTable()) EXPECT_TRUE(names.insert(rule.name).second);
}

}  // namespace
}  // namespace provisio::security
