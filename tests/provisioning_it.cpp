// End to end: users pushed into Provisio over SCIM, an application connected to the SCIM
// emulator, assignments made through the admin API; accounts must appear, follow changes
// and be deprovisioned in the emulator, and a sync with nothing to do must write nothing.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "support/admin_client.h"
#include "support/eventually.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/scim_users.h"

namespace provisio::testing {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr char kAdminEmail[] = "root@example.com";
constexpr char kAdminPassword[] = "a long admin password";
constexpr char kEmuToken[] = "emulator-token";

class ProvisioningTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = new ChildProcess({(BinDir() / "provisio-emulator").string(), "scim2", "--listen",
                                  "127.0.0.1:0", "--token", kEmuToken},
                                 {{"PROVISIO_LOG_LEVEL", "warn"}});
    emu_url_ = new std::string(emulator_->WaitForLine("listening on "));
    server_ = new ProvisioServer(
        std::map<std::string, std::string>{{"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", kAdminEmail},
                                           {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", kAdminPassword}});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete emulator_;
    delete emu_url_;
  }

  static value EmuGet(const std::string& path) {
    return Fetch("GET", *emu_url_ + path, {std::string("Authorization: Bearer ") + kEmuToken})
        .Json();
  }
  static int64_t EmuWrites() {
    return EmuGet("/_emulator/stats").at("writes").to_number<int64_t>();
  }
  static int64_t EmuUsers() { return EmuGet("/_emulator/stats").at("users").to_number<int64_t>(); }
  static int64_t EmuCount(const std::string& filter) {
    std::string encoded;
    for (char c : filter) {
      if (c == ' ')
        encoded += "%20";
      else if (c == '"')
        encoded += "%22";
      else
        encoded += c;
    }
    return EmuGet("/scim/v2/Users?count=0&filter=" + encoded)
        .at("totalResults")
        .to_number<int64_t>();
  }
  static value EmuUser(const std::string& user_name) {
    auto list = EmuGet("/scim/v2/Users?filter=userName%20eq%20%22" + user_name + "%22");
    const auto& res = list.at("Resources").as_array();
    return res.empty() ? value() : res[0];
  }

  static inline ChildProcess* emulator_ = nullptr;
  static inline std::string* emu_url_ = nullptr;
  static inline ProvisioServer* server_ = nullptr;
};

std::string UserName(int i) { return "user" + std::to_string(i) + "@example.com"; }

// Applications → Create New Application → SCIM 2.0, with a new connection to the emulator at
// `emu`; returns the application's path under /api/v1 ("" when it could not be made).
std::string CreateScimApp(const AdminClient& admin, const std::string& emu, const std::string& name,
                          object settings = {}) {
  auto conn = admin.Json("POST", "/api/v1/connections",
                         object{{"name", name + " connection"},
                                {"type", "scim2"},
                                {"base_url", emu + "/scim/v2"},
                                {"auth", object{{"kind", "bearer"}, {"token", kEmuToken}}}});
  EXPECT_TRUE(conn.is_object() && conn.as_object().contains("id")) << conn;
  if (!conn.is_object() || !conn.as_object().contains("id")) return "";
  object body{{"template", "scim2"},
              {"name", name},
              {"capabilities", array{"provisioning"}},
              {"connection_id", conn.at("id")}};
  if (!settings.empty()) body["settings"] = std::move(settings);
  auto app = admin.Json("POST", "/api/v1/applications", body);
  EXPECT_TRUE(app.is_object() && app.as_object().contains("id")) << app;
  if (!app.is_object() || !app.as_object().contains("id")) return "";
  EXPECT_EQ(app.at("state"), "active") << app;
  return "/api/v1/applications/" + std::string(app.at("id").as_string());
}

TEST_F(ProvisioningTest, AssignChangeUnassignAndQuietResync) {
  const std::string base = server_->url();
  AdminClient admin(base, kAdminEmail, kAdminPassword);
  ASSERT_TRUE(admin.ok());

  // An HR system's token, and 1,000 users pushed in through SCIM Bulk.
  auto token = admin.Json("POST", "/api/v1/scim-tokens", object{{"name", "hr"}});
  ASSERT_TRUE(token.is_object() && token.as_object().contains("token")) << token;
  std::string scim_auth = "Authorization: Bearer " + std::string(token.at("token").as_string());
  std::vector<std::string> ids(1000);
  for (int chunk = 0; chunk < 2; ++chunk) {
    array ops;
    for (int i = chunk * 500; i < (chunk + 1) * 500; ++i) {
      object user{
          {"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:User",
                            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}},
          {"userName", UserName(i)},
          {"name", object{{"givenName", "Given" + std::to_string(i)},
                          {"familyName", "Family" + std::to_string(i)}}},
          {"displayName", "User " + std::to_string(i)},
          {"emails", array{object{{"value", UserName(i)}, {"type", "work"}, {"primary", true}}}},
          {"active", true},
          {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
           object{{"department", "Dept" + std::to_string(i % 7)}}}};
      ops.push_back(object{{"method", "POST"},
                           {"path", "/Users"},
                           {"bulkId", "u" + std::to_string(i)},
                           {"data", std::move(user)}});
    }
    object bulk{{"schemas", array{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}},
                {"Operations", std::move(ops)}};
    auto r =
        Fetch("POST", base + "/scim/v2/Bulk", {scim_auth, "Content-Type: application/scim+json"},
              boost::json::serialize(bulk));
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
    const value response = r.Json();  // the loop below must not outlive it
    for (const auto& op : response.at("Operations").as_array()) {
      ASSERT_EQ(op.at("status"), "201") << op;
      std::string loc(op.at("location").as_string());
      int i = std::stoi(std::string(op.at("bulkId").as_string()).substr(1));
      ids[i] = loc.substr(loc.rfind('/') + 1);
    }
  }
  // Engineering contains Platform (nested); Platform holds users 500..999.
  array platform_members;
  for (int i = 500; i < 1000; ++i) platform_members.push_back(object{{"value", ids[i]}});
  auto platform = Fetch("POST", base + "/scim/v2/Groups", {scim_auth},
                        boost::json::serialize(object{
                            {"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                            {"displayName", "Platform"},
                            {"members", std::move(platform_members)}}));
  ASSERT_EQ(platform.status, 201) << platform.body;
  std::string platform_id(platform.Json().at("id").as_string());
  auto eng = Fetch("POST", base + "/scim/v2/Groups", {scim_auth},
                   boost::json::serialize(
                       object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                              {"displayName", "Engineering"},
                              {"members", array{object{{"value", platform_id}}}}}));
  ASSERT_EQ(eng.status, 201) << eng.body;
  std::string eng_id(eng.Json().at("id").as_string());

  // Applications → Create New Application → SCIM 2.0, with a new connection to the emulator.
  std::string apps =
      CreateScimApp(admin, *emu_url_, "Emulated SaaS",
                    object{{"deprovisioning_action", "disable"}, {"deletion_threshold", 5000}});
  ASSERT_FALSE(apps.empty());
  std::string app_id = apps.substr(apps.rfind('/') + 1);

  std::vector<std::string> assignment_ids(500);
  for (int i = 0; i < 500; ++i) {
    auto a = admin.Json("POST", apps + "/assignments", object{{"user_id", ids[i]}});
    ASSERT_TRUE(a.as_object().contains("id")) << a;
    assignment_ids[i] = std::string(a.at("id").as_string());
  }
  auto group_assignment = admin.Json("POST", apps + "/assignments", object{{"group_id", eng_id}});
  ASSERT_TRUE(group_assignment.as_object().contains("id")) << group_assignment;

  // All 1,000 appear with their mapped attributes.
  ASSERT_TRUE(Eventually([&] { return EmuUsers() == 1000; })) << EmuUsers();
  auto u42 = EmuUser(UserName(42));
  ASSERT_TRUE(u42.is_object());
  EXPECT_EQ(u42.at("name").at("givenName"), "Given42");
  EXPECT_EQ(u42.at("name").at("familyName"), "Family42");
  EXPECT_EQ(u42.at("active"), true);
  auto u777 = EmuUser(UserName(777));  // through the nested group
  ASSERT_TRUE(u777.is_object());
  EXPECT_EQ(u777.at("displayName"), "User 777");

  // Rename one, disable one: each reaches the target.
  auto rename = Fetch("PATCH", base + "/scim/v2/Users/" + ids[7], {scim_auth},
                      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                          "Operations":[{"op":"Replace","path":"userName","value":"renamed7@example.com"}]})");
  ASSERT_EQ(rename.status, 200) << rename.body;
  auto disable = Fetch("PATCH", base + "/scim/v2/Users/" + ids[8], {scim_auth},
                       R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                           "Operations":[{"op":"Replace","path":"active","value":"False"}]})");
  ASSERT_EQ(disable.status, 200) << disable.body;
  ASSERT_TRUE(Eventually([&] { return EmuUser("renamed7@example.com").is_object(); }));
  EXPECT_TRUE(EmuUser(UserName(7)).is_null());
  ASSERT_TRUE(Eventually([&] { return EmuUser(UserName(8)).at("active") == false; }));

  // Unassigning the group disables everyone who had access only through it.
  auto del = admin.Call(
      "DELETE", apps + "/assignments/" + std::string(group_assignment.at("id").as_string()));
  ASSERT_EQ(del.status, 204) << del.body;
  ASSERT_TRUE(Eventually([&] { return EmuCount("active eq false") == 501; }))
      << EmuCount("active eq false");
  EXPECT_EQ(EmuUsers(), 1000);

  // With "delete" as the deprovisioning action, an unassigned account goes entirely.
  auto patched =
      admin.Json("PATCH", apps, object{{"settings", object{{"deprovisioning_action", "delete"}}}});
  ASSERT_EQ(patched.at("settings").at("deprovisioning_action"), "delete") << patched;
  ASSERT_EQ(admin.Call("DELETE", apps + "/assignments/" + assignment_ids[9]).status, 204);
  ASSERT_TRUE(Eventually([&] { return EmuUsers() == 999; })) << EmuUsers();
  EXPECT_TRUE(EmuUser(UserName(9)).is_null());

  // Nothing changed since: an incremental and a full sync write nothing to the target.
  auto quiet = [&] {
    auto s = admin.Json("GET", "/api/v1/status");
    return s.at("queue_depth") == 0 && s.at("in_flight") == 0;
  };
  ASSERT_TRUE(Eventually(quiet));
  int64_t writes = EmuWrites();
  for (std::string mode : {"incremental", "full"}) {
    auto sync = admin.Json("POST", apps + "/sync", object{{"mode", mode}});
    ASSERT_TRUE(sync.as_object().contains("enqueued")) << sync;
    if (mode == "full") {
      // Full compares the same way, then checks the accounts that look unchanged against
      // the target's listing: nothing drifted, so nothing is queued either.
      EXPECT_EQ(sync.at("listing"), true) << sync;
      // At least the 499 accounts in scope (the listing stops once it has seen them all).
      EXPECT_GE(sync.at("listed").to_number<int64_t>(), 499) << sync;
      EXPECT_EQ(sync.at("drifted"), 0) << sync;
      EXPECT_EQ(sync.at("unlisted"), 0) << sync;
      EXPECT_LE(sync.at("enqueued").to_number<int64_t>(), 1) << sync;
    } else {
      // Incremental compares every pair's hash in the store and queues only those that
      // differ: none here (at most the assigned group Engineering, marked for group push).
      EXPECT_GE(sync.at("pairs").to_number<int64_t>(), 999) << sync;
      EXPECT_LE(sync.at("enqueued").to_number<int64_t>(), 1) << sync;
    }
    ASSERT_TRUE(Eventually(quiet));
    EXPECT_EQ(EmuWrites(), writes) << mode << " sync wrote to the target";
  }

  // Accounts changed in the target by hand: user 42's displayName edited, user 43's account
  // deleted. An incremental sync does not read the target and changes nothing; a full sync
  // finds both from the target's listing (no read per account) and repairs them.
  const std::string emu_auth = std::string("Authorization: Bearer ") + kEmuToken;
  auto u42_before = EmuUser(UserName(42));
  auto u43_before = EmuUser(UserName(43));
  ASSERT_TRUE(u42_before.is_object() && u43_before.is_object());
  auto edited =
      Fetch("PATCH", *emu_url_ + "/scim/v2/Users/" + std::string(u42_before.at("id").as_string()),
            {emu_auth, "Content-Type: application/scim+json"},
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                          "Operations":[{"op":"replace","path":"displayName","value":"Edited by hand"}]})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  auto removed =
      Fetch("DELETE", *emu_url_ + "/scim/v2/Users/" + std::string(u43_before.at("id").as_string()),
            {emu_auth});
  ASSERT_EQ(removed.status, 204) << removed.body;
  auto inc = admin.Json("POST", apps + "/sync", object{{"mode", "incremental"}});
  EXPECT_LE(inc.at("enqueued").to_number<int64_t>(), 1) << inc;
  auto full = admin.Json("POST", apps + "/sync", object{{"mode", "full"}});
  ASSERT_TRUE(full.as_object().contains("listing")) << full;
  EXPECT_EQ(full.at("listing"), true) << full;
  // One account is missing, so the listing is read to its end: the 998 accounts left.
  EXPECT_EQ(full.at("listed"), 998) << full;
  EXPECT_EQ(full.at("drifted"), 1) << full;
  EXPECT_EQ(full.at("unlisted"), 1) << full;
  ASSERT_TRUE(Eventually([&] {
    auto u42 = EmuUser(UserName(42));
    auto u43 = EmuUser(UserName(43));
    return u42.is_object() && u42.at("displayName") == "User 42" && u43.is_object();
  })) << EmuUser(UserName(42));
  ASSERT_TRUE(Eventually(quiet));
  EXPECT_EQ(EmuUsers(), 999);

  // Every action is in the provisioning log.
  auto log = admin.Json("GET", "/api/v1/provisioning-log?application_id=" + app_id + "&limit=5");
  ASSERT_TRUE(log.as_object().contains("entries")) << log;
  EXPECT_EQ(log.at("entries").as_array().size(), 5u);
  auto dry = admin.Json("POST", apps + "/sync", object{{"mode", "full"}, {"dry_run", true}});
  EXPECT_EQ(dry.at("dry_run"), true) << dry;

  // New mappings reach every account without a sync: displayName now upper case.
  auto mappings = admin.Json("GET", apps + "/mappings");
  ASSERT_TRUE(mappings.as_object().contains("items")) << mappings;
  array items = mappings.at("items").as_array();
  bool found = false;
  for (auto& m : items) {
    if (m.at("target") == "displayName") {
      m.as_object()["source"] = "ToUpper([displayName])";
      found = true;
    }
  }
  ASSERT_TRUE(found) << mappings;
  auto put = admin.Json("PUT", apps + "/mappings", object{{"items", items}});
  ASSERT_TRUE(put.is_object() && put.as_object().contains("items")) << put;
  // Every active account (the unassigned ones are disabled and left as they are). SCIM
  // compares displayName without case, so the accounts are read and compared here.
  std::pair<int, int> active_and_old{0, 0};
  auto all_changed = [&] {
    active_and_old = {0, 0};
    for (int start = 1; start <= 1000; start += 500) {
      auto page = EmuGet("/scim/v2/Users?count=500&startIndex=" + std::to_string(start));
      for (const auto& u : page.at("Resources").as_array()) {
        if (u.at("active") != true) continue;
        ++active_and_old.first;
        if (!std::string(u.at("displayName").as_string()).starts_with("USER ")) {
          ++active_and_old.second;
        }
      }
    }
    return active_and_old.first > 0 && active_and_old.second == 0;
  };
  ASSERT_TRUE(Eventually(all_changed)) << active_and_old.first << " active, "
                                       << active_and_old.second << " with the old displayName";
  EXPECT_EQ(active_and_old.first, 498);
  EXPECT_EQ(EmuUser(UserName(42)).at("displayName"), "USER 42");
}

