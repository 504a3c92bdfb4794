// Importing from the SCIM 2.0 emulator (seeded with users): matching rules link portal users
// that already exist instead of duplicating them, unmatched ones are created, a second run
// changes nothing, the emulator's groups arrive as portal groups and as entitlements, each
// account's groups and roles are recorded as its entitlements, a
// hold policy keeps unmatched records for an admin, who approves or rejects them, and changes
// to attributes the policy lists wait for approval.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "support/admin_client.h"
#include "support/convergence.h"
#include "support/eventually.h"
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
                                 std::to_string(kSeeded), "--faults", faults_},
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
    value run = RunImport(*admin_, "/api/v1/applications/" + app_, body);
    EXPECT_TRUE(run.is_object() && run.as_object().contains("state")) << run;
    return run;
  }
  static int64_t Count(const value& run, const char* name) {
    return run.at("counts").at(name).to_number<int64_t>();
  }

  std::string faults_;  // the emulator's --faults
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

// A source that refuses 40 % of its calls with 429 and Retry-After, and fails a tenth with 500:
// every page is read again (after the Retry-After, or a backoff) until the run succeeds. With
// three quick tries a page, as before, about half of these runs failed.
class ScimImportFaultsTest : public ScimImportTest {
 protected:
  ScimImportFaultsTest() { faults_ = "429:0.4:retry-after=1,500:0.1"; }
};

TEST_F(ScimImportFaultsTest, RefusedAndFailedPagesAreReadAgainUntilTheRunSucceeds) {
  auto run = Import({});
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(Count(run, "created"), kSeeded) << run;
  EXPECT_EQ(Count(run, "failed"), 0) << run;
  EXPECT_EQ(PortalTotal("Users?count=0"), kSeeded);
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
  // user00003 holds a role in the source.
  list = Fetch("GET", emu_url_ + "/scim/v2/Users?filter=userName%20eq%20%22" + Name(3) + "%22",
               {std::string("Authorization: Bearer ") + kEmuToken})
             .Json();
  std::string src3(list.at("Resources").at(0).at("id").as_string());
  auto role = Fetch(
      "PATCH", emu_url_ + "/scim/v2/Users/" + src3,
      {std::string("Authorization: Bearer ") + kEmuToken, "Content-Type: application/scim+json"},
      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          "Operations":[{"op":"add","path":"roles","value":[{"value":"auditor"}]}]})");
  ASSERT_EQ(role.status, 200) << role.body;

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
  std::string eid(ents.at("items").at(0).at("id").as_string());

  // Each account's entitlements: the group's two members, the role of user00003.
  auto holders = [&](const std::string& entitlement) {
    std::set<std::string> ids;
    auto page = admin_->Json("GET", "/api/v1/applications/" + app_ +
                                        "/imported-accounts?limit=500&entitlement=" + entitlement);
    for (const auto& a : page.at("items").as_array()) {
      ids.insert(std::string(a.at("source_id").as_string()));
      EXPECT_TRUE(a.at("user_id").is_string()) << a;
    }
    return ids;
  };
  EXPECT_EQ(holders(eid), (std::set<std::string>{src1, src2}));
  EXPECT_EQ(holders("auditor"), (std::set<std::string>{src3}));
  auto all = admin_->Json("GET", "/api/v1/applications/" + app_ + "/imported-accounts?limit=500");
  EXPECT_EQ(all.at("items").as_array().size(), static_cast<size_t>(kSeeded));
  for (const auto& a : all.at("items").as_array()) {
    if (a.at("source_id") != value(src1)) continue;
    ASSERT_EQ(a.at("entitlements").as_array().size(), 1u) << a;
    EXPECT_EQ(a.at("entitlements").at(0).at("kind"), "group");
    EXPECT_EQ(a.at("entitlements").at(0).at("display_name"), "Engineering");
  }

  // Nothing changed in the source: nothing to do.
  auto again = Import({});
  ASSERT_EQ(again.at("state"), "succeeded") << again;
  EXPECT_EQ(Count(again, "unchanged"), kSeeded);
  EXPECT_EQ(Count(again, "created") + Count(again, "updated") + Count(again, "linked"), 0);
  EXPECT_EQ(holders(eid), (std::set<std::string>{src1, src2}));

  // user00002 leaves the group in the source: the next run takes it from the account.
  auto put = Fetch(
      "PUT", emu_url_ + "/scim/v2/Groups/" + std::string(g.Json().at("id").as_string()),
      {std::string("Authorization: Bearer ") + kEmuToken, "Content-Type: application/scim+json"},
      boost::json::serialize(
          object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                 {"displayName", "Engineering"},
                 {"members", array{object{{"value", src1}}}}}));
  ASSERT_EQ(put.status, 200) << put.body;
  auto third = Import({});
  ASSERT_EQ(third.at("state"), "succeeded") << third;
  EXPECT_EQ(holders(eid), (std::set<std::string>{src1}));
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

