// The engine's operational limits end to end, against the SCIM emulator as a real process:
// an application's rate limit and concurrency cap hold on the calls that reach the target,
// and a quarantined application comes back by itself once its target answers again.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>

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

std::unique_ptr<ChildProcess> StartEmulator(const std::string& listen,
                                            const std::filesystem::path& state,
                                            const std::string& faults) {
  std::vector<std::string> args{(BinDir() / "provisio-emulator").string(),
                                "scim2",
                                "--listen",
                                listen,
                                "--token",
                                kEmuToken,
                                "--state",
                                state.string()};
  if (!faults.empty()) {
    args.push_back("--faults");
    args.push_back(faults);
  }
  return std::make_unique<ChildProcess>(
      args, std::map<std::string, std::string>{{"PROVISIO_LOG_LEVEL", "error"}});
}

value Stats(const std::string& emu) { return Fetch("GET", emu + "/_emulator/stats").Json(); }
int64_t EmuUsers(const std::string& emu) { return Stats(emu).at("users").to_number<int64_t>(); }
int64_t Requests(const std::string& emu) {
  int64_t n = 0;
  const value stats = Stats(emu);  // the loop must not outlive it
  for (const auto& [k, v] : stats.at("requests").as_object()) n += v.to_number<int64_t>();
  return n;
}

class ProvisioningOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("provisio-ops");
    StartServer("");
  }
  // A fresh server whose [provisioning] section also holds `extra` (one setting a line).
  void StartServer(const std::string& extra) {
    admin_.reset();
    server_.reset();
    std::ofstream(dir_ / "provisio.toml") << "[provisioning]\nquarantine_probe_seconds = 1\n"
                                          << extra;
    server_ = std::make_unique<ProvisioServer>(
        std::map<std::string, std::string>{{"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", kEmail},
                                           {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", kPassword},
                                           {"PROVISIO_CONFIG", (dir_ / "provisio.toml").string()},
                                           {"PROVISIO_LOG_LEVEL", "warn"}});
    admin_ = std::make_unique<AdminClient>(server_->url(), kEmail, kPassword);
    ASSERT_TRUE(admin_->ok());
  }
  void TearDown() override {
    admin_.reset();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Stops the emulator at `emu` and starts it again at the same address, on the same data,
  // with `faults`.
  void RestartEmulator(std::unique_ptr<ChildProcess>& emulator, const std::string& emu,
                       const std::string& faults) {
    emulator->Stop(SIGTERM);
    emulator = StartEmulator(emu.substr(emu.find("://") + 3), dir_ / "scim.json", faults);
    ASSERT_EQ(emulator->WaitForLine("listening on "), emu);
  }

  // `n` users in one group; returns the group's id.
  std::string MakeUsers(int n, const std::string& prefix) {
    auto token = admin_->Json("POST", "/api/v1/scim-tokens", object{{"name", prefix}});
    std::string auth = "Authorization: Bearer " + std::string(token.at("token").as_string());
    array members;
    for (int i = 0; i < n; ++i) {
      auto r = Fetch("POST", server_->url() + "/scim/v2/Users", {auth},
                     boost::json::serialize(
                         object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:User"}},
                                {"userName", prefix + std::to_string(i) + "@example.com"},
                                {"name", object{{"givenName", "G"}, {"familyName", "F"}}}}));
      EXPECT_EQ(r.status, 201) << r.body;
      members.push_back(object{{"value", r.Json().at("id")}});
    }
    auto g = Fetch("POST", server_->url() + "/scim/v2/Groups", {auth},
                   boost::json::serialize(
                       object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                              {"displayName", prefix},
                              {"members", std::move(members)}}));
    EXPECT_EQ(g.status, 201) << g.body;
    return std::string(g.Json().at("id").as_string());
  }
  std::string App(const std::string& emu, object settings) {
    auto conn = admin_->Json("POST", "/api/v1/connections",
                             object{{"name", "Target"},
                                    {"type", "scim2"},
                                    {"base_url", emu + "/scim/v2"},
                                    {"auth", object{{"kind", "bearer"}, {"token", kEmuToken}}},
                                    {"settings", object{{"bulk", "false"}}}});
    EXPECT_TRUE(conn.as_object().contains("id")) << conn;
    auto app = admin_->Json("POST", "/api/v1/applications",
                            object{{"template", "scim2"},
                                   {"name", "Target SaaS"},
                                   {"capabilities", array{"provisioning"}},
                                   {"connection_id", conn.at("id")},
                                   {"settings", std::move(settings)}});
    EXPECT_TRUE(app.as_object().contains("id")) << app;
    return std::string(app.at("id").as_string());
  }
  value AppStatus(const std::string& app_id) {
    auto r = admin_->Call("GET", "/api/v1/status");
    auto s = r.Json();
    if (!s.is_object() || !s.as_object().contains("applications")) {
      ADD_FAILURE() << "status: " << r.status << " " << r.body;
      return value();
    }
    for (const auto& a : s.at("applications").as_array()) {
      if (a.at("id") == value(app_id)) return a;
    }
    return value();
  }

  std::filesystem::path dir_;
  std::unique_ptr<ProvisioServer> server_;
  std::unique_ptr<AdminClient> admin_;
};

