// Salesforce end to end, as an administrator does it: a connection (JWT bearer flow) and an
// application from the catalog's `salesforce` template through the admin API, an import that
// brings the org's profiles, roles and permission sets in as entitlements, 500 users pushed
// into Provisio over SCIM and assigned with a profile and a role, then changes of users and of
// assignments and unassignments. After each step the emulator's org must hold exactly the
// users, fields, profiles, roles and active flags Provisio was asked for.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "support/admin_client.h"
#include "support/convergence.h"
#include "support/eventually.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/rsa_key.h"
#include "support/scim_users.h"

namespace provisio::testing {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr char kAdminEmail[] = "root@example.com";
constexpr char kAdminPassword[] = "a long admin password";
constexpr char kClientId[] = "3MVG9-e2e-consumer-key";
constexpr char kClientSecret[] = "e2e-consumer-secret";
constexpr char kIntegrationUser[] = "integration@e2e.example";
constexpr int kUsers = 500;

std::string UserName(int i) { return "person" + std::to_string(i) + "@e2e.example"; }

std::string Str(const value& v, std::string_view key) {
  const auto* f = v.as_object().if_contains(key);
  return f != nullptr && f->is_string() ? std::string(f->as_string()) : "";
}

// What one Salesforce user must look like.
struct Expected {
  std::string first, last, profile, role;  // role "": none
  bool active = true;
  std::string manager;  // the manager's Username; "": none
};

class SalesforceE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = NewRsaKey();
    key_file_ = WriteTempFile("sf-e2e", key_.public_pem);
    emulator_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{(BinDir() / "provisio-emulator").string(), "salesforce",
                                 "--listen", "127.0.0.1:0", "--client-id", kClientId,
                                 "--client-secret", kClientSecret, "--jwt-public-key",
                                 key_file_.string(), "--admin-username", kIntegrationUser},
        std::map<std::string, std::string>{{"PROVISIO_LOG_LEVEL", "warn"}});
    emu_ = emulator_->WaitForLine("listening on ");
    ASSERT_FALSE(emu_.empty());
    server_ = std::make_unique<ProvisioServer>(
        std::map<std::string, std::string>{{"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", kAdminEmail},
                                           {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", kAdminPassword}});
    admin_ = std::make_unique<AdminClient>(server_->url(), kAdminEmail, kAdminPassword);
    ASSERT_TRUE(admin_->ok());
  }
  void TearDown() override { std::filesystem::remove(key_file_); }

  // The org as the emulator holds it: every User by Username, read over its REST API.
  std::map<std::string, object> OrgUsers() {
    if (bearer_.empty()) {
      auto token = Fetch("POST", emu_ + "/services/oauth2/token",
                         {"Content-Type: application/x-www-form-urlencoded"},
                         std::string("grant_type=client_credentials&client_id=") + kClientId +
                             "&client_secret=" + kClientSecret);
      EXPECT_EQ(token.status, 200) << token.body;
      bearer_ = "Authorization: Bearer " + std::string(token.Json().at("access_token").as_string());
    }
    std::map<std::string, object> out;
    std::string next =
        "/services/data/v60.0/query?q=SELECT+Id,Username,FirstName,LastName,Email,Alias,"
        "FederationIdentifier,ProfileId,UserRoleId,ManagerId,IsActive+FROM+User";
    while (!next.empty()) {
      auto r = Fetch("GET", emu_ + next, {bearer_});
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) return out;
      value page = r.Json();
      if (!page.is_object() || !page.as_object().contains("records")) {
        ADD_FAILURE() << "the org's users: not a query result: " << r.body.substr(0, 500);
        return out;
      }
      for (const auto& rec : page.at("records").as_array()) {
        out[Str(rec, "Username")] = rec.as_object();
      }
      next = page.at("done").as_bool() ? "" : Str(page, "nextRecordsUrl");
    }
    return out;
  }

  // "" when the org holds exactly `expected` (and the integration user), else the first
  // difference.
  std::string Difference(const std::map<std::string, Expected>& expected) {
    auto org = OrgUsers();
    if (org.size() != expected.size() + 1) {
      return "org has " + std::to_string(org.size()) + " users, expected " +
             std::to_string(expected.size() + 1);
    }
    std::map<std::string, std::string> by_id;  // Id -> Username
    for (const auto& [name, u] : org) by_id[Str(u, "Id")] = name;
    for (const auto& [name, e] : expected) {
      auto it = org.find(name);
      if (it == org.end()) return name + ": missing";
      const object& u = it->second;
      std::string alias = name.substr(0, std::min<size_t>(8, name.find('@')));
      const std::map<std::string, std::string> want{
          {"FirstName", e.first}, {"LastName", e.last},           {"Email", name},
          {"Alias", alias},       {"FederationIdentifier", name}, {"ProfileId", e.profile},
          {"UserRoleId", e.role}};
      for (const auto& [field, v] : want) {
        std::string got = Str(u, field);
        if (got != v) return name + ": " + field + " is '" + got + "', expected '" + v + "'";
      }
      std::string manager = Str(u, "ManagerId").empty() ? "" : by_id[Str(u, "ManagerId")];
      if (manager != e.manager) {
        return name + ": the manager is '" + manager + "', expected '" + e.manager + "'";
      }
      if (u.at("IsActive").as_bool() != e.active) {
        return name + ": IsActive is " + (e.active ? "false" : "true");
      }
    }
    return "";
  }

  // Applications -> Create New Application -> Salesforce, with a JWT bearer connection; the
  // application's path, "" on failure.
  std::string CreateApplication(array capabilities) {
    auto catalog = admin_->Json("GET", "/api/v1/catalog");
    EXPECT_TRUE(catalog.is_object()) << catalog;
    auto conn = admin_->Json("POST", "/api/v1/connections",
                             object{{"name", "Salesforce (emulator)"},
                                    {"type", "salesforce"},
                                    {"base_url", emu_},
                                    {"auth", object{{"kind", "salesforce_jwt_bearer"},
                                                    {"login_url", emu_},
                                                    {"client_id", kClientId},
                                                    {"username", kIntegrationUser},
                                                    {"private_key", key_.private_pem}}}});
    EXPECT_TRUE(conn.is_object() && conn.as_object().contains("id")) << conn;
    if (!conn.is_object() || !conn.as_object().contains("id")) return "";
    EXPECT_EQ(conn.at("auth").at("private_key"), (object{{"set", true}}));  // never returned
    auto app = admin_->Json("POST", "/api/v1/applications",
                            object{{"template", "salesforce"},
                                   {"name", "Salesforce"},
                                   {"capabilities", std::move(capabilities)},
                                   {"connection_id", conn.at("id")},
                                   {"settings", object{{"deprovisioning_action", "disable"},
                                                       {"deletion_threshold", 5000}}}});
    EXPECT_TRUE(app.is_object() && app.as_object().contains("id")) << app;
    if (!app.is_object() || !app.as_object().contains("id")) return "";
    EXPECT_EQ(app.at("state"), "active") << app;
    return "/api/v1/applications/" + std::string(app.at("id").as_string());
  }

  // Runs an import of `apps` to its end; the run.
  value Import(const std::string& apps) {
    value run = RunImport(*admin_, apps);
    EXPECT_TRUE(run.is_object() && run.as_object().contains("state")) << run;
    return run;
  }

  std::string Converged(const std::map<std::string, Expected>& expected) {
    return WaitConverged(*admin_, [&] { return Difference(expected); });
  }

  RsaKeyPair key_;
  std::filesystem::path key_file_;
  std::unique_ptr<ChildProcess> emulator_;
  std::string emu_;
  std::unique_ptr<ProvisioServer> server_;
  std::unique_ptr<AdminClient> admin_;
  std::string bearer_;
};