// The review flow over real HTTP: records a hold policy kept are listed, approved (created, or
// linked to a chosen user) or rejected, audited, and the next import remembers each decision.
TEST_F(ScimImportTest, HeldRecordsAreApprovedOrRejectedAndTheDecisionsRemembered) {
  std::string one(PortalCreate(PortalUser("a.one", Name(3) + "@example.com")).at("id").as_string());
  PortalCreate(PortalUser("a.two", Name(3) + "@example.com"));
  const object policy{{"unmatched", "hold"}, {"matching", array{"userName", "email"}}};
  auto run = Import(policy);
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  ASSERT_EQ(Count(run, "held"), kSeeded);

  const std::string held_url = "/api/v1/applications/" + app_ + "/held";
  auto page = admin_->Json("GET", held_url + "?limit=100");
  ASSERT_EQ(page.at("items").as_array().size(), 100u) << page;
  ASSERT_TRUE(page.as_object().contains("next"));
  auto all = admin_->Json("GET", held_url + "?limit=500");
  ASSERT_EQ(all.at("items").as_array().size(), static_cast<size_t>(kSeeded));
  std::map<std::string, value> by_name;  // userName of the record -> the held item
  for (const auto& item : all.at("items").as_array()) {
    by_name[std::string(item.at("record").at("userName").as_string())] = item;
  }
  const value& ambiguous = by_name[Name(3)];
  EXPECT_EQ(ambiguous.at("reason"), "ambiguous");
  EXPECT_EQ(ambiguous.at("candidates").as_array().size(), 2u) << ambiguous;
  EXPECT_EQ(by_name[Name(1)].at("reason"), "unmatched");
  EXPECT_EQ(by_name[Name(1)].at("source").at("userName"), value(Name(1)));
  auto id_of = [&](int i) { return std::string(by_name[Name(i)].at("source_id").as_string()); };

  // Bad input changes nothing.
  auto bad = admin_->Call("POST", held_url + "/" + id_of(1) + "/approve", R"({"action":"merge"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(PortalTotal("Users?count=0"), 2);

  auto created =
      admin_->Json("POST", held_url + "/" + id_of(1) + "/approve", object{{"action", "create"}});
  ASSERT_TRUE(created.as_object().contains("user_id")) << created;
  auto linked = admin_->Json("POST", held_url + "/" + id_of(3) + "/approve",
                             object{{"action", "link"}, {"user_id", one}});
  ASSERT_EQ(linked.at("user_id"), value(one)) << linked;
  auto rejected = admin_->Json("POST", held_url + "/" + id_of(2) + "/reject", object{});
  ASSERT_EQ(rejected.at("decision"), "rejected") << rejected;
  EXPECT_EQ(PortalTotal("Users?count=0"), 3);
  auto u3 = PortalFirst("Users?filter=userName%20eq%20%22" + Name(3) + "%22");
  ASSERT_TRUE(u3.is_object());
  EXPECT_EQ(u3.at("id"), value(one));  // the chosen user took the record's values
  auto audit = admin_->Call("GET", "/api/v1/audit-log?object=" + app_ + "&limit=10");
  EXPECT_NE(audit.body.find("application.held_approve"), std::string::npos);
  EXPECT_NE(audit.body.find("application.held_reject"), std::string::npos);

  // The next run: the approved ones are linked and unchanged, the rejected one is not held
  // again, the rest still are.
  auto again = Import(policy);
  ASSERT_EQ(again.at("state"), "succeeded") << again;
  EXPECT_EQ(Count(again, "unchanged"), 2);
  EXPECT_EQ(Count(again, "skipped"), 1);
  EXPECT_EQ(Count(again, "held"), kSeeded - 3);
  EXPECT_EQ(admin_->Json("GET", held_url + "?limit=500").at("items").as_array().size(),
            static_cast<size_t>(kSeeded - 3));

  // Once the rejected record changes in the source, it is held again.
  auto patched = Fetch(
      "PATCH", emu_url_ + "/scim/v2/Users/" + id_of(2),
      {std::string("Authorization: Bearer ") + kEmuToken, "Content-Type: application/scim+json"},
      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          "Operations":[{"op":"replace","path":"title","value":"Engineer"}]})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto third = Import(policy);
  EXPECT_EQ(Count(third, "held"), kSeeded - 2) << third;
  EXPECT_EQ(Count(third, "skipped"), 0) << third;
}