TEST_F(ProvisioningOpsTest, RateLimitAndConcurrencyHoldOnTheTarget) {
  // Every request takes 30 ms, so without a cap the engine's 16 workers overlap.
  auto emulator = StartEmulator("127.0.0.1:0", dir_ / "scim.json", "latency:30ms");
  std::string emu = emulator->WaitForLine("listening on ");
  ASSERT_FALSE(emu.empty());
  // Bad settings are refused and change nothing.
  for (auto [key, bad] : {std::pair<const char*, value>{"rate_limit_per_second", -1},
                          {"rate_limit_burst", 1.5},
                          {"concurrency", "four"},
                          {"concurrency", 513}}) {
    auto r = admin_->Call("POST", "/api/v1/applications",
                          boost::json::serialize(object{{"template", "scim2"},
                                                        {"name", "Bad"},
                                                        {"capabilities", array{"provisioning"}},
                                                        {"settings", object{{key, bad}}}}));
    EXPECT_EQ(r.status, 400) << key << " " << r.body;
    EXPECT_NE(r.body.find(std::string("settings.") + key), std::string::npos) << r.body;
  }
  constexpr int kUsers = 100;
  constexpr double kRate = 40;
  constexpr int kBurst = 5;
  std::string group = MakeUsers(kUsers, "rl");
  std::string app = App(
      emu,
      object{{"rate_limit_per_second", kRate}, {"rate_limit_burst", kBurst}, {"concurrency", 2}});
  auto created = admin_->Json("GET", "/api/v1/applications/" + app);
  EXPECT_EQ(created.at("settings").at("concurrency"), 2) << created;
  int64_t before = Requests(emu);
  auto started = std::chrono::steady_clock::now();
  auto assigned = admin_->Json("POST", "/api/v1/applications/" + app + "/assignments",
                               object{{"group_id", group}});
  ASSERT_TRUE(assigned.as_object().contains("id")) << assigned;
  ASSERT_TRUE(Eventually([&] { return EmuUsers(emu) == kUsers; }, 120)) << EmuUsers(emu);
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  int64_t calls = Requests(emu) - before;
  // Each account took a lookup and a create. Upper bounds only: a slow machine makes fewer
  // calls per second, never more, so these cannot fail by slowness.
  EXPECT_GE(calls, 2 * kUsers);
  EXPECT_LE(static_cast<double>(calls), kBurst + kRate * elapsed + 1)
      << calls << " calls in " << elapsed << " s";
  int64_t most = Stats(emu).at("max_in_flight").to_number<int64_t>();
  EXPECT_LE(most, 2);
  EXPECT_GE(most, 1);
  // Nothing was lost to the throttling: no dead letters, no failures.
  ASSERT_TRUE(Eventually([&] { return AppStatus(app).at("queue_depth") == 0; }, 60));
  EXPECT_EQ(AppStatus(app).at("dead_letters"), 0);
  EXPECT_EQ(AppStatus(app).at("failed"), 0) << AppStatus(app);
}

