// Two `provisio serve` nodes on one PostgreSQL database share the provisioning work: users
// assigned through one node's API are each created once in the SCIM emulator, both nodes
// take part, and when one node is SIGKILLed mid-run the other finishes its leased work once
// the lease lapses, with no duplicate account.
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>

#include <fstream>
#include <set>
#include <thread>

#include "support/admin_client.h"
#include "support/eventually.h"
#include "support/http_client.h"
#include "support/postgres_server.h"
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
constexpr int kUsers = 10'000;

std::string RandomMasterKey() {
  unsigned char key[32];
  randombytes_buf(key, sizeof key);
  char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, key, sizeof key, sodium_base64_VARIANT_ORIGINAL);
  return b64;
}

std::string UserName(int i) { return "person" + std::to_string(i) + "@example.com"; }

TEST(MultiNodeTest, TwoNodesShareTheWorkAndSurviveAKill) {
  ASSERT_EQ(sodium_init() >= 0, true);
  std::string why;
  PostgresServer* pg = SharedPostgres(&why);
  ASSERT_NE(pg, nullptr) << why;
  const std::string database = pg->CreateDatabase();

  ChildProcess emulator({(BinDir() / "provisio-emulator").string(), "scim2", "--listen",
                         "127.0.0.1:0", "--token", kEmuToken},
                        {{"PROVISIO_LOG_LEVEL", "warn"}});
  const std::string emu = emulator.WaitForLine("listening on ");
  ASSERT_FALSE(emu.empty());
  auto emu_stats = [&] {
    return Fetch("GET", emu + "/_emulator/stats",
                 {std::string("Authorization: Bearer ") + kEmuToken})
        .Json();
  };
  auto emu_users = [&] { return emu_stats().at("users").to_number<int64_t>(); };

  // Both nodes: the same database and master key, a short lease so the test need not wait
  // two minutes for a dead node's items.
  auto config = MakeTempDir("provisio-multinode") / "provisio.toml";
  std::ofstream(config) << "[provisioning]\nlease_seconds = 5\n";
  const std::string key = RandomMasterKey();
  auto node = [&](const std::string& name, bool bootstrap) {
    std::map<std::string, std::string> env{{"PROVISIO_MASTER_KEY", key},
                                           {"PROVISIO_NODE_NAME", name}};
    if (bootstrap) {
      env["PROVISIO_BOOTSTRAP_ADMIN_EMAIL"] = kAdminEmail;
      env["PROVISIO_BOOTSTRAP_ADMIN_PASSWORD"] = kAdminPassword;
    }
    return std::make_unique<ProvisioServer>(
        env, std::vector<std::string>{"--database", database, "--config", config.string()});
  };
  auto node_a = node("node-a", true);
  auto node_b = node("node-b", false);

  // A third node with another master key is refused: it could not read the secrets.
  {
    std::map<std::string, std::string> env{{"PROVISIO_MASTER_KEY", RandomMasterKey()}};
    ChildProcess wrong(
        {(BinDir() / "provisio").string(), "serve", "--listen", "127.0.0.1:0", "--data-dir",
         MakeTempDir("provisio-wrongkey").string(), "--database", database},
        env);
    EXPECT_NE(wrong.Wait(std::chrono::seconds(30)), 0);
    EXPECT_NE(wrong.ReadStderr().find("master key"), std::string::npos);
  }

  // Admins live in the database: the one node A created signs in on node B.
  AdminClient admin(node_a->url(), kAdminEmail, kAdminPassword);
  ASSERT_TRUE(admin.ok());
  AdminClient admin_b(node_b->url(), kAdminEmail, kAdminPassword);
  ASSERT_TRUE(admin_b.ok());

  // 10,000 users pushed in through node A's SCIM Bulk endpoint, all in one group.
  auto token = admin.Json("POST", "/api/v1/scim-tokens", object{{"name", "hr"}});
  ASSERT_TRUE(token.as_object().contains("token")) << token;
  const std::string scim_auth =
      "Authorization: Bearer " + std::string(token.at("token").as_string());
  std::vector<object> users;
  for (int i = 0; i < kUsers; ++i) {
    users.push_back(object{{"userName", UserName(i)},
                           {"name", object{{"givenName", "Given" + std::to_string(i)},
                                           {"familyName", "Family" + std::to_string(i)}}},
                           {"emails", array{object{{"value", UserName(i)}, {"primary", true}}}},
                           {"active", true}});
  }
  std::vector<std::string> ids = BulkCreateUsers(node_a->url(), scim_auth, std::move(users));
  ASSERT_FALSE(HasFailure());
  auto group = Fetch("POST", node_a->url() + "/scim/v2/Groups", {scim_auth},
                     boost::json::serialize(
                         object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                                {"displayName", "Everyone"}}));
  ASSERT_EQ(group.status, 201) << group.body;
  const std::string group_id(group.Json().at("id").as_string());
  for (int chunk = 0; chunk < kUsers / 1000; ++chunk) {
    array members;
    for (int i = chunk * 1000; i < (chunk + 1) * 1000; ++i)
      members.push_back(object{{"value", ids[i]}});
    auto patch =
        Fetch("PATCH", node_a->url() + "/scim/v2/Groups/" + group_id, {scim_auth},
              boost::json::serialize(
                  object{{"schemas", array{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                         {"Operations",
                          array{object{{"op", "add"}, {"path", "members"}, {"value", members}}}}}));
    ASSERT_EQ(patch.status / 100, 2) << patch.body.substr(0, 300);
  }

  // The application, created and assigned through node A's admin API.
  auto conn = admin.Json("POST", "/api/v1/connections",
                         object{{"name", "Emulator"},
                                {"type", "scim2"},
                                {"base_url", emu + "/scim/v2"},
                                {"auth", object{{"kind", "bearer"}, {"token", kEmuToken}}}});
  ASSERT_TRUE(conn.as_object().contains("id")) << conn;
  auto app = admin.Json("POST", "/api/v1/applications",
                        object{{"template", "scim2"},
                               {"name", "Emulated SaaS"},
                               {"capabilities", array{"provisioning"}},
                               {"connection_id", conn.at("id")},
                               {"settings", object{{"deletion_threshold", 20000}}}});
  ASSERT_EQ(app.at("state"), "active") << app;
  const std::string app_id(app.at("id").as_string());
  auto assignment = admin.Json("POST", "/api/v1/applications/" + app_id + "/assignments",
                               object{{"group_id", group_id}});
  ASSERT_TRUE(assignment.as_object().contains("id")) << assignment;

  // Mid-run, node B dies without a word; its leased items lapse and node A finishes them.
  // Late enough that node B has recorded finished batches (workers record 64 at a time).
  ASSERT_TRUE(Eventually([&] { return emu_users() >= kUsers / 2; }, 300)) << emu_users();
  ASSERT_LT(emu_users(), kUsers) << "the run ended before node B could be killed";
  EXPECT_EQ(node_b->process().Stop(SIGKILL), 128 + SIGKILL);
  const std::string node_b_log = node_b->process().ReadStderr();
  ASSERT_TRUE(Eventually([&] { return emu_users() == kUsers; }, 600)) << emu_users();
  auto quiet = [&] {
    auto s = admin.Json("GET", "/api/v1/status");
    return s.at("queue_depth") == 0 && s.at("in_flight") == 0;
  };
  ASSERT_TRUE(Eventually(quiet, 120));

  // Exactly once: one account per user (the emulator keeps userName unique), none extra.
  EXPECT_EQ(emu_users(), kUsers);
  auto listed =
      Fetch("GET",
            emu + "/scim/v2/Users?count=1&filter=userName%20eq%20%22" + UserName(4242) + "%22",
            {std::string("Authorization: Bearer ") + kEmuToken})
          .Json();
  EXPECT_EQ(listed.at("totalResults"), 1);

  // Both nodes did work: the provisioning log names each.
  std::map<std::string, int> by_node;
  int64_t before = 0;
  for (;;) {
    std::string path = "/api/v1/provisioning-log?application_id=" + app_id + "&limit=1000";
    if (before > 0) path += "&before=" + std::to_string(before);
    const value page = admin.Json("GET", path);
    const auto& entries = page.at("entries").as_array();
    if (entries.empty()) break;
    for (const auto& e : entries) {
      if (e.at("action") == "create" && e.at("status") == "success") {
        ++by_node[std::string(e.at("node").as_string())];
      }
    }
    before = entries.back().at("id").to_number<int64_t>();
  }
  std::string summary;
  for (const auto& [name, n] : by_node) summary += name + "=" + std::to_string(n) + " ";
  EXPECT_GT(by_node["node-a"], 0) << summary;
  EXPECT_GT(by_node["node-b"], 0) << summary << node_b_log;
  int created = 0;
  for (const auto& [name, n] : by_node) created += n;
  EXPECT_LE(created, kUsers) << "more creates logged than users";
}

}  // namespace
}  // namespace provisio::testing
