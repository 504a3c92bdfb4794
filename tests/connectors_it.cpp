// Connectors against real processes: the conformance suite for the SCIM connector against
// `provisio-emulator scim2` started as a child process, and the no-secrets-in-logs check.
// Provisio's own /scim/v2 joins as a second target with one more INSTANTIATE line.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <optional>
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

// The scim2 emulator's /Bulk as RFC 7644 §3.7 describes it: limits answered with 413,
// operations applied one by one (not atomically), bulkId references, each operation's version
// checked as If-Match, failOnErrors stopping the rest.
TEST(ScimEmulatorBulkTest, LimitsReferencesVersionsAndFailOnErrors) {
  testing::ChildProcess emulator({(testing::BinDir() / "provisio-emulator").string(), "scim2",
                                  "--listen", "127.0.0.1:0", "--token", kToken,
                                  "--bulk-max-operations", "3", "--bulk-max-payload", "2000"});
  const std::string base = emulator.WaitForLine("listening on ") + "/scim/v2";
  const std::vector<std::string> headers{std::string("Authorization: Bearer ") + kToken,
                                         "Content-Type: application/scim+json"};
  auto bulk = [&](boost::json::array ops, std::optional<int> fail_on_errors = {}) {
    object body{
        {"schemas", boost::json::array{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}},
        {"Operations", std::move(ops)}};
    if (fail_on_errors) body["failOnErrors"] = *fail_on_errors;
    return testing::Fetch("POST", base + "/Bulk", headers, boost::json::serialize(body));
  };
  auto create = [](std::string bulk_id, std::string user_name) {
    return object{{"method", "POST"},
                  {"path", "/Users"},
                  {"bulkId", std::move(bulk_id)},
                  {"data", object{{"userName", std::move(user_name)}}}};
  };

  auto spc = testing::Fetch("GET", base + "/ServiceProviderConfig", headers).Json();
  EXPECT_EQ(spc.at("bulk").at("supported"), true);
  EXPECT_EQ(spc.at("bulk").at("maxOperations"), 3);
  EXPECT_EQ(spc.at("bulk").at("maxPayloadSize"), 2000);

  // Over maxOperations, over maxPayloadSize: 413 and nothing applied.
  auto too_many =
      bulk({create("a", "a1"), create("b", "b1"), create("c", "c1"), create("d", "d1")});
  EXPECT_EQ(too_many.status, 413) << too_many.body;
  auto too_big = bulk({create("a", std::string(3000, 'x'))});
  EXPECT_EQ(too_big.status, 413) << too_big.body;
  auto stats = [&] {
    return testing::Fetch("GET", base.substr(0, base.size() - 8) + "/_emulator/stats").Json();
  };
  EXPECT_EQ(stats().at("users"), 0);

  // A create, a group naming it by bulkId, and a duplicate: each answered on its own.
  auto mixed = bulk(
      {create("ann", "ann"),
       object{{"method", "POST"},
              {"path", "/Groups"},
              {"bulkId", "g"},
              {"data", object{{"displayName", "Team"},
                              {"members", boost::json::array{object{{"value", "bulkId:ann"}}}}}}},
       create("dup", "ANN")});
  ASSERT_EQ(mixed.status, 200) << mixed.body;
  auto results = mixed.Json().at("Operations").as_array();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].at("status"), "201");
  std::string ann_location(results[0].at("location").as_string());
  std::string ann_id = ann_location.substr(ann_location.rfind('/') + 1);
  std::string version(results[0].at("version").as_string());
  EXPECT_EQ(results[1].at("status"), "201");
  EXPECT_EQ(results[2].at("status"), "409");
  EXPECT_EQ(results[2].at("response").at("scimType"), "uniqueness");
  std::string group_location(results[1].at("location").as_string());
  auto group = testing::Fetch(
      "GET", base + "/Groups/" + group_location.substr(group_location.rfind('/') + 1), headers);
  EXPECT_EQ(group.Json().at("members").at(0).at("value"), boost::json::value(ann_id));

  // Versions: the current one applies, the old one is refused with 412.
  auto patch = [&](std::string v, std::string title) {
    return object{
        {"method", "PATCH"},
        {"path", "/Users/" + ann_id},
        {"version", std::move(v)},
        {"data",
         object{{"schemas", boost::json::array{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                {"Operations", boost::json::array{object{
                                   {"op", "replace"}, {"path", "title"}, {"value", title}}}}}}};
  };
  auto versioned = bulk({patch(version, "First"), patch(version, "Second")});
  ASSERT_EQ(versioned.status, 200) << versioned.body;
  auto vr = versioned.Json().at("Operations").as_array();
  EXPECT_EQ(vr[0].at("status"), "200");
  EXPECT_NE(vr[0].at("version"), boost::json::value(version));
  EXPECT_EQ(vr[1].at("status"), "412");
  EXPECT_EQ(testing::Fetch("GET", base + "/Users/" + ann_id, headers).Json().at("title"), "First");

  // failOnErrors 1: the first error stops the rest, what came before stays.
  auto stopped = bulk({create("x", "xavier"), create("y", "ann"), create("z", "zoe")}, 1);
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  EXPECT_EQ(stopped.Json().at("Operations").as_array().size(), 2u);
  EXPECT_EQ(stats().at("users"), 2);  // ann and xavier; zoe never ran
  EXPECT_EQ(stats().at("bulk").at("operations"), 3 + 2 + 3);
}

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
