// Google Workspace end to end, as an administrator does it: a connection (service account key
// JSON, the admin to act as, the customer) and an application from the catalog's
// `google-workspace` template through the admin API, an import that brings the domain's org
// units, admin roles and groups in as entitlements, 500 users pushed into Provisio over SCIM
// and assigned with an org unit (some with an admin role), then changes, suspensions and
// unassignments (suspend, then delete). After each step the emulator's domain must hold
// exactly what Provisio was asked for. A second test runs against a domain answering 429
// rateLimitExceeded and 403 userRateLimitExceeded at random: the engine backs off and
// converges to the same exact state.
#include <gtest/gtest.h>

#include <ctime>
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
constexpr char kDomain[] = "example.com";
constexpr char kDelegate[] = "admin@example.com";
constexpr char kClientEmail[] = "provisio@e2e-project.iam.gserviceaccount.com";
constexpr char kApi[] = "/admin/directory/v1";

std::string UserName(int i) { return "person" + std::to_string(i) + "@" + kDomain; }

std::string Str(const value& v, std::string_view key) {
  const auto* f = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  return f != nullptr && f->is_string() ? std::string(f->as_string()) : "";
}

// What one Google user must look like.
struct Expected {
  std::string given, family;
  std::string org_unit = "/";
  std::string role;  // an admin roleId, "" for none
  bool suspended = false;
  std::string manager;  // the manager relation: her primaryEmail, "" for none
};

Expected Person(int i) {
  Expected e;
  e.given = "Given" + std::to_string(i);
  e.family = "Family" + std::to_string(i);
  return e;
}

