// `provisio` as a user runs it: serve, version, admin create, configuration errors.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>

#include "support/http_client.h"
#include "support/process.h"

namespace provisio::testing {
namespace {

namespace fs = std::filesystem;

std::string Provisio() { return (BinDir() / "provisio").string(); }

TEST(ServeTest, ServesHealthReadinessAndMetrics) {
  ProvisioServer server;
  auto health = Fetch("GET", server.url() + "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.Json(), boost::json::parse(R"({"status":"ok"})"));
  EXPECT_FALSE(health.Header("x-request-id").empty());

  auto ready = Fetch("GET", server.url() + "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.Json().at("status"), "ready");

  auto metrics = Fetch("GET", server.url() + "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("provisio_http_requests_total{"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("route=\"/healthz\""), std::string::npos);

  if (server.database().empty()) {
    EXPECT_TRUE(fs::exists(server.data_dir() / "provisio.db"));
  }
  struct stat st {};
  ASSERT_EQ(stat((server.data_dir() / "master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(server.process().Stop(SIGTERM), 0);
}

TEST(ServeTest, UnknownRouteIsAJsonError) {
  ProvisioServer server;
  // Outside /api and /scim an unknown path is a console route (index.html); under them it
  // is a JSON error.
  auto r = Fetch("GET", server.url() + "/api/v1/no/such/thing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Json().at("error").at("code"), "not_found");
  auto m = Fetch("DELETE", server.url() + "/healthz");
  EXPECT_EQ(m.status, 405);
  EXPECT_NE(m.Header("allow").find("GET"), std::string::npos);
}

TEST(ServeTest, SigintStopsCleanly) {
  ProvisioServer server;
  EXPECT_EQ(Fetch("GET", server.url() + "/healthz").status, 200);
  EXPECT_EQ(server.process().Stop(SIGINT), 0);
  EXPECT_NE(Fetch("GET", server.url() + "/healthz").status, 200);
}

TEST(ServeTest, RestartKeepsTheDataDirUsable) {
  auto dir = MakeTempDir("provisio-restart");
  for (int i = 0; i < 2; ++i) {
    ChildProcess p({Provisio(), "serve", "--listen", "127.0.0.1:0", "--data-dir", dir.string()},
                   {{"PROVISIO_LOG_LEVEL", "warn"}});
    auto url = p.WaitForLine("listening on ");
    ASSERT_FALSE(url.empty()) << p.ReadStderr();
    EXPECT_EQ(Fetch("GET", url + "/readyz").status, 200);
    EXPECT_EQ(p.Stop(SIGTERM), 0);
  }
  fs::remove_all(dir);
}

TEST(CliTest, VersionPrintsTheVersion) {
  ChildProcess p({Provisio(), "version"});
  EXPECT_EQ(p.Wait(), 0);
  p.WaitForLine("never", std::chrono::milliseconds(200));
  EXPECT_EQ(p.output().rfind("provisio ", 0), 0u) << p.output();
}

TEST(CliTest, AdminCreateReadsThePasswordFromStdin) {
  auto dir = MakeTempDir("provisio-admin");
  std::vector<std::string> argv = {Provisio(),    "admin",           "create",
                                   "--email",     "ops@example.com", "--role",
                                   "super-admin", "--data-dir",      dir.string()};
  {
    ChildProcess p(argv, {}, "a long enough password\n");
    EXPECT_EQ(p.Wait(), 0) << p.ReadStderr();
    p.WaitForLine("never", std::chrono::milliseconds(200));
    EXPECT_NE(p.output().find("created super-admin ops@example.com"), std::string::npos);
  }
  {
    ChildProcess again(argv, {}, "another long password\n");
    EXPECT_EQ(again.Wait(), 1);
    EXPECT_NE(again.ReadStderr().find("already exists"), std::string::npos);
  }
  {
    std::vector<std::string> weak = argv;
    weak[4] = "weak@example.com";
    ChildProcess p(weak, {}, "short\n");
    EXPECT_EQ(p.Wait(), 2);
    EXPECT_NE(p.ReadStderr().find("12"), std::string::npos);
  }
  {
    std::vector<std::string> bad_role = argv;
    bad_role[6] = "root";
    ChildProcess p(bad_role, {}, "a long enough password\n");
    EXPECT_NE(p.Wait(), 0);
  }
  fs::remove_all(dir);
}

TEST(CliTest, BootstrapAdminComesFromTheEnvironment) {
  auto dir = MakeTempDir("provisio-bootstrap");
  {
    ChildProcess p({Provisio(), "serve", "--listen", "127.0.0.1:0", "--data-dir", dir.string()},
                   {{"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", "first@example.com"},
                    {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", "bootstrap password 1"}});
    ASSERT_FALSE(p.WaitForLine("listening on ").empty()) << p.ReadStderr();
    EXPECT_EQ(p.Stop(SIGTERM), 0);
  }
  ChildProcess dup(
      {Provisio(), "admin", "create", "--email", "first@example.com", "--data-dir", dir.string()},
      {}, "a long enough password\n");
  EXPECT_EQ(dup.Wait(), 1);
  fs::remove_all(dir);
}

TEST(CliTest, BadConfigurationNamesTheKeyAndExits2) {
  auto dir = MakeTempDir("provisio-badconfig");
  auto file = dir / "provisio.toml";
  std::ofstream(file) << "[http]\nmax_body_bytes = \"lots\"\n";
  ChildProcess p({Provisio(), "serve", "--config", file.string(), "--data-dir", dir.string()});
  EXPECT_EQ(p.Wait(), 2);
  EXPECT_NE(p.ReadStderr().find("http.max_body_bytes"), std::string::npos);

  ChildProcess listen({Provisio(), "serve", "--listen", "nowhere", "--data-dir", dir.string()});
  EXPECT_EQ(listen.Wait(), 2);
  EXPECT_NE(listen.ReadStderr().find("--listen"), std::string::npos);
  fs::remove_all(dir);
}

TEST(CliTest, BadMasterKeyIsRefused) {
  auto dir = MakeTempDir("provisio-badkey");
  ChildProcess p({Provisio(), "serve", "--listen", "127.0.0.1:0", "--data-dir", dir.string()},
                 {{"PROVISIO_MASTER_KEY", "c2hvcnQ="}});
  EXPECT_EQ(p.Wait(), 1);
  EXPECT_NE(p.ReadStderr().find("PROVISIO_MASTER_KEY"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace provisio::testing
