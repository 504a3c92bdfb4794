// Convergence under a misbehaving target and a crashing server: the SCIM emulator injects
// 5xx, 429 with Retry-After, timeouts and latency while Provisio is SIGKILLed three times;
// every user must end up in the target exactly once with the right attributes, and their
// group once with all of them.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "support/admin_client.h"
#include "support/eventually.h"
#include "support/http_client.h"
#include "support/process.h"

namespace provisio::testing {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr char kEmail[] = "root@example.com";
constexpr char kPassword[] = "a long admin password";
constexpr char kEmuToken[] = "emulator-token";
// The acceptance size is 10,000 (PROVISIO_FAULTS_USERS=10000: 130 s on the shared
// 2-core machine, against 72 s for 3,000): scripts/test runs it on SQLite, and 3,000 (the
// default) in its PostgreSQL pass. Rounded down to a multiple of 500.
const int kUsers = [] {
  const char* v = std::getenv("PROVISIO_FAULTS_USERS");
  int n = v ? std::atoi(v) : 3000;
  return n >= 500 ? n / 500 * 500 : 3000;
}();
// Every tenth user is renamed while the server is being killed: none of those changes may be
// lost.
bool Renamed(int n) { return n % 10 == 0; }

std::unique_ptr<ChildProcess> StartServer(const std::filesystem::path& dir, std::string& url) {
  auto p = std::make_unique<ChildProcess>(
      std::vector<std::string>{(BinDir() / "provisio").string(), "serve", "--listen", "127.0.0.1:0",
                               "--data-dir", dir.string(), "--config",
                               (dir / "provisio.toml").string()},
      std::map<std::string, std::string>{{"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", kEmail},
                                         {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", kPassword},
                                         {"PROVISIO_LOG_LEVEL", "error"}});
  url = p->WaitForLine("listening on ");
  return p;
}

TEST(ProvisioningFaultsTest, ConvergesThroughFaultsAndKills) {
  ChildProcess emulator({(BinDir() / "provisio-emulator").string(), "scim2", "--listen",
                         "127.0.0.1:0", "--token", kEmuToken, "--seed", "7", "--faults",
                         "500:0.05,429:0.05:retry-after=1,timeout:0.01:after=3s,latency:2ms"},
                        {{"PROVISIO_LOG_LEVEL", "error"}});
  std::string emu = emulator.WaitForLine("listening on ");
  ASSERT_FALSE(emu.empty());
  auto dir = MakeTempDir("provisio-faults");
  // Short timeouts and backoff so the injected timeouts and retries fit a test's time.
  std::ofstream(dir / "provisio.toml") << "[outbound]\ntimeout_ms = 1000\n"
                                          "[provisioning]\nworkers = 16\nmax_attempts = 50\n";
  std::string url;
  auto server = StartServer(dir, url);
  ASSERT_FALSE(url.empty()) << server->ReadStderr();

  AdminClient admin(url, kEmail, kPassword);
  ASSERT_TRUE(admin.ok());
  auto token = admin.Json("POST", "/api/v1/scim-tokens", object{{"name", "hr"}});
  std::string scim_auth = "Authorization: Bearer " + std::string(token.at("token").as_string());
  std::map<int, std::string> ids;  // user number -> Provisio id
  for (int chunk = 0; chunk < kUsers / 500; ++chunk) {
    array ops;
    for (int i = chunk * 500; i < (chunk + 1) * 500; ++i) {
      std::string n = std::to_string(i);
      ops.push_back(object{
          {"method", "POST"},
          {"path", "/Users"},
          {"bulkId", "u" + n},
          {"data", object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:User"}},
                          {"userName", "f" + n + "@example.com"},
                          {"name", object{{"givenName", "G" + n}, {"familyName", "F" + n}}}}}});
    }
    auto r = Fetch("POST", url + "/scim/v2/Bulk", {scim_auth},
                   boost::json::serialize(object{
                       {"schemas", array{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}},
                       {"Operations", std::move(ops)}}));
    ASSERT_EQ(r.status, 200);
  }
  // Everyone through one group assignment.
  array members;
  for (int start = 1; start <= kUsers; start += 1000) {
    auto page = Fetch("GET",
                      url + "/scim/v2/Users?attributes=id,userName&count=1000&startIndex=" +
                          std::to_string(start),
                      {scim_auth});
    const value body = page.Json();
    for (const auto& u : body.at("Resources").as_array()) {
      members.push_back(object{{"value", u.at("id")}});
      std::string name(u.at("userName").as_string());
      ids[std::stoi(name.substr(1, name.find('@') - 1))] = std::string(u.at("id").as_string());
    }
  }
  ASSERT_EQ(members.size(), static_cast<size_t>(kUsers));
  auto group = Fetch("POST", url + "/scim/v2/Groups", {scim_auth},
                     boost::json::serialize(
                         object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                                {"displayName", "Everyone"},
                                {"members", std::move(members)}}));
  ASSERT_EQ(group.status, 201);
  auto conn = admin.Json("POST", "/api/v1/connections",
                         object{{"name", "Flaky"},
                                {"type", "scim2"},
                                {"base_url", emu + "/scim/v2"},
                                {"auth", object{{"kind", "bearer"}, {"token", kEmuToken}}}});
  auto app = admin.Json("POST", "/api/v1/applications",
                        object{{"template", "scim2"},
                               {"name", "Flaky SaaS"},
                               {"capabilities", array{"provisioning"}},
                               {"connection_id", conn.at("id")}});
  ASSERT_TRUE(app.as_object().contains("id")) << app;
  std::string app_id(app.at("id").as_string());
  auto assigned = admin.Json("POST", "/api/v1/applications/" + app_id + "/assignments",
                             object{{"group_id", group.Json().at("id")}});
  ASSERT_TRUE(assigned.as_object().contains("id")) << assigned;

