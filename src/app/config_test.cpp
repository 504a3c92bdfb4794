#include "app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/ids.h"

namespace provisio::app {
namespace {

namespace fs = std::filesystem;

struct Fixture : testing::Test {
  fs::path dir = fs::temp_directory_path() / ("provisio-config-" + NewUuid());
  std::map<std::string, std::string> env;
  Getenv getenv = [this](const char* name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  std::string Write(const std::string& text) {
    auto p = (dir / "provisio.toml").string();
    std::ofstream(p) << text;
    return p;
  }
};

using ConfigTest = Fixture;

TEST_F(ConfigTest, DefaultsMatchTheContract) {
  auto c = LoadConfig({}, getenv);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->ListenAddress(), "127.0.0.1:8080");
  EXPECT_EQ(c->data_dir, "./data");
  EXPECT_EQ(c->DatabaseUrl(), "sqlite://./data/provisio.db");
  EXPECT_EQ(c->http.max_body_bytes, 1u << 20);
}

TEST_F(ConfigTest, FileThenEnvironmentThenFlags) {
  auto file = Write(R"(
listen = "0.0.0.0:9000"
data_dir = "/var/lib/provisio"
[log]
format = "json"
[http]
max_body_bytes = 2048
)");
  ConfigFlags flags;
  flags.config_file = file;
  auto c = LoadConfig(flags, getenv);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->ListenAddress(), "0.0.0.0:9000");
  EXPECT_EQ(c->data_dir, "/var/lib/provisio");
  EXPECT_EQ(c->DatabaseUrl(), "sqlite:///var/lib/provisio/provisio.db");
  EXPECT_EQ(c->log_format, log::Format::kJson);
  EXPECT_EQ(c->http.max_body_bytes, 2048u);

  env["PROVISIO_LISTEN"] = "127.0.0.1:9001";
  env["PROVISIO_DATA_DIR"] = "/tmp/x";
  c = LoadConfig(flags, getenv);
  EXPECT_EQ(c->ListenAddress(), "127.0.0.1:9001");
  EXPECT_EQ(c->data_dir, "/tmp/x");

  flags.listen = "127.0.0.1:0";
  flags.database = "sqlite:///tmp/other.db";
  c = LoadConfig(flags, getenv);
  EXPECT_EQ(c->ListenAddress(), "127.0.0.1:0");
  EXPECT_EQ(c->DatabaseUrl(), "sqlite:///tmp/other.db");
  EXPECT_EQ(c->data_dir, "/tmp/x");
}

TEST_F(ConfigTest, ConfigFileFromEnvironment) {
  env["PROVISIO_CONFIG"] = Write("data_dir = \"/srv/p\"\n");
  auto c = LoadConfig({}, getenv);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->data_dir, "/srv/p");
}

struct BadCase {
  std::string toml;
  std::string key;
};

class BadConfigTest : public Fixture, public testing::WithParamInterface<BadCase> {};

TEST_P(BadConfigTest, NamesTheBadKey) {
  ConfigFlags flags;
  flags.config_file = Write(GetParam().toml);
  auto c = LoadConfig(flags, getenv);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code(), Code::kInvalidArgument);
  EXPECT_NE(c.error().message().find(GetParam().key), std::string::npos) << c.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadConfigTest,
    testing::Values(BadCase{"listen = 8080\n", "listen"},
                    BadCase{"listen = \"nohost\"\n", "listen"},
                    BadCase{"listen = \"127.0.0.1:70000\"\n", "listen"},
                    BadCase{"lisen = \"127.0.0.1:1\"\n", "lisen"},
                    BadCase{"[http]\nmax_body_bytes = 0\n", "http.max_body_bytes"},
                    BadCase{"[http]\nmax_body_bytes = \"big\"\n", "http.max_body_bytes"},
                    BadCase{"[http]\nread_timout_ms = 5\n", "http.read_timout_ms"},
                    BadCase{"[http]\ntls_cert_file = \"/c.pem\"\n", "tls_key_file"},
                    BadCase{"[http]\naccess_log = \"yes\"\n", "http.access_log"},
                    BadCase{"[log]\nlevel = \"loud\"\n", "log.level"},
                    BadCase{"[log]\nformat = \"xml\"\n", "log.format"}, BadCase{"log = 3\n", "log"},
                    BadCase{"listen = \n", "provisio.toml:1"}));

TEST_F(ConfigTest, BadEnvironmentIsNamed) {
  env["PROVISIO_LISTEN"] = "localhost";
  auto c = LoadConfig({}, getenv);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("PROVISIO_LISTEN"), std::string::npos);
  env.erase("PROVISIO_LISTEN");
  env["PROVISIO_BOOTSTRAP_ADMIN_EMAIL"] = "a@example.com";
  c = LoadConfig({}, getenv);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("PROVISIO_BOOTSTRAP_ADMIN_PASSWORD"), std::string::npos);
}

TEST_F(ConfigTest, MissingFileIsAnError) {
  ConfigFlags flags;
  flags.config_file = (dir / "absent.toml").string();
  auto c = LoadConfig(flags, getenv);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("absent.toml"), std::string::npos);
}

TEST(ParseListenTest, AcceptsIpv6) {
  std::string host;
  uint16_t port;
  ASSERT_TRUE(ParseListen("[::1]:8443", host, port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 8443);
}

}  // namespace
}  // namespace provisio::app