// Changes to attributes the policy lists wait for an admin; the rest of the change applies.
TEST_F(ScimImportTest, HeldAttributeChangesWaitForApproval) {
  ASSERT_EQ(Import({}).at("state"), "succeeded");
  auto source_id = [&](int i) {
    auto list =
        Fetch("GET", emu_url_ + "/scim/v2/Users?filter=userName%20eq%20%22" + Name(i) + "%22",
              {std::string("Authorization: Bearer ") + kEmuToken})
            .Json();
    return std::string(list.at("Resources").at(0).at("id").as_string());
  };
  auto change = [&](int i, const std::string& ops) {
    auto r = Fetch(
        "PATCH", emu_url_ + "/scim/v2/Users/" + source_id(i),
        {std::string("Authorization: Bearer ") + kEmuToken, "Content-Type: application/scim+json"},
        R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + ops +
            "}");
    ASSERT_EQ(r.status, 200) << r.body;
  };
  change(1, R"([{"op":"replace","path":"title","value":"Engineer"},
                {"op":"replace","path":"displayName","value":"User One"}])");
  change(2, R"([{"op":"replace","path":"title","value":"Manager"}])");
  const object policy{{"hold_attributes", array{"title"}}};
  auto run = Import(policy);
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(Count(run, "held"), 2) << run;
  EXPECT_EQ(Count(run, "updated"), 1) << run;  // user 1's display name
  EXPECT_EQ(Count(run, "unchanged"), kSeeded - 2) << run;
  auto u1 = PortalFirst("Users?filter=userName%20eq%20%22" + Name(1) + "%22");
  EXPECT_EQ(u1.at("displayName"), "User One");
  EXPECT_FALSE(u1.as_object().contains("title")) << u1;

  const std::string held_url = "/api/v1/applications/" + app_ + "/held";
  auto held = admin_->Json("GET", held_url);
  ASSERT_EQ(held.at("items").as_array().size(), 2u) << held;
  for (const auto& item : held.at("items").as_array()) {
    EXPECT_EQ(item.at("kind"), "change");
    EXPECT_EQ(item.at("changes").at(0).at("path"), "title");
    EXPECT_TRUE(item.at("changes").at(0).at("before").is_null());
  }
  auto approved = admin_->Json("POST", held_url + "/" + source_id(1) + "/approve", object{});
  ASSERT_EQ(approved.at("action"), "apply") << approved;
  EXPECT_EQ(PortalFirst("Users?filter=userName%20eq%20%22" + Name(1) + "%22").at("title"),
            "Engineer");
  auto rejected = admin_->Json("POST", held_url + "/" + source_id(2) + "/reject", object{});
  ASSERT_EQ(rejected.at("decision"), "rejected") << rejected;
  EXPECT_FALSE(PortalFirst("Users?filter=userName%20eq%20%22" + Name(2) + "%22")
                   .as_object()
                   .contains("title"));
  EXPECT_TRUE(admin_->Json("GET", held_url).at("items").as_array().empty());

  // The same values are not held again; a new value is.
  auto again = Import(policy);
  EXPECT_EQ(Count(again, "held"), 0) << again;
  EXPECT_EQ(Count(again, "unchanged"), kSeeded) << again;
  change(2, R"([{"op":"replace","path":"title","value":"Director"}])");
  auto third = Import(policy);
  EXPECT_EQ(Count(third, "held"), 1) << third;
  auto now_held = admin_->Json("GET", held_url);
  ASSERT_EQ(now_held.at("items").as_array().size(), 1u) << now_held;
  EXPECT_EQ(now_held.at("items").at(0).at("changes").at(0).at("after"), "Director");
}

}  // namespace
}  // namespace provisio::testing