TEST_F(ProvisioningOpsTest, RateLimitedAnswersNeverUseUpAnItemsAttempts) {
  // Half the target's answers are 429 (Retry-After: 0, so the test does not wait), and an
  // item may fail only twice before it is dead-lettered. Each account takes two calls (a
  // lookup and a create), so most items are refused twice or more: they must all still be
  // made, because slowing down is what a 429 asks for, not giving up.
  ASSERT_NO_FATAL_FAILURE(StartServer("max_attempts = 2\n"));
  auto emulator = StartEmulator("127.0.0.1:0", dir_ / "scim.json", "429:0.5:retry-after=0");
  std::string emu = emulator->WaitForLine("listening on ");
  ASSERT_FALSE(emu.empty());
  constexpr int kUsers = 40;
  std::string group = MakeUsers(kUsers, "busy");
  std::string app = App(emu, object{});
  admin_->Json("POST", "/api/v1/applications/" + app + "/assignments", object{{"group_id", group}});
  ASSERT_TRUE(Eventually([&] { return EmuUsers(emu) == kUsers; }, 120))
      << EmuUsers(emu) << " " << AppStatus(app);
  ASSERT_TRUE(Eventually([&] { return AppStatus(app).at("queue_depth") == 0; }, 60));
  value status = AppStatus(app);
  EXPECT_EQ(status.at("dead_letters"), 0) << status;
  EXPECT_EQ(status.at("state"), "active") << status;
  // The refusals were real and each was logged as a retry.
  auto retried = admin_->Json(
      "GET", "/api/v1/provisioning-log?application_id=" + app + "&status=retrying&limit=10");
  EXPECT_FALSE(retried.at("entries").as_array().empty()) << retried;
  auto failed = admin_->Json(
      "GET", "/api/v1/provisioning-log?application_id=" + app + "&status=failure&limit=10");
  EXPECT_TRUE(failed.at("entries").as_array().empty()) << failed;
}

TEST_F(ProvisioningOpsTest, DeadLettersAreListedAndRetriedByAnAdminOrAFullSync) {
  // Every answer is a 500 and an item may fail twice: each user's change is dead-lettered, and
  // so is the assigned group's (its item settles whether the group is pushed).
  ASSERT_NO_FATAL_FAILURE(StartServer("max_attempts = 2\n"));
  auto emulator = StartEmulator("127.0.0.1:0", dir_ / "scim.json", "500:1.0");
  std::string emu = emulator->WaitForLine("listening on ");
  ASSERT_FALSE(emu.empty());
  constexpr int kUsers = 6;
  std::string group = MakeUsers(kUsers, "dl");
  std::string app = App(emu, object{});
  auto dead_letters = [&] {
    value s = AppStatus(app);
    return s.is_object() && s.as_object().contains("dead_letters")
               ? s.at("dead_letters").to_number<int64_t>()
               : -1;
  };
  admin_->Json("POST", "/api/v1/applications/" + app + "/assignments", object{{"group_id", group}});
  ASSERT_TRUE(Eventually([&] { return dead_letters() == kUsers + 1; }, 60)) << AppStatus(app);
  // Listed a page at a time, each with its name and why it gave up.
  const std::string dead = "/api/v1/applications/" + app + "/dead-letters";
  auto page = admin_->Json("GET", dead + "?limit=4");
  ASSERT_TRUE(page.is_object() && page.as_object().contains("items")) << page;
  ASSERT_EQ(page.at("items").as_array().size(), 4u) << page;
  ASSERT_TRUE(page.as_object().contains("next")) << page;
  auto rest =
      admin_->Json("GET", dead + "?limit=4&after=" + std::string(page.at("next").as_string()));
  ASSERT_EQ(rest.at("items").as_array().size(), 3u) << rest;
  EXPECT_FALSE(rest.as_object().contains("next")) << rest;
  int users = 0;
  for (const auto* list : {&page, &rest}) {
    for (const auto& item : list->at("items").as_array()) {
      EXPECT_EQ(item.at("attempts"), 2) << item;
      EXPECT_NE(std::string(item.at("last_error").as_string()).find("500"), std::string::npos)
          << item;
      const auto& o = item.as_object();
      if (o.contains("user_id")) {
        ++users;
        EXPECT_EQ(std::string(item.at("userName").as_string()).substr(0, 2), "dl") << item;
      } else {
        EXPECT_EQ(item.at("displayName"), "dl") << item;
      }
    }
  }
  EXPECT_EQ(users, kUsers);
  EXPECT_EQ(admin_->Call("GET", dead + "?after=nonsense").status, 400);

  // The target recovers. Retrying as an admin queues them all again, and they are made.
  ASSERT_NO_FATAL_FAILURE(RestartEmulator(emulator, emu, ""));
  auto retried = admin_->Json("POST", dead + "/retry", object{});
  EXPECT_EQ(retried.at("revived"), kUsers + 1) << retried;
  ASSERT_TRUE(Eventually([&] { return EmuUsers(emu) == kUsers; }, 60)) << AppStatus(app);
  ASSERT_TRUE(Eventually([&] { return dead_letters() == 0; }, 30));
  EXPECT_TRUE(admin_->Json("GET", dead).at("items").as_array().empty());
  auto audit = admin_->Json("GET", "/api/v1/audit-log?limit=5");
  EXPECT_NE(boost::json::serialize(audit).find("application.retry_dead_letters"), std::string::npos)
      << audit;

  // A full sync gives dead letters another chance too: one more user (and its group) dies
  // while the target fails, and the full sync after it recovers makes that account.
  ASSERT_NO_FATAL_FAILURE(RestartEmulator(emulator, emu, "500:1.0"));
  std::string late = MakeUsers(1, "late");
  admin_->Json("POST", "/api/v1/applications/" + app + "/assignments", object{{"group_id", late}});
  ASSERT_TRUE(Eventually([&] { return dead_letters() == 2; }, 60)) << AppStatus(app);
  ASSERT_NO_FATAL_FAILURE(RestartEmulator(emulator, emu, ""));
  auto sync =
      admin_->Json("POST", "/api/v1/applications/" + app + "/sync", object{{"mode", "full"}});
  EXPECT_EQ(sync.at("revived"), 2) << sync;
  ASSERT_TRUE(Eventually([&] { return EmuUsers(emu) == kUsers + 1; }, 60)) << AppStatus(app);
}