// The enterprise manager reaches the target as the manager's account id there: a report
// assigned before the manager is pushed without one and gets it as soon as the manager's
// account exists; a change of manager follows.
TEST_F(ProvisioningTest, ManagerIsTheManagersAccountInTheTarget) {
  constexpr char kEnterprise[] = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  const std::string base = server_->url();
  AdminClient admin(base, kAdminEmail, kAdminPassword);
  ASSERT_TRUE(admin.ok());
  auto token = admin.Json("POST", "/api/v1/scim-tokens", object{{"name", "hr-managers"}});
  std::string scim_auth = "Authorization: Bearer " + std::string(token.at("token").as_string());
  auto make = [&](const std::string& user_name, const std::string& manager_id) {
    object user{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:User", kEnterprise}},
                {"userName", user_name},
                {"name", object{{"givenName", "G"}, {"familyName", "F"}}},
                {"active", true}};
    if (!manager_id.empty()) user[kEnterprise] = object{{"manager", object{{"value", manager_id}}}};
    auto r = Fetch("POST", base + "/scim/v2/Users", {scim_auth}, boost::json::serialize(user));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.Json().at("id").as_string());
  };
  std::string ana = make("ana.manager@example.com", "");
  std::string ben = make("ben.manager@example.com", "");
  std::string rep = make("rep.report@example.com", ana);

  std::string apps = CreateScimApp(admin, *emu_url_, "Managers SaaS");
  ASSERT_FALSE(apps.empty());
  auto manager_in_target = [&](const std::string& user_name) -> std::string {
    auto u = EmuUser(user_name);
    if (!u.is_object()) return "<no account>";
    const auto* e = u.as_object().if_contains(kEnterprise);
    if (!e || !e->is_object() || !e->as_object().contains("manager")) return "";
    return std::string(e->at("manager").at("value").as_string());
  };

  // The report first: its account is made without a manager, who has no account yet.
  admin.Json("POST", apps + "/assignments", object{{"user_id", rep}});
  ASSERT_TRUE(Eventually([&] { return EmuUser("rep.report@example.com").is_object(); }));
  EXPECT_EQ(manager_in_target("rep.report@example.com"), "");
  // Then the manager: once her account exists, the report's manager is that account.
  admin.Json("POST", apps + "/assignments", object{{"user_id", ana}});
  ASSERT_TRUE(Eventually([&] { return EmuUser("ana.manager@example.com").is_object(); }));
  std::string ana_target(EmuUser("ana.manager@example.com").at("id").as_string());
  ASSERT_TRUE(Eventually([&] { return manager_in_target("rep.report@example.com") == ana_target; }))
      << manager_in_target("rep.report@example.com");

  // A new manager, who has an account already: the change reaches the target.
  admin.Json("POST", apps + "/assignments", object{{"user_id", ben}});
  ASSERT_TRUE(Eventually([&] { return EmuUser("ben.manager@example.com").is_object(); }));
  std::string ben_target(EmuUser("ben.manager@example.com").at("id").as_string());
  ASSERT_NO_FATAL_FAILURE(SetPortalManager(base, scim_auth, rep, ben));
  ASSERT_TRUE(Eventually([&] { return manager_in_target("rep.report@example.com") == ben_target; }))
      << manager_in_target("rep.report@example.com");

  // The manager removed in the portal: removed in the target too.
  ASSERT_NO_FATAL_FAILURE(SetPortalManager(base, scim_auth, rep, ""));
  ASSERT_TRUE(Eventually([&] { return manager_in_target("rep.report@example.com").empty(); }))
      << manager_in_target("rep.report@example.com");

  // A manager set by hand in the target, for a user who has none: a full sync finds the drift
  // in the target's listing and clears it.
  std::string rep_target(EmuUser("rep.report@example.com").at("id").as_string());
  auto by_hand = Fetch(
      "PATCH", *emu_url_ + "/scim/v2/Users/" + rep_target,
      {std::string("Authorization: Bearer ") + kEmuToken, "Content-Type: application/scim+json"},
      boost::json::serialize(
          object{{"schemas", array{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                 {"Operations", array{object{{"op", "replace"},
                                             {"path", std::string(kEnterprise) + ":manager"},
                                             {"value", object{{"value", ana_target}}}}}}}));
  ASSERT_EQ(by_hand.status, 200) << by_hand.body;
  auto full = admin.Json("POST", apps + "/sync", object{{"mode", "full"}});
  ASSERT_TRUE(full.is_object() && full.as_object().contains("enqueued")) << full;
  EXPECT_GE(full.at("drifted").to_number<int64_t>(), 1) << full;
  ASSERT_TRUE(Eventually([&] { return manager_in_target("rep.report@example.com").empty(); }))
      << manager_in_target("rep.report@example.com");

  // Settled: a sync finds nothing to do.
  auto quiet = [&] {
    auto s = admin.Json("GET", "/api/v1/status");
    return s.at("queue_depth") == 0 && s.at("in_flight") == 0;
  };
  ASSERT_TRUE(Eventually(quiet));
  auto sync = admin.Json("POST", apps + "/sync", object{{"mode", "incremental"}});
  EXPECT_EQ(sync.at("enqueued"), 0) << sync;
}

// 1,000 users assigned at once reach a SCIM target that offers /Bulk through /Bulk: no
// per-user POST, each create asked for exactly once, and every account linked. Then a change
// made in the target behind Provisio's back moves the account's version on: the engine's next
// update is refused with 412, re-reads the account and converges, keeping the target's change.
TEST_F(ProvisioningTest, ThousandUsersThroughBulkAndAStaleVersionConverges) {
  ChildProcess bulk_emulator({(BinDir() / "provisio-emulator").string(), "scim2", "--listen",
                              "127.0.0.1:0", "--token", kEmuToken, "--bulk-max-operations", "100"},
                             {{"PROVISIO_LOG_LEVEL", "warn"}});
  const std::string emu = bulk_emulator.WaitForLine("listening on ");
  ASSERT_FALSE(emu.empty());
  auto emu_get = [&](const std::string& path) {
    return Fetch("GET", emu + path, {std::string("Authorization: Bearer ") + kEmuToken}).Json();
  };
  auto emu_user = [&](const std::string& user_name) {
    auto list = emu_get("/scim/v2/Users?filter=userName%20eq%20%22" + user_name + "%22");
    const auto& res = list.at("Resources").as_array();
    return res.empty() ? value() : res[0];
  };
  const std::string base = server_->url();
  AdminClient admin(base, kAdminEmail, kAdminPassword);
  ASSERT_TRUE(admin.ok());
  auto token = admin.Json("POST", "/api/v1/scim-tokens", object{{"name", "hr-bulk"}});
  ASSERT_TRUE(token.is_object() && token.as_object().contains("token")) << token;
  std::string scim_auth = "Authorization: Bearer " + std::string(token.at("token").as_string());

  // 1,000 users in one group, pushed in through Provisio's own /scim/v2/Bulk.
  constexpr int kUsers = 1000;
  std::vector<std::string> ids(kUsers);
  auto bulk_name = [](int i) { return "bulk" + std::to_string(i) + "@example.com"; };
  for (int chunk = 0; chunk < 2; ++chunk) {
    array ops;
    for (int i = chunk * 500; i < (chunk + 1) * 500; ++i) {
      ops.push_back(object{
          {"method", "POST"},
          {"path", "/Users"},
          {"bulkId", "b" + std::to_string(i)},
          {"data", object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:User"}},
                          {"userName", bulk_name(i)},
                          {"name", object{{"givenName", "Bulk" + std::to_string(i)},
                                          {"familyName", "Family" + std::to_string(i)}}},
                          {"emails", array{object{{"value", bulk_name(i)}, {"primary", true}}}},
                          {"active", true}}}});
    }
    auto r =
        Fetch("POST", base + "/scim/v2/Bulk", {scim_auth, "Content-Type: application/scim+json"},
              boost::json::serialize(
                  object{{"schemas", array{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}},
                         {"Operations", std::move(ops)}}));
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
    const value response = r.Json();
    for (const auto& op : response.at("Operations").as_array()) {
      ASSERT_EQ(op.at("status"), "201") << op;
      std::string loc(op.at("location").as_string());
      ids[std::stoi(std::string(op.at("bulkId").as_string()).substr(1))] =
          loc.substr(loc.rfind('/') + 1);
    }
  }
  array members;
  for (const auto& id : ids) members.push_back(object{{"value", id}});
  auto group = Fetch("POST", base + "/scim/v2/Groups", {scim_auth},
                     boost::json::serialize(
                         object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                                {"displayName", "Bulk cohort"},
                                {"members", std::move(members)}}));
  ASSERT_EQ(group.status, 201) << group.body;

  std::string apps = CreateScimApp(admin, emu, "Bulk SaaS");
  ASSERT_FALSE(apps.empty());
  const std::string app_id = apps.substr(apps.rfind('/') + 1);
  auto assigned =
      admin.Json("POST", apps + "/assignments", object{{"group_id", group.Json().at("id")}});
  ASSERT_TRUE(assigned.as_object().contains("id")) << assigned;

  auto stats = [&] { return emu_get("/_emulator/stats"); };
  ASSERT_TRUE(Eventually([&] { return stats().at("users") == kUsers; })) << stats();
  auto quiet = [&] {
    auto s = admin.Json("GET", "/api/v1/status");
    return s.at("queue_depth") == 0 && s.at("in_flight") == 0;
  };
  ASSERT_TRUE(Eventually(quiet));
  value st = stats();
  // Every create went through /Bulk (no POST /Users), and each was asked for once: a second
  // attempt would have been an operation more (and a 409 in the emulator). The one other
  // POST is the assigned group's own (POST /Groups, group push), made once.
  EXPECT_EQ(st.at("requests").at("POST").to_number<int64_t>(),
            st.at("bulk").at("requests").to_number<int64_t>() + 1)
      << st;
  EXPECT_EQ(st.at("groups"), 1) << st;
  EXPECT_EQ(st.at("bulk").at("operations"), kUsers) << st;
  EXPECT_GE(st.at("bulk").at("requests").to_number<int64_t>(), kUsers / 100) << st;
  EXPECT_EQ(st.at("users"), kUsers) << st;
  // The lookups before the creates went many values to a request, not one GET per user.
  EXPECT_LT(st.at("requests").at("GET").to_number<int64_t>(), kUsers / 10) << st;
  auto u1 = emu_user(bulk_name(1));
  ASSERT_TRUE(u1.is_object());
  EXPECT_EQ(u1.at("name").at("givenName"), "Bulk1");
  auto app_status = admin.Json("GET", "/api/v1/status");
  for (const auto& a : app_status.at("applications").as_array()) {
    if (a.at("id") == value(app_id)) {
      EXPECT_EQ(a.at("failed"), 0) << a;
    }
  }

  // Someone edits user 1 in the target: its version moves past the one Provisio holds. (Once
  // the engine is idle: a pass over user 1 still running, such as the one its group's
  // membership marks, would read the new version first, and the update would meet no 412.)
  ASSERT_TRUE(Eventually(quiet));
  std::string target_id(u1.at("id").as_string());
  auto edit = Fetch("PATCH", emu + "/scim/v2/Users/" + target_id,
                    {std::string("Authorization: Bearer ") + kEmuToken},
                    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                        "Operations":[{"op":"replace","path":"nickName","value":"Bee"}]})");
  ASSERT_EQ(edit.status, 200) << edit.body;
  // Then the portal user changes: the update carries the old version and meets a 412.
  auto rename = Fetch("PATCH", base + "/scim/v2/Users/" + ids[1], {scim_auth},
                      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                          "Operations":[{"op":"replace","path":"name.givenName","value":"Beatrice"}]})");
  ASSERT_EQ(rename.status, 200) << rename.body;
  ASSERT_TRUE(Eventually([&] {
    return emu_user(bulk_name(1)).at("name").at("givenName") == "Beatrice";
  })) << emu_user(bulk_name(1));
  EXPECT_EQ(emu_user(bulk_name(1)).at("nickName"), "Bee");  // their change kept
  EXPECT_GE(stats().at("precondition_failed").to_number<int64_t>(), 1) << stats();
  ASSERT_TRUE(Eventually(quiet));
  auto log = admin.Json("GET", "/api/v1/provisioning-log?application_id=" + app_id + "&limit=1");
  ASSERT_EQ(log.at("entries").as_array().size(), 1u) << log;
  EXPECT_EQ(log.at("entries").at(0).at("status"), "success") << log;
  EXPECT_EQ(log.at("entries").at(0).at("action"), "update") << log;

  // The group is unassigned: the 1,000 accounts are disabled through /Bulk too, not with a
  // PATCH each. (The deletion guard is off: 1,000 deprovisions is what this test wants.)
  auto guard_off = admin.Call("PATCH", apps, R"({"settings":{"deletion_threshold":0}})");
  ASSERT_EQ(guard_off.status, 200) << guard_off.body;
  const value before = stats();
  auto unassigned =
      admin.Call("DELETE", apps + "/assignments/" + std::string(assigned.at("id").as_string()), "");
  ASSERT_EQ(unassigned.status / 100, 2) << unassigned.body;
  auto active_accounts = [&] {
    return emu_get("/scim/v2/Users?filter=active%20eq%20true&count=1").at("totalResults");
  };
  ASSERT_TRUE(Eventually([&] { return active_accounts() == 0 && quiet(); }))
      << active_accounts() << " " << stats();
  const value after = stats();
  auto grew = [&](std::initializer_list<std::string_view> path) {
    const value* a = &after;
    const value* b = &before;
    for (auto key : path) {
      a = &a->at(key);
      b = &b->at(key);
    }
    return a->to_number<int64_t>() - b->to_number<int64_t>();
  };
  // Every account was written once: nearly all in batches (an item that a worker leases
  // alone goes out as a single PATCH).
  EXPECT_GE(grew({"bulk", "operations"}) + grew({"requests", "PATCH"}), kUsers) << after;
  EXPECT_GE(grew({"bulk", "operations"}), kUsers * 9 / 10) << after;
  EXPECT_LT(grew({"requests", "PATCH"}), kUsers / 10) << after;
  EXPECT_EQ(after.at("users"), kUsers) << after;  // disabled, not deleted
  EXPECT_EQ(emu_user(bulk_name(7)).at("active"), false);
  auto disables = admin.Json("GET", "/api/v1/provisioning-log?application_id=" + app_id +
                                        "&action=disable&status=success&limit=1000");
  ASSERT_EQ(disables.at("entries").as_array().size(), static_cast<size_t>(kUsers)) << disables;
  // Each entry says it went out in a batch.
  EXPECT_TRUE(disables.at("entries").at(0).at("detail").as_object().contains("batch"))
      << disables.at("entries").at(0);
}

}  // namespace
}  // namespace provisio::testing
