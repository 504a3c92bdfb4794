// End to end: users pushed into Provisio over SCIM, an application connected to the SCIM
// emulator, assignments made through the admin API; accounts must appear, follow changes
// and be deprovisioned in the emulator, and a sync with nothing to do must write nothing.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "support/admin_client.h"
#include "support/http_client.h"
#include "support/process.h"

namespace provisio::testing {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr char kAdminEmail[] = "root@example.com";
constexpr char kAdminPassword[] = "a long admin password";
constexpr char kEmuToken[] = "emulator-token";

// Polls `check` until it holds or `seconds` pass.
template <typename F>
bool Eventually(F&& check, int seconds = 120) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return check();
}

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
  auto conn = admin.Json("POST", "/api/v1/connections",
                         object{{"name", "Emulator"},
                                {"type", "scim2"},
                                {"base_url", *emu_url_ + "/scim/v2"},
                                {"auth", object{{"kind", "bearer"}, {"token", kEmuToken}}}});
  ASSERT_TRUE(conn.as_object().contains("id")) << conn;
  auto app = admin.Json("POST", "/api/v1/applications",
                        object{{"template", "scim2"},
                               {"name", "Emulated SaaS"},
                               {"description", "the SCIM emulator"},
                               {"capabilities", array{"provisioning"}},
                               {"connection_id", conn.at("id")},
                               {"settings", object{{"deprovisioning_action", "disable"},
                                                   {"deletion_threshold", 5000}}}});
  ASSERT_TRUE(app.as_object().contains("id")) << app;
  ASSERT_EQ(app.at("state"), "active");
  std::string app_id(app.at("id").as_string());
  std::string apps = "/api/v1/applications/" + app_id;

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
    EXPECT_GE(sync.at("enqueued").to_number<int64_t>(), 999);
    ASSERT_TRUE(Eventually(quiet));
    EXPECT_EQ(EmuWrites(), writes) << mode << " sync wrote to the target";
  }

  // Every action is in the provisioning log.
  auto log = admin.Json("GET", "/api/v1/provisioning-log?application_id=" + app_id + "&limit=5");
  ASSERT_TRUE(log.as_object().contains("entries")) << log;
  EXPECT_EQ(log.at("entries").as_array().size(), 5u);
  auto dry = admin.Json("POST", apps + "/sync", object{{"mode", "full"}, {"dry_run", true}});
  EXPECT_EQ(dry.at("dry_run"), true) << dry;
}

}  // namespace
}  // namespace provisio::testing
