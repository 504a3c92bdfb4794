// Connectors against real processes: the conformance suite for the SCIM connector against
// `provisio-emulator scim2` started as a child process, and the no-secrets-in-logs check.
// Provisio's own /scim/v2 joins as a second target with one more INSTANTIATE line.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <sstream>

#include "connectors/conformance/connector_conformance.h"
#include "connectors/registry.h"
#include "support/http_client.h"
#include "support/process.h"

namespace provisio::connectors {
namespace {

using boost::json::object;

constexpr const char* kToken = "it-S3CRET-token";

http::Client& SharedHttp() {
  static http::Client client;
  return client;
}

const Clock& SharedClock() {
  static SystemClock clock;
  return clock;
}

// SCIM members of a group, read with a plain HTTP GET (not through the connector).
std::function<Result<std::vector<std::string>>(const std::string&)> ScimMembers(
    std::string base_url, std::string token) {
  return [base_url, token](const std::string& group_id) -> Result<std::vector<std::string>> {
    auto r =
        testing::Fetch("GET", base_url + "/Groups/" + group_id, {"Authorization: Bearer " + token});
    if (r.status != 200) return Error::Internal("GET group: " + std::to_string(r.status));
    std::vector<std::string> out;
    auto body = r.Json();
    if (const auto* m = body.is_object() ? body.as_object().if_contains("members") : nullptr;
        m != nullptr && m->is_array()) {
      for (const auto& v : m->as_array()) out.emplace_back(v.at("value").as_string());
    }
    return out;
  };
}

// `provisio-emulator scim2` on 127.0.0.1:0.
ConnectorUnderTest StartScimEmulator(const TargetOptions& o) {
  std::vector<std::string> argv{(testing::BinDir() / "provisio-emulator").string(),
                                "scim2",
                                "--listen",
                                "127.0.0.1:0",
                                "--token",
                                kToken};
  if (!o.faults.empty()) argv.insert(argv.end(), {"--faults", o.faults, "--seed", "7"});
  if (o.seed_users > 0) argv.insert(argv.end(), {"--seed-users", std::to_string(o.seed_users)});
  auto process = std::make_shared<testing::ChildProcess>(argv);
  std::string url = process->WaitForLine("listening on ");
  ConnectorUnderTest cut;
  if (url.empty()) return cut;
  std::string base = url + "/scim/v2";
  ConnectorConfig config{
      "scim2", base, object{{"kind", "bearer"}, {"token", o.bad_credentials ? "wrong" : kToken}},
      object{}};
  auto connector = OpenConnector(config, ConnectorEnv{SharedHttp(), SharedClock()});
  if (!connector.ok()) return cut;
  cut.connector = std::move(connector).value();
  cut.target = process;
  cut.members = ScimMembers(base, kToken);
  return cut;
}

INSTANTIATE_TEST_SUITE_P(ScimEmulator, ConnectorConformance,
                         ::testing::Values(ConnectorTarget{"scim2_emulator", true,
                                                           StartScimEmulator}));

// Creates `n` users on a SCIM service provider through /Bulk, 1,000 operations a request.
bool SeedThroughBulk(const std::string& base, const std::string& token, size_t n) {
  for (size_t start = 0; start < n; start += 1000) {
    boost::json::array ops;
    for (size_t i = start; i < std::min(n, start + 1000); ++i) {
      ops.push_back(object{{"method", "POST"},
                           {"path", "/Users"},
                           {"bulkId", "s" + std::to_string(i)},
                           {"data", object{{"userName", "seed" + std::to_string(i)},
                                           {"name", object{{"givenName", "Seed"},
                                                           {"familyName", std::to_string(i)}}},
                                           {"active", true}}}});
    }
    object body{
        {"schemas", boost::json::array{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}},
        {"Operations", std::move(ops)}};
    auto r =
        testing::Fetch("POST", base + "/Bulk",
                       {"Authorization: Bearer " + token, "Content-Type: application/scim+json"},
                       boost::json::serialize(body));
    if (r.status != 200) return false;
  }
  return true;
}

// Provisio's own /scim/v2: `provisio serve`, a token from `provisio scim-token create`, users
// seeded through Bulk. It injects no faults, so the fault tests skip.
ConnectorUnderTest StartProvisio(const TargetOptions& o) {
  ConnectorUnderTest cut;
  auto server = std::make_shared<testing::ProvisioServer>();
  std::vector<std::string> argv{(testing::BinDir() / "provisio").string(), "scim-token", "create",
                                "--name", "conformance"};
  for (auto& a : server->StoreArgs()) argv.push_back(a);
  testing::ChildProcess mint(argv, {{"PROVISIO_LOG_LEVEL", "warn"}});
  if (mint.Wait() != 0) return cut;
  mint.WaitForLine("never", std::chrono::milliseconds(200));
  std::string token = mint.output();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (token.empty()) return cut;
  std::string base = server->url() + "/scim/v2";
  if (o.seed_users > 0 && !SeedThroughBulk(base, token, o.seed_users)) return cut;
  ConnectorConfig config{"scim2", base,
                         object{{"kind", "bearer"}, {"token", o.bad_credentials ? "wrong" : token}},
                         object{}};
  auto connector = OpenConnector(config, ConnectorEnv{SharedHttp(), SharedClock()});
  if (!connector.ok()) return cut;
  cut.connector = std::move(connector).value();
  cut.target = server;
  cut.members = ScimMembers(base, token);
  return cut;
}

INSTANTIATE_TEST_SUITE_P(Provisio, ConnectorConformance,
                         ::testing::Values(ConnectorTarget{"provisio_scim", false, StartProvisio}));

TEST(ConnectorLogsTest, NoSecretInAnyLogLine) {
  std::ostringstream captured;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  {
    TargetOptions faulty;
    faulty.faults = "500:0.3,429:0.3:retry-after=0";
    ConnectorUnderTest cut = StartScimEmulator(faulty);
    ASSERT_NE(cut.connector, nullptr);
    for (int i = 0; i < 20; ++i) {
      (void)cut.connector->CreateUser(object{{"userName", "log" + std::to_string(i)}});
      (void)cut.connector->FindUser("userName", "log" + std::to_string(i));
    }
    TargetOptions bad;
    bad.bad_credentials = true;
    ConnectorUnderTest rejected = StartScimEmulator(bad);
    ASSERT_NE(rejected.connector, nullptr);
    (void)rejected.connector->Test();
    auto* child = static_cast<testing::ChildProcess*>(cut.target.get());
    child->Stop(SIGTERM);
    EXPECT_EQ(child->ReadStderr().find(kToken), std::string::npos);
  }
  spdlog::set_default_logger(previous);
  std::string text = captured.str();
  EXPECT_NE(text.find("http "), std::string::npos) << "nothing was logged; the check means nothing";
  EXPECT_EQ(text.find(kToken), std::string::npos) << text;
  EXPECT_EQ(text.find("Bearer"), std::string::npos) << text;
}

}  // namespace
}  // namespace provisio::connectors