TEST_F(SalesforceE2eTest, AssignChangeAndUnassignFiveHundredUsersWithProfilesAndRoles) {
  const std::string apps = CreateApplication(array{"provisioning", "import_sync"});
  ASSERT_FALSE(apps.empty());

  // Import: the org's profiles, roles (with the hierarchy) and permission sets, and its one
  // user (the integration user) into the portal.
  auto run = Import(apps);
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(run.at("counts").at("created"), 1) << run;
  EXPECT_EQ(run.at("counts").at("failed"), 0) << run;
  auto ents = admin_->Json("GET", apps + "/entitlements");
  std::map<std::string, std::string> profile, role;  // name -> id
  std::map<std::string, int> kinds;
  for (const auto& e : ents.at("items").as_array()) {
    ++kinds[Str(e, "kind")];
    if (e.at("kind") == "profile") profile[Str(e, "display_name")] = Str(e, "id");
    if (e.at("kind") == "role") role[Str(e, "display_name")] = Str(e, "id");
  }
  EXPECT_EQ(kinds["profile"], 3) << ents;
  EXPECT_EQ(kinds["role"], 6) << ents;
  EXPECT_EQ(kinds["permission_set"], 3) << ents;
  ASSERT_TRUE(profile.contains("Standard User") && profile.contains("Read Only"));
  ASSERT_TRUE(role.contains("Engineer") && role.contains("Sales Representative") &&
              role.contains("Sales Manager"));
  const std::vector<std::string> profiles{profile["Standard User"], profile["Read Only"]};
  const std::vector<std::string> roles{role["Engineer"], role["Sales Representative"],
                                       role["Sales Manager"]};

  // 500 people pushed in by an HR system over SCIM Bulk.
  auto token = admin_->Json("POST", "/api/v1/scim-tokens", object{{"name", "hr"}});
  ASSERT_TRUE(token.is_object() && token.as_object().contains("token")) << token;
  const std::string scim = "Authorization: Bearer " + std::string(token.at("token").as_string());
  std::vector<object> users;
  for (int i = 0; i < kUsers; ++i) {
    users.push_back(object{
        {"userName", UserName(i)},
        {"name", object{{"givenName", "Given" + std::to_string(i)},
                        {"familyName", "Family" + std::to_string(i)}}},
        {"emails", array{object{{"value", UserName(i)}, {"type", "work"}, {"primary", true}}}},
        {"active", true}});
  }
  std::vector<std::string> ids = BulkCreateUsers(server_->url(), scim, std::move(users));
  ASSERT_FALSE(HasFailure());
  // The first 20 report to person 0: ManagerId must name her Salesforce user, which is made
  // in the same run (a report made first gets her once she exists).
  // `manager` < 0: none any more.
  auto set_manager = [&](int report, int manager) {
    SetPortalManager(server_->url(), scim, ids[report], manager < 0 ? "" : ids[manager]);
  };
  for (int i = 1; i <= 20; ++i) set_manager(i, 0);

  // Each assigned with a profile and a role.
  std::map<std::string, Expected> expected;
  std::vector<std::string> assignment(kUsers);
  for (int i = 0; i < kUsers; ++i) {
    const std::string& p = profiles[i % 2];
    const std::string& r = roles[i % 3];
    auto a =
        admin_->Json("POST", apps + "/assignments",
                     object{{"user_id", ids[i]}, {"entitlements", array{p.c_str(), r.c_str()}}});
    ASSERT_TRUE(a.is_object() && a.as_object().contains("id")) << a;
    assignment[i] = Str(a, "id");
    expected[UserName(i)] = {
        "Given" + std::to_string(i), "Family" + std::to_string(i), p, r, true, ""};
    if (i >= 1 && i <= 20) expected[UserName(i)].manager = UserName(0);
  }
  std::string diff = Converged(expected);
  ASSERT_EQ(diff, "") << "after assigning";

  // Changes: ten people renamed in the HR system; twenty assignments given another profile
  // and role, ten of them no role at all; thirty unassigned (Salesforce: deactivated).
  for (int i = 0; i < 10; ++i) {
    auto r = Fetch("PATCH", server_->url() + "/scim/v2/Users/" + ids[i], {scim},
                   R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                       "Operations":[{"op":"replace","path":"name.familyName","value":"Renamed"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    expected[UserName(i)].last = "Renamed";
  }
  // Five change manager; one has none any more.
  for (int i = 16; i <= 20; ++i) {
    set_manager(i, 50);
    expected[UserName(i)].manager = UserName(50);
  }
  set_manager(15, -1);
  expected[UserName(15)].manager = "";
  for (int i = 100; i < 120; ++i) {
    array selection{profiles[(i + 1) % 2].c_str()};
    std::string new_role;
    if (i < 110) {
      new_role = role["VP, Sales"];
      selection.emplace_back(new_role);
    }
    auto a = admin_->Json("PATCH", apps + "/assignments/" + assignment[i],
                          object{{"entitlements", std::move(selection)}});
    ASSERT_TRUE(a.is_object() && a.as_object().contains("id")) << a;
    expected[UserName(i)].profile = profiles[(i + 1) % 2];
    expected[UserName(i)].role = new_role;
  }
  for (int i = 200; i < 230; ++i) {
    ASSERT_EQ(admin_->Call("DELETE", apps + "/assignments/" + assignment[i]).status, 204);
    expected[UserName(i)].active = false;  // profile and role stay as they were
  }
  diff = Converged(expected);
  ASSERT_EQ(diff, "") << "after changes";

  // Assigned again: the same account comes back active, with the selection of the new
  // assignment.
  for (int i = 200; i < 205; ++i) {
    auto a = admin_->Json("POST", apps + "/assignments",
                          object{{"user_id", ids[i]},
                                 {"entitlements", array{profiles[0].c_str(), roles[2].c_str()}}});
    ASSERT_TRUE(a.is_object() && a.as_object().contains("id")) << a;
    expected[UserName(i)] = {
        "Given" + std::to_string(i), "Family" + std::to_string(i), profiles[0], roles[2], true, ""};
  }
  diff = Converged(expected);
  ASSERT_EQ(diff, "") << "after assigning again";

  // Nothing left to do: a full sync finds no drift and writes nothing.
  auto log_before = admin_->Json("GET", "/api/v1/provisioning-log?limit=1");
  auto sync = admin_->Json("POST", apps + "/sync", object{{"mode", "full"}});
  ASSERT_TRUE(sync.is_object() && sync.as_object().contains("enqueued")) << sync;
  ASSERT_TRUE(Eventually([&] { return EngineQuiet(*admin_); }));
  EXPECT_EQ(Difference(expected), "");
  auto log_after = admin_->Json("GET", "/api/v1/provisioning-log?limit=1");
  EXPECT_EQ(log_after.at("entries"), log_before.at("entries")) << "a full sync changed something";
}

// Import/Sync from an org that has people already: each becomes a portal user with the
// attributes the template's import mappings give, and ManagerId becomes the portal user of
// the manager, though she is read after her reports.
TEST_F(SalesforceE2eTest, ImportsTheOrgsUsersWithTheirManagers) {
  OrgUsers();  // the test's own token
  auto profiles =
      Fetch("GET", emu_ + "/services/data/v60.0/query?q=SELECT+Id+FROM+Profile", {bearer_});
  ASSERT_EQ(profiles.status, 200) << profiles.body;
  const std::string profile = Str(profiles.Json().at("records").at(0), "Id");
  auto create = [&](const std::string& user_name, const std::string& last,
                    const std::string& manager) {
    object user{{"Username", user_name},        {"LastName", last},
                {"FirstName", "Pat"},           {"Email", user_name},
                {"Alias", last.substr(0, 8)},   {"TimeZoneSidKey", "Europe/Lisbon"},
                {"LocaleSidKey", "pt_PT"},      {"EmailEncodingKey", "UTF-8"},
                {"LanguageLocaleKey", "en_US"}, {"ProfileId", profile},
                {"Department", "Finance"}};
    if (!manager.empty()) user["ManagerId"] = manager;
    auto r = Fetch("POST", emu_ + "/services/data/v60.0/sobjects/User",
                   {bearer_, "Content-Type: application/json"}, boost::json::serialize(user));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.Json(), "id") : "";
  };
  // The chief is made last, so the org lists her reports first... once she exists: a report
  // is made with another manager, then moved to her.
  std::string interim = create("interim@org.example", "Interim", "");
  std::string report = create("report@org.example", "Report", interim);
  std::string chief = create("chief@org.example", "Chief", "");
  ASSERT_FALSE(chief.empty());
  auto moved = Fetch("PATCH", emu_ + "/services/data/v60.0/sobjects/User/" + report,
                     {bearer_, "Content-Type: application/json"},
                     boost::json::serialize(object{{"ManagerId", chief}}));
  ASSERT_EQ(moved.status, 204) << moved.body;

  const std::string apps = CreateApplication(array{"import_sync"});
  ASSERT_FALSE(apps.empty());
  auto run = Import(apps);
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(run.at("counts").at("created"), 4) << run;  // and the integration user
  EXPECT_EQ(run.at("counts").at("failed"), 0) << run;
  EXPECT_EQ(run.at("counts").at("managers"), 1) << run;

  auto portal = [&](const std::string& user_name) -> value {
    auto list = admin_->Json("GET", "/api/v1/users?filter=userName%20eq%20%22" + user_name + "%22");
    if (!list.is_object() || list.at("items").as_array().empty()) return nullptr;
    return admin_->Json("GET", "/api/v1/users/" + Str(list.at("items").at(0), "id")).at("user");
  };
  constexpr char kEnterprise[] = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  value r = portal("report@org.example");
  value c = portal("chief@org.example");
  ASSERT_TRUE(r.is_object() && c.is_object()) << r << c;
  EXPECT_EQ(r.at("name").at("familyName"), "Report");
  EXPECT_EQ(r.at("displayName"), "Pat Report");
  EXPECT_EQ(r.at("emails").at(0).at("value"), "report@org.example");
  EXPECT_EQ(Str(r, "externalId"), report);
  EXPECT_EQ(r.at("active"), true);
  EXPECT_EQ(r.at(kEnterprise).at("department"), "Finance");
  EXPECT_EQ(r.at(kEnterprise).at("manager").at("value"), c.at("id")) << r;

  // Read again, nothing changes.
  run = Import(apps);
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(run.at("counts").at("unchanged"), 4) << run;
}

}  // namespace
}  // namespace provisio::testing