class GoogleE2eTest : public ::testing::Test {
 protected:
  void StartAll(const std::vector<std::string>& emulator_flags) {
    key_ = NewRsaKey();
    std::vector<std::string> argv{(BinDir() / "provisio-emulator").string(),
                                  "google",
                                  "--listen",
                                  "127.0.0.1:0",
                                  "--domain",
                                  kDomain,
                                  "--service-account-public-key",
                                  key_.public_pem};
    argv.insert(argv.end(), emulator_flags.begin(), emulator_flags.end());
    emulator_ = std::make_unique<ChildProcess>(
        argv, std::map<std::string, std::string>{{"PROVISIO_LOG_LEVEL", "warn"}});
    emu_ = emulator_->WaitForLine("listening on ");
    ASSERT_FALSE(emu_.empty());
    server_ = std::make_unique<ProvisioServer>(
        std::map<std::string, std::string>{{"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", kAdminEmail},
                                           {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", kAdminPassword}});
    admin_ = std::make_unique<AdminClient>(server_->url(), kAdminEmail, kAdminPassword);
    ASSERT_TRUE(admin_->ok());
    auto token = admin_->Json("POST", "/api/v1/scim-tokens", object{{"name", "hr"}});
    ASSERT_TRUE(token.is_object() && token.as_object().contains("token")) << token;
    scim_ = "Authorization: Bearer " + std::string(token.at("token").as_string());
  }

  // Applications -> Create New Application -> Google Workspace, as the console sends it.
  std::string CreateApplication() {
    std::string key_json = boost::json::serialize(object{{"type", "service_account"},
                                                         {"project_id", "e2e-project"},
                                                         {"private_key_id", "e2e-kid"},
                                                         {"private_key", key_.private_pem},
                                                         {"client_email", kClientEmail},
                                                         {"client_id", "1000000000002"},
                                                         {"token_uri", emu_ + "/token"}});
    auto conn = admin_->Json("POST", "/api/v1/connections",
                             object{{"name", "Workspace (emulator)"},
                                    {"type", "google-workspace"},
                                    {"base_url", emu_},
                                    {"auth", object{{"kind", "google_service_account"},
                                                    {"service_account_json", key_json},
                                                    {"admin_email", kDelegate},
                                                    {"customer_id", "my_customer"}}}});
    EXPECT_TRUE(conn.as_object().contains("id")) << conn;
    if (!conn.as_object().contains("id")) return "";
    EXPECT_EQ(conn.at("auth").at("service_account_json"), (object{{"set", true}}));
    auto app = admin_->Json("POST", "/api/v1/applications",
                            object{{"template", "google-workspace"},
                                   {"name", "Google Workspace"},
                                   {"capabilities", array{"provisioning", "import_sync"}},
                                   {"connection_id", conn.at("id")},
                                   {"settings", object{{"deprovisioning_action", "disable"},
                                                       {"deletion_threshold", 5000}}}});
    EXPECT_TRUE(app.as_object().contains("id")) << app;
    EXPECT_EQ(app.at("state"), "active") << app;
    return "/api/v1/applications/" + Str(app, "id");
  }

  // Runs an import of `apps` to its end; the run.
  value Import(const std::string& apps) {
    value run = RunImport(*admin_, apps);
    EXPECT_TRUE(run.is_object() && run.as_object().contains("state")) << run;
    return run;
  }

  // Portal users pushed over SCIM Bulk; their ids by index.
  std::vector<std::string> PushUsers(int count) {
    std::vector<object> users;
    for (int i = 0; i < count; ++i) {
      users.push_back(object{{"userName", UserName(i)},
                             {"name", object{{"givenName", "Given" + std::to_string(i)},
                                             {"familyName", "Family" + std::to_string(i)}}},
                             {"active", true}});
    }
    return BulkCreateUsers(server_->url(), scim_, std::move(users));
  }

  // The Directory API as the test reads it, with a token it mints itself; retried through
  // injected faults.
  HttpResponse Directory(const std::string& method, const std::string& path,
                         const std::string& body = "") {
    HttpResponse r;
    for (int attempt = 0; attempt < 50; ++attempt) {
      if (bearer_.empty()) {
        int64_t now = static_cast<int64_t>(std::time(nullptr));
        std::string jwt =
            SignRs256Jwt(boost::json::serialize(object{
                             {"iss", kClientEmail},
                             {"sub", kDelegate},
                             {"scope",
                              "https://www.googleapis.com/auth/admin.directory.user "
                              "https://www.googleapis.com/auth/admin.directory.group "
                              "https://www.googleapis.com/auth/admin.directory.orgunit "
                              "https://www.googleapis.com/auth/admin.directory.rolemanagement"},
                             {"aud", emu_ + "/token"},
                             {"iat", now},
                             {"exp", now + 3600}}),
                         key_.private_pem);
        auto token =
            Fetch("POST", emu_ + "/token", {"Content-Type: application/x-www-form-urlencoded"},
                  "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                  "&assertion=" +
                      jwt);
        EXPECT_EQ(token.status, 200) << token.body;
        if (token.status != 200) return token;
        bearer_ = "Authorization: Bearer " + Str(token.Json(), "access_token");
      }
      r = Fetch(method, emu_ + kApi + path, {bearer_, "Content-Type: application/json"}, body);
      if (r.status != 429 && r.status != 403 && r.status < 500) return r;
    }
    return r;
  }

  // "" when the domain holds exactly `expected` among the person* users (and no others of
  // them), with their org units and admin roles; else the first difference.
  std::string Difference(const std::map<std::string, Expected>& expected) {
    std::map<std::string, object> users;  // primaryEmail -> user
    std::string page;
    do {
      auto r = Directory("GET", "/users?customer=my_customer&maxResults=500" +
                                    (page.empty() ? "" : "&pageToken=" + page));
      if (r.status != 200) return "users.list: " + std::to_string(r.status) + " " + r.body;
      value body = r.Json();
      if (const auto* list = body.as_object().if_contains("users")) {
        for (const auto& u : list->as_array()) {
          if (Str(u, "primaryEmail").starts_with("person")) {
            users[Str(u, "primaryEmail")] = u.as_object();
          }
        }
      }
      page = Str(body, "nextPageToken");
    } while (!page.empty());
    std::map<std::string, std::set<std::string>> roles;  // user id -> roleIds
    do {
      auto r = Directory("GET", "/customer/my_customer/roleassignments?maxResults=200" +
                                    (page.empty() ? "" : "&pageToken=" + page));
      if (r.status != 200) return "roleAssignments.list: " + std::to_string(r.status);
      value body = r.Json();
      if (const auto* list = body.as_object().if_contains("items")) {
        for (const auto& a : list->as_array()) roles[Str(a, "assignedTo")].insert(Str(a, "roleId"));
      }
      page = Str(body, "nextPageToken");
    } while (!page.empty());
    if (users.size() != expected.size()) {
      return "domain has " + std::to_string(users.size()) + " person users, expected " +
             std::to_string(expected.size());
    }
    for (const auto& [email, e] : expected) {
      auto it = users.find(email);
      if (it == users.end()) return email + ": missing";
      const object& u = it->second;
      const value& name = u.at("name");
      std::map<std::string, std::pair<std::string, std::string>> fields{
          {"name.givenName", {Str(name, "givenName"), e.given}},
          {"name.familyName", {Str(name, "familyName"), e.family}},
          {"orgUnitPath", {Str(u, "orgUnitPath"), e.org_unit}}};
      for (const auto& [field, got_want] : fields) {
        if (got_want.first != got_want.second) {
          return email + ": " + field + " is '" + got_want.first + "', expected '" +
                 got_want.second + "'";
        }
      }
      std::string manager;
      if (const auto* relations = u.if_contains("relations"); relations && relations->is_array()) {
        for (const auto& r : relations->as_array()) {
          if (Str(r, "type") == "manager") manager = Str(r, "value");
        }
      }
      if (manager != e.manager) {
        return email + ": the manager is '" + manager + "', expected '" + e.manager + "'";
      }
      bool suspended = u.contains("suspended") && u.at("suspended").as_bool();
      if (suspended != e.suspended) {
        return email + ": suspended is " + (suspended ? "true" : "false");
      }
      std::set<std::string> want_roles;
      if (!e.role.empty()) want_roles.insert(e.role);
      if (roles[Str(u, "id")] != want_roles) {
        return email + ": has " + std::to_string(roles[Str(u, "id")].size()) +
               " admin role assignments, expected " + (e.role.empty() ? "none" : e.role);
      }
    }
    return "";
  }

  std::string Converged(const std::map<std::string, Expected>& expected) {
    return WaitConverged(*admin_, [&] { return Difference(expected); });
  }

  RsaKeyPair key_;
  std::unique_ptr<ChildProcess> emulator_;
  std::string emu_;
  std::unique_ptr<ProvisioServer> server_;
  std::unique_ptr<AdminClient> admin_;
  std::string scim_;
  std::string bearer_;
};

TEST_F(GoogleE2eTest, AssignChangeSuspendAndUnassignFiveHundredUsers) {
  ASSERT_NO_FATAL_FAILURE(StartAll({}));
  // Two groups exist in the domain before Provisio is connected.
  for (const char* g : {"engineering", "sales"}) {
    auto r = Directory(
        "POST", "/groups",
        boost::json::serialize(object{{"email", std::string(g) + "@" + kDomain}, {"name", g}}));
    ASSERT_EQ(r.status, 200) << r.body;
  }
  const std::string apps = CreateApplication();
  ASSERT_FALSE(apps.empty());

  // Import: org units, admin roles and groups become entitlements.
  auto run = Import(apps);
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(run.at("counts").at("failed"), 0) << run;
  auto ents = admin_->Json("GET", apps + "/entitlements");
  std::map<std::string, int> kinds;
  std::map<std::string, std::string> role;  // roleName -> roleId
  std::set<std::string> org_units;
  for (const auto& e : ents.at("items").as_array()) {
    ++kinds[Str(e, "kind")];
    if (e.at("kind") == "role") role[Str(e, "display_name")] = Str(e, "id");
    if (e.at("kind") == "org_unit") org_units.insert(Str(e, "id"));
  }
  EXPECT_EQ(kinds["group"], 2) << ents;
  EXPECT_EQ(kinds["role"], 4) << ents;
  ASSERT_TRUE(org_units.contains("/Engineering") && org_units.contains("/Sales")) << ents;
  ASSERT_TRUE(role.contains("_HELP_DESK_ADMIN_ROLE") && role.contains("_GROUPS_ADMIN_ROLE"))
      << ents;
  const std::string help_desk = role["_HELP_DESK_ADMIN_ROLE"];
  const std::string groups_admin = role["_GROUPS_ADMIN_ROLE"];

  // 500 people assigned: a third left in "/", a third in each org unit, one in ten a role.
  constexpr int kUsers = 500;
  std::vector<std::string> ids = PushUsers(kUsers);
  // The first 20 report to person 0: the manager relation names her by address, as the Admin
  // console does.
  // `manager` < 0: none any more.
  auto set_manager = [&](int report, int manager) {
    SetPortalManager(server_->url(), scim_, ids[report], manager < 0 ? "" : ids[manager]);
  };
  for (int i = 1; i <= 20; ++i) set_manager(i, 0);
  std::vector<std::string> assignment(kUsers);
  std::map<std::string, Expected> expected;
  const std::vector<std::string> ous{"", "/Engineering", "/Sales"};
  for (int i = 0; i < kUsers; ++i) {
    Expected e = Person(i);
    array selection;
    if (!ous[i % 3].empty()) {
      selection.emplace_back(ous[i % 3]);
      e.org_unit = ous[i % 3];
    }
    if (i % 10 == 0) {
      selection.emplace_back(help_desk);
      e.role = help_desk;
    }
    auto a = admin_->Json("POST", apps + "/assignments",
                          object{{"user_id", ids[i]}, {"entitlements", std::move(selection)}});
    ASSERT_TRUE(a.is_object() && a.as_object().contains("id")) << a;
    assignment[i] = Str(a, "id");
    if (i >= 1 && i <= 20) e.manager = UserName(0);
    expected[UserName(i)] = e;
  }
  std::string diff = Converged(expected);
  ASSERT_EQ(diff, "") << "after assigning";

  // Ten renamed; twenty given another org unit and role (or none); ten suspended in the HR
  // system; thirty unassigned (suspended: the deprovisioning action is "disable").
  auto patch_user = [&](int i, const std::string& op) {
    auto r = Fetch("PATCH", server_->url() + "/scim/v2/Users/" + ids[i], {scim_},
                   R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                       "Operations":[)" +
                       op + "]}");
    ASSERT_EQ(r.status, 200) << r.body;
  };
  for (int i = 0; i < 10; ++i) {
    patch_user(i, R"({"op":"replace","path":"name.familyName","value":"Renamed"})");
    expected[UserName(i)].family = "Renamed";
  }
  for (int i = 16; i <= 20; ++i) {  // five change manager
    set_manager(i, 50);
    expected[UserName(i)].manager = UserName(50);
  }
  set_manager(15, -1);  // and one has none any more
  expected[UserName(15)].manager = "";
  // The manager of the rest changes her address: theirs follow.
  const std::string renamed = std::string("person0.renamed@") + kDomain;
  patch_user(0, R"({"op":"replace","path":"userName","value":")" + renamed + R"("})");
  expected[renamed] = expected[UserName(0)];
  expected.erase(UserName(0));
  for (int i = 1; i <= 14; ++i) expected[UserName(i)].manager = renamed;
  for (int i = 100; i < 120; ++i) {
    array selection;
    Expected& e = expected[UserName(i)];
    e.org_unit = i < 110 ? "/Sales" : "/";  // 110..119: back to the top
    if (e.org_unit != "/") selection.emplace_back(e.org_unit);
    e.role = i % 2 == 0 ? groups_admin : "";
    if (!e.role.empty()) selection.emplace_back(e.role);
    auto a = admin_->Json("PATCH", apps + "/assignments/" + assignment[i],
                          object{{"entitlements", std::move(selection)}});
    ASSERT_TRUE(a.is_object() && a.as_object().contains("id")) << a;
  }
  for (int i = 300; i < 310; ++i) {
    patch_user(i, R"({"op":"replace","path":"active","value":false})");
    expected[UserName(i)].suspended = true;
  }
  for (int i = 200; i < 230; ++i) {
    ASSERT_EQ(admin_->Call("DELETE", apps + "/assignments/" + assignment[i]).status, 204);
    expected[UserName(i)].suspended = true;  // org unit and roles stay
  }
  diff = Converged(expected);
  ASSERT_EQ(diff, "") << "after changes";

  // Back in scope: unsuspended, with the new assignment's selection. Then, with "delete" as the
  // action, unassigned users go.
  for (int i = 200; i < 205; ++i) {
    auto a = admin_->Json("POST", apps + "/assignments",
                          object{{"user_id", ids[i]}, {"entitlements", array{"/Engineering"}}});
    ASSERT_TRUE(a.is_object() && a.as_object().contains("id")) << a;
    expected[UserName(i)].suspended = false;
    expected[UserName(i)].org_unit = "/Engineering";
    expected[UserName(i)].role = "";  // the new assignment selects none: person200's goes
  }
  auto patched = admin_->Json("PATCH", apps,
                              object{{"settings", object{{"deprovisioning_action", "delete"}}}});
  ASSERT_EQ(patched.at("settings").at("deprovisioning_action"), "delete") << patched;
  for (int i = 400; i < 410; ++i) {
    ASSERT_EQ(admin_->Call("DELETE", apps + "/assignments/" + assignment[i]).status, 204);
    expected.erase(UserName(i));
  }
  diff = Converged(expected);
  ASSERT_EQ(diff, "") << "after reassigning and deleting";

  // Nothing left to do: a full sync reads every account back (org units, roles, the manager
  // relation), finds no drift and writes nothing.
  auto log_before = admin_->Json("GET", "/api/v1/provisioning-log?limit=1");
  auto sync = admin_->Json("POST", apps + "/sync", object{{"mode", "full"}});
  ASSERT_TRUE(sync.is_object() && sync.as_object().contains("enqueued")) << sync;
  ASSERT_TRUE(Eventually([&] { return EngineQuiet(*admin_); }));
  EXPECT_EQ(Difference(expected), "");
  auto log_after = admin_->Json("GET", "/api/v1/provisioning-log?limit=1");
  EXPECT_EQ(log_after.at("entries"), log_before.at("entries")) << "a full sync changed something";
}

// Under injected rate limits (429 rateLimitExceeded, 403 userRateLimitExceeded) the engine
// retries with backoff, and the domain still ends exactly as assigned.
TEST_F(GoogleE2eTest, RateLimitedDomainConvergesThroughBackoff) {
  ASSERT_NO_FATAL_FAILURE(StartAll({"--faults", "429:0.15,403:0.05", "--seed", "5"}));
  const std::string apps = CreateApplication();
  ASSERT_FALSE(apps.empty());
  constexpr int kUsers = 100;
  std::vector<std::string> ids = PushUsers(kUsers);
  std::map<std::string, Expected> expected;
  for (int i = 0; i < kUsers; ++i) {
    auto a = admin_->Json("POST", apps + "/assignments", object{{"user_id", ids[i]}});
    ASSERT_TRUE(a.is_object() && a.as_object().contains("id")) << a;
    expected[UserName(i)] = Person(i);
  }
  std::string diff = Converged(expected);
  ASSERT_EQ(diff, "");
  auto retried = admin_->Json("GET", "/api/v1/provisioning-log?status=retrying&limit=1000");
  int rate_limited = 0;
  for (const auto& e : retried.at("entries").as_array()) {
    std::string error = Str(e, "error");
    if (error.find("rateLimitExceeded") != std::string::npos ||
        error.find("userRateLimitExceeded") != std::string::npos) {
      ++rate_limited;
    }
  }
  EXPECT_GT(rate_limited, 0) << "no rate-limited attempt was retried: " << retried;
  EXPECT_EQ(admin_->Json("GET", "/api/v1/provisioning-log?status=failure&limit=10")
                .at("entries")
                .as_array()
                .size(),
            0u);
}

// Import/Sync from a domain that has people already: each becomes a portal user with the
// attributes the template's import mappings give, and the manager relation (an address)
// becomes the portal user of the manager.
TEST_F(GoogleE2eTest, ImportsTheDomainsUsersWithTheirManagers) {
  ASSERT_NO_FATAL_FAILURE(StartAll({}));
  auto insert = [&](const std::string& local, const std::string& manager) {
    object user{{"primaryEmail", local + "@" + kDomain},
                {"name", object{{"givenName", "Pat"}, {"familyName", local}}},
                {"password", "a long initial password"},
                {"externalIds", array{object{{"type", "organization"}, {"value", "E-" + local}}}}};
    if (!manager.empty()) {
      user["relations"] = array{object{{"type", "manager"}, {"value", manager + "@" + kDomain}}};
    }
    auto r = Directory("POST", "/users", boost::json::serialize(user));
    EXPECT_EQ(r.status, 200) << r.body;
  };
  // Listed by address: "amy" is read before her manager "zed".
  insert("amy", "zed");
  insert("zed", "");
  insert("bob", "zed");
  const std::string apps = CreateApplication();
  ASSERT_FALSE(apps.empty());
  auto run = Import(apps);
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(run.at("counts").at("failed"), 0) << run;
  EXPECT_GE(run.at("counts").at("created").to_number<int64_t>(), 3) << run;

  auto portal = [&](const std::string& local) -> value {
    auto list = admin_->Json(
        "GET", "/api/v1/users?filter=userName%20eq%20%22" + local + "%40" + kDomain + "%22");
    if (!list.is_object() || list.at("items").as_array().empty()) return nullptr;
    return admin_->Json("GET", "/api/v1/users/" + Str(list.at("items").at(0), "id")).at("user");
  };
  constexpr char kEnterprise[] = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  value amy = portal("amy"), bob = portal("bob"), zed = portal("zed");
  ASSERT_TRUE(amy.is_object() && bob.is_object() && zed.is_object()) << amy << bob << zed;
  EXPECT_EQ(amy.at("name").at("familyName"), "amy");
  EXPECT_EQ(amy.at("active"), true);
  EXPECT_EQ(amy.at(kEnterprise).at("employeeNumber"), "E-amy");
  EXPECT_EQ(amy.at(kEnterprise).at("manager").at("value"), zed.at("id")) << amy;
  EXPECT_EQ(bob.at(kEnterprise).at("manager").at("value"), zed.at("id")) << bob;
  EXPECT_FALSE(zed.at(kEnterprise).as_object().contains("manager")) << zed;

  // Read again, nothing changes.
  auto again = Import(apps);
  ASSERT_EQ(again.at("state"), "succeeded") << again;
  EXPECT_EQ(again.at("counts").at("updated"), 0) << again;
  EXPECT_EQ(again.at("counts").at("unchanged"), again.at("counts").at("read")) << again;
}

}  // namespace
}  // namespace provisio::testing
