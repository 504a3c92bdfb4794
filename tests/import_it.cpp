// Importing from the SCIM 2.0 emulator (seeded with users): matching rules link portal users
// that already exist instead of duplicating them, unmatched ones are created, a second run
// changes nothing, the emulator's groups arrive as portal groups and as entitlements, and a
// hold policy keeps unmatched records for an admin.
#include <gtest/gtest.h>

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
constexpr int kSeeded = 300;

template <typename F>
bool Eventually(F&& check, int seconds = 120) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return check();
}

std::string Name(int i) {
  char b[16];
  std::snprintf(b, sizeof b, "user%05d", i);
  return b;
}

class ScimImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emulator_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{(BinDir() / "provisio-emulator").string(), "scim2", "--listen",
                                 "127.0.0.1:0", "--token", kEmuToken, "--seed-users",
                                 std::to_string(kSeeded)},
        std::map<std::string, std::string>{{"PROVISIO_LOG_LEVEL", "warn"}});
    emu_url_ = emulator_->WaitForLine("listening on ");
    ASSERT_FALSE(emu_url_.empty());
    server_ = std::make_unique<ProvisioServer>(
        std::map<std::string, std::string>{{"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", kAdminEmail},
                                           {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", kAdminPassword}});
    admin_ = std::make_unique<AdminClient>(server_->url(), kAdminEmail, kAdminPassword);
    ASSERT_TRUE(admin_->ok());
    auto token = admin_->Json("POST", "/api/v1/scim-tokens", object{{"name", "hr"}});
    scim_auth_ = "Authorization: Bearer " + std::string(token.at("token").as_string());
    auto conn = admin_->Json("POST", "/api/v1/connections",
                             object{{"name", "Emulator"},
                                    {"type", "scim2"},
                                    {"base_url", emu_url_ + "/scim/v2"},
                                    {"auth", object{{"kind", "bearer"}, {"token", kEmuToken}}}});
    ASSERT_TRUE(conn.as_object().contains("id")) << conn;
    auto app = admin_->Json("POST", "/api/v1/applications",
                            object{{"template", "scim2"},
                                   {"name", "HR SaaS"},
                                   {"capabilities", array{"import_sync"}},
                                   {"connection_id", conn.at("id")}});
    ASSERT_TRUE(app.as_object().contains("id")) << app;
    app_ = std::string(app.at("id").as_string());
  }

  value PortalCreate(const object& user) {
    auto r =
        Fetch("POST", server_->url() + "/scim/v2/Users",
              {scim_auth_, "Content-Type: application/scim+json"}, boost::json::serialize(user));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json();
  }
  int64_t PortalTotal(const std::string& query) {
    return Fetch("GET", server_->url() + "/scim/v2/" + query, {scim_auth_})
        .Json()
        .at("totalResults")
        .to_number<int64_t>();
  }
  value PortalFirst(const std::string& query) {
    auto v = Fetch("GET", server_->url() + "/scim/v2/" + query, {scim_auth_}).Json();
    const auto& res = v.at("Resources").as_array();
    return res.empty() ? value() : res[0];
  }
  value Import(const object& body) {
    auto run = admin_->Json("POST", "/api/v1/applications/" + app_ + "/imports", body);
    EXPECT_TRUE(run.as_object().contains("id")) << run;
    std::string id(run.at("id").as_string());
    Eventually([&] {
      run = admin_->Json("GET", "/api/v1/imports/" + id);
      if (!run.is_object() || !run.as_object().contains("state")) {
        ADD_FAILURE() << run;
        return true;
      }
      return run.at("state") == "succeeded" || run.at("state") == "failed";
    });
    return run;
  }
  static int64_t Count(const value& run, const char* name) {
    return run.at("counts").at(name).to_number<int64_t>();
  }

  std::unique_ptr<ChildProcess> emulator_;
  std::string emu_url_;
  std::unique_ptr<ProvisioServer> server_;
  std::unique_ptr<AdminClient> admin_;
  std::string scim_auth_;
  std::string app_;
};

object PortalUser(const std::string& user_name, const std::string& email) {
  return {{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:User"}},
          {"userName", user_name},
          {"emails", array{object{{"value", email}, {"type", "work"}, {"primary", true}}}},
          {"active", true}};
}

TEST_F(ScimImportTest, LinksExistingUsersCreatesTheRestAndImportsGroups) {
  // 50 people already in the portal under the same userName, one under another userName but
  // the same work email.
  std::vector<std::string> existing;
  for (int i = 1; i <= 50; ++i) {
    existing.push_back(std::string(
        PortalCreate(PortalUser(Name(i), "old-" + Name(i) + "@example.org")).at("id").as_string()));
  }
  auto by_email = PortalCreate(PortalUser("someone.else", Name(60) + "@example.com"));
  // A group in the source with two members.
  auto list = Fetch("GET", emu_url_ + "/scim/v2/Users?filter=userName%20eq%20%22" + Name(1) + "%22",
                    {std::string("Authorization: Bearer ") + kEmuToken})
                  .Json();
  std::string src1(list.at("Resources").at(0).at("id").as_string());
  list = Fetch("GET", emu_url_ + "/scim/v2/Users?filter=userName%20eq%20%22" + Name(2) + "%22",
               {std::string("Authorization: Bearer ") + kEmuToken})
             .Json();
  std::string src2(list.at("Resources").at(0).at("id").as_string());
  auto g = Fetch(
      "POST", emu_url_ + "/scim/v2/Groups",
      {std::string("Authorization: Bearer ") + kEmuToken, "Content-Type: application/scim+json"},
      boost::json::serialize(
          object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                 {"displayName", "Engineering"},
                 {"members", array{object{{"value", src1}}, object{{"value", src2}}}}}));
  ASSERT_EQ(g.status, 201) << g.body;

  auto run = Import({});
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(Count(run, "read"), kSeeded);
  EXPECT_EQ(Count(run, "linked"), 51);
  EXPECT_EQ(Count(run, "created"), kSeeded - 51);
  EXPECT_EQ(Count(run, "failed"), 0) << run;
  EXPECT_EQ(PortalTotal("Users?count=0"), kSeeded);  // nobody duplicated

  // Linked users keep their portal id and take the source's values.
  auto u1 = PortalFirst("Users?filter=userName%20eq%20%22" + Name(1) + "%22");
  ASSERT_TRUE(u1.is_object()) << run;
  EXPECT_EQ(u1.at("id"), value(existing[0]));
  EXPECT_EQ(u1.at("externalId"), value(src1));
  EXPECT_EQ(u1.at("emails").at(0).at("value"), value(Name(1) + "@example.com"));
  auto e60 = PortalFirst("Users?filter=userName%20eq%20%22" + Name(60) + "%22");
  ASSERT_TRUE(e60.is_object()) << run;
  EXPECT_EQ(e60.at("id"), by_email.at("id"));  // matched by work email, renamed

  auto group = PortalFirst("Groups?filter=displayName%20eq%20%22Engineering%22");
  // The SCIM connector lists groups without members, so the group arrives by name only.
  ASSERT_TRUE(group.is_object()) << run;
  EXPECT_EQ(Count(run, "groups_created"), 1);
  auto ents = admin_->Json("GET", "/api/v1/applications/" + app_ + "/entitlements");
  ASSERT_EQ(ents.at("items").as_array().size(), 1u) << ents;
  EXPECT_EQ(ents.at("items").at(0).at("kind"), "group");
  EXPECT_EQ(ents.at("items").at(0).at("display_name"), "Engineering");

  // Nothing changed in the source: nothing to do.
  auto again = Import({});
  ASSERT_EQ(again.at("state"), "succeeded") << again;
  EXPECT_EQ(Count(again, "unchanged"), kSeeded);
  EXPECT_EQ(Count(again, "created") + Count(again, "updated") + Count(again, "linked"), 0);
}

TEST_F(ScimImportTest, HoldPolicyKeepsUnmatchedAndAmbiguousRecords) {
  // Two portal users share user00003's work email: ambiguous.
  PortalCreate(PortalUser("a.one", Name(3) + "@example.com"));
  PortalCreate(PortalUser("a.two", Name(3) + "@example.com"));
  auto run = Import({{"unmatched", "hold"}, {"matching", array{"userName", "email"}}});
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(Count(run, "held"), kSeeded);
  EXPECT_EQ(Count(run, "created"), 0);
  EXPECT_EQ(PortalTotal("Users?count=0"), 2);
  bool ambiguous = false;
  for (const auto& e : run.at("errors").as_array()) {
    ambiguous =
        ambiguous || std::string(e.at("message").as_string()).find("several") != std::string::npos;
  }
  EXPECT_TRUE(ambiguous) << run;
}

}  // namespace
}  // namespace provisio::testing