TEST_F(ProvisioningOpsTest, QuarantineIsLiftedWhenTheTargetRecovers) {
  // The target refuses every request (401, injected): the application is quarantined.
  auto emulator = StartEmulator("127.0.0.1:0", dir_ / "scim.json", "401:1.0");
  std::string emu = emulator->WaitForLine("listening on ");
  ASSERT_FALSE(emu.empty());
  std::string group = MakeUsers(5, "q");
  std::string app = App(emu, object{});
  admin_->Json("POST", "/api/v1/applications/" + app + "/assignments", object{{"group_id", group}});
  ASSERT_TRUE(Eventually([&] { return AppStatus(app).at("state") == "quarantined"; }, 60))
      << AppStatus(app);
  value quarantined = AppStatus(app);
  ASSERT_TRUE(quarantined.as_object().contains("reason")) << quarantined;
  EXPECT_NE(std::string(quarantined.at("reason").as_string()).find("refused"), std::string::npos)
      << quarantined;
  EXPECT_TRUE(Eventually([&] { return AppStatus(app).as_object().contains("next_probe"); }, 10))
      << AppStatus(app);
  EXPECT_EQ(EmuUsers(emu), 0);
  // The probes keep failing while the target does: still quarantined a few probes later.
  // (A failed probe sets the next one further off; the emulator counts no refused request.)
  value first_probe = AppStatus(app).at("next_probe");
  ASSERT_TRUE(Eventually([&] { return AppStatus(app).at("next_probe") != first_probe; }, 30));
  EXPECT_EQ(AppStatus(app).at("state"), "quarantined");
  // The target recovers (same address and data, no faults): the next probe lifts the
  // quarantine and the waiting accounts are made.
  ASSERT_NO_FATAL_FAILURE(RestartEmulator(emulator, emu, ""));
  ASSERT_TRUE(Eventually([&] { return AppStatus(app).at("state") == "active"; }, 60))
      << AppStatus(app);
  EXPECT_FALSE(AppStatus(app).as_object().contains("reason")) << AppStatus(app);
  ASSERT_TRUE(Eventually([&] { return EmuUsers(emu) == 5; }, 90)) << EmuUsers(emu);
  auto log = admin_->Json("GET", "/api/v1/provisioning-log?application_id=" + app + "&limit=200");
  bool resumed = false;
  ASSERT_TRUE(log.is_object() && log.as_object().contains("entries")) << log;
  const auto& entries = log.at("entries").as_array();
  for (const auto& e : entries) {
    if (e.at("action") != "resume") continue;
    resumed = resumed || e.at("status") == "success";
    // The application's own entry: named by application_id, not passed off as a user's.
    EXPECT_EQ(e.at("subject_type"), "application") << e;
    EXPECT_FALSE(e.as_object().contains("user_id")) << e;
  }
  EXPECT_TRUE(resumed) << log;
}

}  // namespace
}  // namespace provisio::testing