namespace provisio::testing {
namespace {

// The source names a manager by her account there; the portal by her portal user. A report
// read before its manager's account is linked gets her at the end of the same run.
TEST_F(ScimImportTest, ManagersBecomeTheirPortalUsers) {
  const std::string emu_auth = std::string("Authorization: Bearer ") + kEmuToken;
  constexpr char kEnterprise[] = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  auto make = [&](const std::string& user_name, const std::string& manager) {
    object user{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:User", kEnterprise}},
                {"userName", user_name},
                {"active", true}};
    if (!manager.empty()) user[kEnterprise] = object{{"manager", object{{"value", manager}}}};
    auto r = Fetch("POST", emu_url_ + "/scim/v2/Users",
                   {emu_auth, "Content-Type: application/scim+json"}, boost::json::serialize(user));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.Json().at("id").as_string());
  };
  std::string boss = make("boss@example.com", "");
  std::string first = make("first.report@example.com", boss);
  std::string second = make("second.report@example.com", boss);
  auto manager_of = [&](const std::string& user_name) -> std::string {
    value u = PortalFirst("Users?filter=userName%20eq%20%22" + user_name + "%22");
    if (!u.is_object()) return "<no user>";
    const auto* e = u.as_object().if_contains(kEnterprise);
    if (!e || !e->as_object().contains("manager")) return "";
    return std::string(e->at("manager").at("value").as_string());
  };
  auto portal_id = [&](const std::string& user_name) {
    return std::string(
        PortalFirst("Users?filter=userName%20eq%20%22" + user_name + "%22").at("id").as_string());
  };

  auto run = Import({});
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(Count(run, "failed"), 0) << run;
  // Both reports were planned in the page that made their manager: set by the managers phase.
  EXPECT_EQ(Count(run, "managers"), 2) << run;
  const std::string boss_id = portal_id("boss@example.com");
  EXPECT_EQ(manager_of("first.report@example.com"), boss_id);
  EXPECT_EQ(manager_of("second.report@example.com"), boss_id);
  EXPECT_EQ(manager_of("boss@example.com"), "");

  // A new manager, already imported, is resolved as the record is read.
  auto moved =
      Fetch("PATCH", emu_url_ + "/scim/v2/Users/" + first,
            {emu_auth, "Content-Type: application/scim+json"},
            boost::json::serialize(
                object{{"schemas", array{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                       {"Operations", array{object{{"op", "replace"},
                                                   {"path", std::string(kEnterprise) + ":manager"},
                                                   {"value", object{{"value", second}}}}}}}));
  ASSERT_EQ(moved.status, 200) << moved.body;
  run = Import({});
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(Count(run, "managers"), 0) << run;
  EXPECT_EQ(Count(run, "updated"), 1) << run;
  EXPECT_EQ(manager_of("first.report@example.com"), portal_id("second.report@example.com"));
  EXPECT_EQ(manager_of("second.report@example.com"), boss_id);

  // The source removes a manager: so does the portal.
  auto removed = Fetch(
      "PATCH", emu_url_ + "/scim/v2/Users/" + second,
      {emu_auth, "Content-Type: application/scim+json"},
      boost::json::serialize(object{
          {"schemas", array{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
          {"Operations",
           array{object{{"op", "remove"}, {"path", std::string(kEnterprise) + ":manager"}}}}}));
  ASSERT_EQ(removed.status, 200) << removed.body;
  run = Import({});
  EXPECT_EQ(Count(run, "updated"), 1) << run;
  EXPECT_EQ(manager_of("second.report@example.com"), "");
  EXPECT_EQ(manager_of("first.report@example.com"), portal_id("second.report@example.com"));

  // Settled: nothing changes.
  run = Import({});
  EXPECT_EQ(Count(run, "updated"), 0) << run;
  EXPECT_EQ(Count(run, "unchanged"), Count(run, "read")) << run;
}

// settings.import_mappings replace the pass-through: the portal user is what they make of
// the source's resource.
TEST_F(ScimImportTest, ImportMappingsShapeThePortalUser) {
  auto patched = admin_->Json(
      "PATCH", "/api/v1/applications/" + app_,
      object{{"settings",
              object{{"import_mappings",
                      array{object{{"target", "userName"}, {"source", "[userName]"}},
                            object{{"target", "externalId"}, {"source", "[id]"}},
                            object{{"target", "displayName"}, {"source", "ToUpper([userName])"}},
                            object{{"target", "title"}, {"source", R"("Imported")"}}}}}}});
  ASSERT_TRUE(patched.is_object() && patched.at("settings").as_object().contains("import_mappings"))
      << patched;
  auto run = Import({});
  ASSERT_EQ(run.at("state"), "succeeded") << run;
  EXPECT_EQ(Count(run, "created"), kSeeded) << run;
  value u = PortalFirst("Users?filter=userName%20eq%20%22" + Name(7) + "%22");
  ASSERT_TRUE(u.is_object()) << u;
  std::string upper = Name(7);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(u.at("displayName"), upper.c_str());
  EXPECT_EQ(u.at("title"), "Imported");
  EXPECT_FALSE(u.as_object().contains("name")) << u;  // not mapped, so not imported
}

}  // namespace
}  // namespace provisio::testing