  auto emu_users = [&] {
    return Fetch("GET", emu + "/_emulator/stats").Json().at("users").to_number<int64_t>();
  };
  // Kill the server three times while it works, restarting it on the same data.
  for (int kill = 0; kill < 3; ++kill) {
    int64_t before = emu_users();
    Eventually([&] { return emu_users() > before + kUsers / 8; }, 60);
    EXPECT_EQ(server->Stop(SIGKILL), 128 + SIGKILL);
    server = StartServer(dir, url);
    ASSERT_FALSE(url.empty()) << server->ReadStderr();
    if (kill == 0) {
      // Changes made while accounts are being created and the server keeps dying.
      for (const auto& [n, id] : ids) {
        if (!Renamed(n)) continue;
        auto r = Fetch("PATCH", url + "/scim/v2/Users/" + id, {scim_auth},
                       boost::json::serialize(object{
                           {"schemas", array{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                           {"Operations", array{object{{"op", "replace"},
                                                       {"path", "name.givenName"},
                                                       {"value", "H" + std::to_string(n)}}}}}));
        ASSERT_EQ(r.status, 200) << r.body;
      }
    }
  }
  // Patience grows with the size (a time limit on convergence, not a speed assertion).
  const int patience = std::max(300, kUsers / 20);
  ASSERT_TRUE(Eventually([&] { return emu_users() >= kUsers; }, patience)) << emu_users();
  AdminClient after(url, kEmail, kPassword);
  ASSERT_TRUE(Eventually(
      [&] {
        auto s = after.Json("GET", "/api/v1/status");
        return s.is_object() && s.at("queue_depth") == 0 && s.at("in_flight") == 0;
      },
      patience));
  // Exactly one account per user, with its attributes: no duplicate, no lost change.
  EXPECT_EQ(emu_users(), kUsers);
  std::set<std::string> names;
  std::map<std::string, std::string> account_names;  // target id -> userName
  for (int start = 1; start <= kUsers; start += 500) {
    value page;
    ASSERT_TRUE(Eventually(
        [&] {
          auto r =
              Fetch("GET", emu + "/scim/v2/Users?count=500&startIndex=" + std::to_string(start),
                    {std::string("Authorization: Bearer ") + kEmuToken});
          if (r.status != 200) return false;  // an injected fault: ask again
          page = r.Json();
          return true;
        },
        30));
    for (const auto& u : page.at("Resources").as_array()) {
      std::string name(u.at("userName").as_string());
      EXPECT_TRUE(names.insert(name).second) << "duplicate " << name;
      account_names[std::string(u.at("id").as_string())] = name;
      std::string n = name.substr(1, name.find('@') - 1);
      std::string given = (Renamed(std::stoi(n)) ? "H" : "G") + n;
      EXPECT_EQ(u.at("name").at("givenName"), boost::json::value(given)) << name;
    }
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kUsers));
  // The assigned group was pushed too (group push), through the same faults and kills:
  // exactly one group in the target, holding every account.
  value groups;
  ASSERT_TRUE(Eventually(
      [&] {
        auto r = Fetch("GET", emu + "/scim/v2/Groups",
                       {std::string("Authorization: Bearer ") + kEmuToken});
        if (r.status != 200) return false;
        groups = r.Json();
        return true;
      },
      60));
  ASSERT_EQ(groups.at("totalResults"), 1) << boost::json::serialize(groups).substr(0, 500);
  const auto& pushed = groups.at("Resources").at(0);
  EXPECT_EQ(pushed.at("displayName"), "Everyone");
  std::set<std::string> member_ids;
  for (const auto& m : pushed.at("members").as_array()) {
    member_ids.insert(std::string(m.at("value").as_string()));
  }
  EXPECT_EQ(member_ids.size(), static_cast<size_t>(kUsers));
  // Whoever is missing, with what the provisioning log says of them, so a failure names its
  // cause.
  int shown = 0;
  for (const auto& [target_id, name] : account_names) {
    if (member_ids.contains(target_id) || ++shown > 3) continue;
    int n = std::stoi(name.substr(1, name.find('@') - 1));
    auto log = after.Json("GET", "/api/v1/provisioning-log?user_id=" + ids[n] + "&limit=20");
    ADD_FAILURE() << name << " (" << target_id << ") is not in the group; its log: " << log;
  }
  auto dead = after.Json("GET", "/api/v1/status");
  EXPECT_EQ(dead.at("dead_letters"), 0) << dead;
  server->Stop(SIGTERM);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace provisio::testing
