// Every registered endpoint against every role and against no credentials: 401 without
// credentials, 403 where the policy table says no, and neither where it says yes.
#include "api/api_test_support.h"
#include "api/endpoints.h"
#include "security/rbac.h"
#include "security/token.h"

namespace provisio::api {
namespace {

std::string Concrete(std::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      out += "00000000-0000-4000-8000-000000000000";
      i = pattern.find('}', i);
    } else {
      out.push_back(pattern[i]);
    }
  }
  return out;
}

class RbacMatrixTest : public ApiFixture {
 protected:
  std::string IssueApiToken(const store::AdminRecord& owner, const std::string& role,
                            const std::string& kind = "api") {
    security::IssuedToken t = security::IssueToken();
    store::TokenRow row{t.id, kind, "matrix", role, t.hash, owner.id, clock_.Now(), {}, {}};
    auto tx = store_->Begin();
    EXPECT_TRUE(store_->tokens().Insert(**tx, row).ok());
    EXPECT_TRUE((*tx)->Commit().ok());
    return t.secret;
  }
};

TEST_F(RbacMatrixTest, EveryEndpointEveryRoleWithSessions) {
  AddAdmin("root@example.com", "super-admin");
  AddAdmin("second-root@example.com", "super-admin");  // so nothing trips last_super_admin
  AddAdmin("admin@example.com", "admin");
  AddAdmin("operator@example.com", "operator");
  const std::vector<std::pair<std::string, std::string>> roles = {
      {"super-admin", "root@example.com"},
      {"admin", "admin@example.com"},
      {"operator", "operator@example.com"},
      {"none", ""}};
  int checked = 0;
  for (const Endpoint& e : Endpoints()) {
    for (const auto& [role, email] : roles) {
      // A fresh session per request: some endpoints (sign-out) end the one they run under.
      As as = email.empty() ? As{} : SignIn(email);
      auto r = Send(std::string(e.method), Concrete(e.pattern), as, "{}");
      std::string where = std::string(e.method) + " " + std::string(e.pattern) + " as " + role +
                          " -> " + std::to_string(r.status) + " " + r.body;
      ++checked;
      if (!e.action) {
        EXPECT_NE(r.status, 401) << where;
        EXPECT_NE(r.status, 403) << where;
      } else if (role == "none") {
        EXPECT_EQ(r.status, 401) << where;
        EXPECT_EQ(r.Code(), "unauthenticated") << where;
      } else if (!security::IsAllowed(role, *e.action)) {
        EXPECT_EQ(r.status, 403) << where;
        EXPECT_EQ(r.Code(), "permission_denied") << where;
      } else {
        EXPECT_NE(r.status, 401) << where;
        EXPECT_NE(r.status, 403) << where;
        EXPECT_LT(r.status, 500) << where;
      }
    }
  }
  EXPECT_EQ(checked, static_cast<int>(Endpoints().size()) * 4);
}

TEST_F(RbacMatrixTest, ApiTokensActWithTheirRoleAndScimTokensAreRefused) {
  auto root = AddAdmin("root@example.com", "super-admin");
  const std::vector<std::string> roles = {"super-admin", "admin", "operator"};
  std::map<std::string, std::string> tokens;
  for (const auto& role : roles) tokens[role] = IssueApiToken(root, role);
  std::string scim = IssueApiToken(root, "", "scim");
  for (const Endpoint& e : Endpoints()) {
    if (!e.action) continue;
    if (e.pattern == "/api/v1/session" && e.method == "DELETE") continue;  // session only
    for (const auto& role : roles) {
      auto r = Send(std::string(e.method), Concrete(e.pattern), Bearer(tokens[role]), "{}");
      std::string where = std::string(e.method) + " " + std::string(e.pattern) + " as " + role +
                          " token -> " + std::to_string(r.status) + " " + r.body;
      if (security::IsAllowed(role, *e.action)) {
        EXPECT_NE(r.status, 401) << where;
        // The only 403 an allowed token may see: a password change needs a session.
        if (e.pattern != "/api/v1/session/password") {
          EXPECT_NE(r.status, 403) << where;
        }
      } else {
        EXPECT_EQ(r.status, 403) << where;
      }
    }
    auto r = Send(std::string(e.method), Concrete(e.pattern), Bearer(scim), "{}");
    EXPECT_EQ(r.status, 403) << e.method << " " << e.pattern;
    EXPECT_EQ(r.Code(), "scim_token_refused");
  }
}

TEST_F(RbacMatrixTest, ATokenNeverOutranksItsOwner) {
  auto root = AddAdmin("root@example.com", "super-admin");
  auto other = AddAdmin("other-root@example.com", "super-admin");
  std::string token = IssueApiToken(other, "super-admin");
  EXPECT_EQ(Send("GET", "/api/v1/admins", Bearer(token)).status, 200);
  As root_session = SignIn("root@example.com");
  auto demote = Send("PATCH", "/api/v1/admins/" + other.id, root_session, R"({"role":"operator"})");
  ASSERT_EQ(demote.status, 200) << demote.body;
  EXPECT_EQ(Send("GET", "/api/v1/admins", Bearer(token)).status, 403);
  EXPECT_EQ(Send("GET", "/api/v1/catalog", Bearer(token)).status, 200);
  auto disable = Send("PATCH", "/api/v1/admins/" + other.id, root_session, R"({"disabled":true})");
  ASSERT_EQ(disable.status, 200) << disable.body;
  EXPECT_EQ(Send("GET", "/api/v1/catalog", Bearer(token)).status, 401);
}

}  // namespace
}  // namespace provisio::api
