// Group push end to end: users and groups pushed into Provisio over SCIM, applications
// connected to `provisio-emulator scim2` and `provisio-emulator google`, groups assigned
// through the admin API. The target's groups must appear with exactly the members who have
// accounts there, follow member changes and renames made in the directory, go when they are
// unassigned or deleted, and never be duplicated by a retry or a sync.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>
#include <map>
#include <set>

#include "support/admin_client.h"
#include "support/eventually.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/rsa_key.h"

namespace provisio::testing {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using Ids = std::set<std::string>;

constexpr char kAdminEmail[] = "root@example.com";
constexpr char kAdminPassword[] = "a long admin password";
constexpr char kEmuToken[] = "emulator-token";
constexpr char kDomain[] = "example.com";
constexpr char kClientEmail[] = "provisio@groups-it.iam.gserviceaccount.com";

std::string Encode(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ')
      out += "%20";
    else if (c == '"')
      out += "%22";
    else
      out += c;
  }
  return out;
}

std::string UserName(int i) { return "user" + std::to_string(i) + "@" + kDomain; }

// Provisio with an HR system's SCIM token; users and groups are written through /scim/v2.
class Directory {
 public:
  explicit Directory(const std::string& base)
      : base_(base), admin_(base, kAdminEmail, kAdminPassword) {
    auto token = admin_.Json("POST", "/api/v1/scim-tokens", object{{"name", "hr"}});
    auth_ = "Authorization: Bearer " + std::string(token.at("token").as_string());
  }
  const AdminClient& admin() const { return admin_; }

  // Users `from`..`to`-1 through SCIM Bulk; returns their ids by index.
  std::map<int, std::string> AddUsers(int from, int to) {
    std::map<int, std::string> ids;
    for (int start = from; start < to; start += 500) {
      array ops;
      for (int i = start; i < std::min(to, start + 500); ++i) {
        object user{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:User"}},
                    {"userName", UserName(i)},
                    {"name", object{{"givenName", "Given" + std::to_string(i)},
                                    {"familyName", "Family" + std::to_string(i)}}},
                    {"displayName", "User " + std::to_string(i)},
                    {"active", true}};
        ops.push_back(object{{"method", "POST"},
                             {"path", "/Users"},
                             {"bulkId", "u" + std::to_string(i)},
                             {"data", std::move(user)}});
      }
      object bulk{{"schemas", array{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}},
                  {"Operations", std::move(ops)}};
      auto r = Fetch("POST", base_ + "/scim/v2/Bulk",
                     {auth_, "Content-Type: application/scim+json"}, boost::json::serialize(bulk));
      EXPECT_EQ(r.status, 200) << r.body.substr(0, 500);
      const value response = r.Json();
      for (const auto& op : response.at("Operations").as_array()) {
        std::string loc(op.at("location").as_string());
        ids[std::stoi(std::string(op.at("bulkId").as_string()).substr(1))] =
            loc.substr(loc.rfind('/') + 1);
      }
    }
    return ids;
  }
  std::string AddGroup(const std::string& name, const std::vector<std::string>& members) {
    array m;
    for (const auto& id : members) m.push_back(object{{"value", id}});
    auto r = Fetch("POST", base_ + "/scim/v2/Groups", {auth_},
                   boost::json::serialize(
                       object{{"schemas", array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                              {"displayName", name},
                              {"members", std::move(m)}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.Json().at("id").as_string());
  }
  // 200, or 204 (a members-only change answers no body): both are "done", as 200.
  int Patch(const std::string& group, const array& ops) {
    int status = Fetch("PATCH", base_ + "/scim/v2/Groups/" + group, {auth_},
                       boost::json::serialize(object{
                           {"schemas", array{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                           {"Operations", ops}}))
                     .status;
    return status == 204 ? 200 : status;
  }
  int AddMembers(const std::string& group, const std::vector<std::string>& users) {
    array v;
    for (const auto& u : users) v.push_back(object{{"value", u}});
    return Patch(group, array{object{{"op", "add"}, {"path", "members"}, {"value", v}}});
  }
  int RemoveMembers(const std::string& group, const std::vector<std::string>& users) {
    array ops;
    for (const auto& u : users) {
      ops.push_back(object{{"op", "remove"}, {"path", "members[value eq \"" + u + "\"]"}});
    }
    return Patch(group, ops);
  }
  int Rename(const std::string& group, const std::string& name) {
    return Patch(group, array{object{{"op", "replace"}, {"path", "displayName"}, {"value", name}}});
  }
  int SetActive(const std::string& user, bool active) {
    return Fetch("PATCH", base_ + "/scim/v2/Users/" + user, {auth_},
                 boost::json::serialize(object{
                     {"schemas", array{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                     {"Operations",
                      array{object{{"op", "replace"}, {"path", "active"}, {"value", active}}}}}))
        .status;
  }
  int DeleteGroup(const std::string& group) {
    return Fetch("DELETE", base_ + "/scim/v2/Groups/" + group, {auth_}).status;
  }

  // Waits until the engine has nothing queued or in hand.
  bool Quiet() const {
    return Eventually([&] {
      auto s = admin_.Json("GET", "/api/v1/status");
      return s.at("queue_depth") == 0 && s.at("in_flight") == 0;
    });
  }

 private:
  std::string base_;
  AdminClient admin_;
  std::string auth_;
};

class GroupPushTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ProvisioServer(
        std::map<std::string, std::string>{{"PROVISIO_BOOTSTRAP_ADMIN_EMAIL", kAdminEmail},
                                           {"PROVISIO_BOOTSTRAP_ADMIN_PASSWORD", kAdminPassword}});
  }
  static void TearDownTestSuite() { delete server_; }
  static inline ProvisioServer* server_ = nullptr;
};

// ---- SCIM 2.0 ----

struct ScimEmulator {
  ChildProcess process{{(BinDir() / "provisio-emulator").string(), "scim2", "--listen",
                        "127.0.0.1:0", "--token", kEmuToken},
                       {{"PROVISIO_LOG_LEVEL", "warn"}}};
  std::string url = process.WaitForLine("listening on ");

  value Get(const std::string& path) const {
    return Fetch("GET", url + path, {std::string("Authorization: Bearer ") + kEmuToken}).Json();
  }
  int64_t Writes() const { return Get("/_emulator/stats").at("writes").to_number<int64_t>(); }
  // The target groups named `name` (there must never be more than one).
  array GroupsNamed(const std::string& name) const {
    auto list = Get("/scim/v2/Groups?filter=" + Encode("displayName eq \"" + name + "\""));
    const auto* r = list.as_object().if_contains("Resources");
    return r ? r->as_array() : array{};
  }
  int64_t GroupCount() const {
    return Get("/scim/v2/Groups?count=0").at("totalResults").to_number<int64_t>();
  }
  // The userNames of a target group's members (nullopt: no such group, or several).
  std::optional<std::set<std::string>> Members(const std::string& name) const {
    auto groups = GroupsNamed(name);
    if (groups.size() != 1) return std::nullopt;
    std::set<std::string> out;
    if (const auto* m = groups[0].as_object().if_contains("members"); m && m->is_array()) {
      for (const auto& v : m->as_array()) {
        auto user = Get("/scim/v2/Users/" + std::string(v.at("value").as_string()));
        // A member deleted between the two reads: not settled yet, the caller asks again.
        const auto* name = user.is_object() ? user.as_object().if_contains("userName") : nullptr;
        if (name == nullptr || !name->is_string()) return std::nullopt;
        out.insert(std::string(name->as_string()));
      }
    }
    return out;
  }
};

std::set<std::string> Names(std::initializer_list<int> indexes) {
  std::set<std::string> out;
  for (int i : indexes) out.insert(UserName(i));
  return out;
}

TEST_F(GroupPushTest, ScimGroupsFollowTheDirectory) {
  ScimEmulator emu;
  Directory dir(server_->url());
  ASSERT_TRUE(dir.admin().ok());
  auto ids = dir.AddUsers(0, 30);
  ASSERT_EQ(ids.size(), 30u);
  std::vector<std::string> sales_members, support_members;
  for (int i = 0; i < 10; ++i) sales_members.push_back(ids[i]);
  for (int i = 10; i < 15; ++i) support_members.push_back(ids[i]);
  std::string sales = dir.AddGroup("Sales", sales_members);
  std::string support = dir.AddGroup("Support", support_members);
  // Nested: Regions holds the group Sales and user 20; only user 20 is its direct member.
  std::string regions = dir.AddGroup("Regions", {sales, ids[20]});

  // "Support" exists in the target already (made by hand, or by a push that crashed before
  // its link was stored): it is found and linked, never duplicated.
  auto made = Fetch("POST", emu.url + "/scim/v2/Groups",
                    {std::string("Authorization: Bearer ") + kEmuToken},
                    R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
                        "displayName":"Support"})");
  ASSERT_EQ(made.status, 201) << made.body;

  auto conn = dir.admin().Json("POST", "/api/v1/connections",
                               object{{"name", "SCIM emulator"},
                                      {"type", "scim2"},
                                      {"base_url", emu.url + "/scim/v2"},
                                      {"auth", object{{"kind", "bearer"}, {"token", kEmuToken}}}});
  ASSERT_TRUE(conn.as_object().contains("id")) << conn;
  auto app = dir.admin().Json(
      "POST", "/api/v1/applications",
      object{{"template", "scim2"},
             {"name", "Groups SaaS"},
             {"capabilities", array{"provisioning"}},
             {"connection_id", conn.at("id")},
             {"settings", object{{"deprovisioning_action", "delete"}, {"push_groups", true}}}});
  ASSERT_TRUE(app.as_object().contains("id")) << app;
  EXPECT_EQ(app.at("settings").at("push_groups"), true);
  std::string apps = "/api/v1/applications/" + std::string(app.at("id").as_string());
  // Bad settings are refused and change nothing.
  auto bad = dir.admin().Call("PATCH", apps, R"({"settings":{"group_member_role":"BOSS"}})");
  EXPECT_TRUE(bad.status == 400 || bad.status == 422) << bad.status << bad.body;

  // Assign the three groups and user 29 directly.
  std::map<std::string, std::string> assignment;
  for (const auto& [name, id] : std::map<std::string, std::string>{
           {"Sales", sales}, {"Support", support}, {"Regions", regions}}) {
    auto a = dir.admin().Json("POST", apps + "/assignments", object{{"group_id", id}});
    ASSERT_TRUE(a.as_object().contains("id")) << a;
    assignment[name] = std::string(a.at("id").as_string());
  }
  ASSERT_TRUE(dir.admin()
                  .Json("POST", apps + "/assignments", object{{"user_id", ids[29]}})
                  .as_object()
                  .contains("id"));

  // Each group appears once, with exactly its direct members who have accounts (the
  // accounts are made first; the groups catch up as they appear).
  ASSERT_TRUE(Eventually([&] {
    return emu.Members("Sales") == Names({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) &&
           emu.Members("Support") == Names({10, 11, 12, 13, 14}) &&
           emu.Members("Regions") == Names({20});
  })) << emu.Get("/scim/v2/Groups");
  EXPECT_EQ(emu.GroupCount(), 3);
  EXPECT_EQ(emu.GroupsNamed("Sales")[0].at("externalId"), value(sales));
  auto pushed = dir.admin().Json("GET", apps + "/accounts?type=group");
  EXPECT_EQ(pushed.at("items").as_array().size(), 3u) << pushed;

  // Members added and removed in the directory follow; a user added to an assigned group is
  // provisioned first and then added.
  ASSERT_EQ(dir.AddMembers(sales, {ids[25], ids[26]}), 200);
  ASSERT_EQ(dir.RemoveMembers(sales, {ids[0], ids[1]}), 200);
  ASSERT_EQ(dir.AddMembers(support, {ids[29]}), 200);  // assigned directly already
  ASSERT_TRUE(Eventually([&] {
    return emu.Members("Sales") == Names({2, 3, 4, 5, 6, 7, 8, 9, 25, 26}) &&
           emu.Members("Support") == Names({10, 11, 12, 13, 14, 29});
  })) << boost::json::serialize(emu.GroupsNamed("Sales"));

  // A rename in the directory renames the same target group.
  std::string sales_target(emu.GroupsNamed("Sales")[0].at("id").as_string());
  ASSERT_EQ(dir.Rename(sales, "Sales EMEA"), 200);
  ASSERT_TRUE(Eventually([&] { return emu.GroupsNamed("Sales EMEA").size() == 1; }));
  EXPECT_EQ(emu.GroupsNamed("Sales EMEA")[0].at("id"), value(sales_target));
  EXPECT_TRUE(emu.GroupsNamed("Sales").empty());
  EXPECT_EQ(emu.Members("Sales EMEA"), Names({2, 3, 4, 5, 6, 7, 8, 9, 25, 26}));

  // Quiet now: a dry run plans nothing for the groups; an incremental and a full sync write
  // nothing and duplicate nothing.
  ASSERT_TRUE(dir.Quiet());
  auto dry =
      dir.admin().Json("POST", apps + "/sync", object{{"mode", "incremental"}, {"dry_run", true}});
  ASSERT_TRUE(dry.as_object().contains("groups")) << dry;
  EXPECT_EQ(dry.at("groups").at("groups"), 3) << dry;
  EXPECT_TRUE(dry.at("groups").at("changes").as_array().empty()) << dry;
  int64_t writes = emu.Writes();
  for (std::string mode : {"incremental", "full"}) {
    auto sync = dir.admin().Json("POST", apps + "/sync", object{{"mode", mode}});
    ASSERT_TRUE(sync.as_object().contains("enqueued")) << sync;
    ASSERT_TRUE(dir.Quiet());
    EXPECT_EQ(emu.Writes(), writes) << mode << " sync wrote to the target";
  }
  EXPECT_EQ(emu.GroupCount(), 3);

  // A group deleted in the target by hand comes back with a full sync, not twice.
  auto del = Fetch("DELETE", emu.url + "/scim/v2/Groups/" + sales_target,
                   {std::string("Authorization: Bearer ") + kEmuToken});
  ASSERT_EQ(del.status, 204);
  ASSERT_TRUE(dir.admin()
                  .Json("POST", apps + "/sync", object{{"mode", "full"}})
                  .as_object()
                  .contains("enqueued"));
  ASSERT_TRUE(Eventually([&] {
    return emu.Members("Sales EMEA") == Names({2, 3, 4, 5, 6, 7, 8, 9, 25, 26});
  }));
  ASSERT_TRUE(dir.Quiet());

  // Members changed in the target by hand: user 2 removed, user 29 (Provisio's account, not
  // a member of Sales) and an account Provisio does not manage added. A full sync reads the
  // members back: 2 returns, 29 leaves, the unmanaged member stays.
  std::string recreated(emu.GroupsNamed("Sales EMEA")[0].at("id").as_string());
  auto user_id = [&](const std::string& user_name) {
    auto r = emu.Get("/scim/v2/Users?filter=" + Encode("userName eq \"" + user_name + "\""));
    return std::string(r.at("Resources").as_array().at(0).at("id").as_string());
  };
  auto hand =
      Fetch("POST", emu.url + "/scim/v2/Users", {std::string("Authorization: Bearer ") + kEmuToken},
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
                        "userName":"by-hand@example.com"})");
  ASSERT_EQ(hand.status, 201) << hand.body;
  std::string hand_id(hand.Json().at("id").as_string());
  object by_hand{
      {"schemas", array{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
      {"Operations", array{object{{"op", "remove"},
                                  {"path", "members[value eq \"" + user_id(UserName(2)) + "\"]"}},
                           object{{"op", "add"},
                                  {"path", "members"},
                                  {"value", array{object{{"value", user_id(UserName(29))}},
                                                  object{{"value", hand_id}}}}}}}};
  auto patched =
      Fetch("PATCH", emu.url + "/scim/v2/Groups/" + recreated,
            {std::string("Authorization: Bearer ") + kEmuToken}, boost::json::serialize(by_hand));
  ASSERT_TRUE(patched.status == 200 || patched.status == 204) << patched.body;
  std::set<std::string> drifted = Names({3, 4, 5, 6, 7, 8, 9, 25, 26, 29});
  drifted.insert("by-hand@example.com");
  ASSERT_EQ(emu.Members("Sales EMEA"), drifted);
  std::set<std::string> repaired = Names({2, 3, 4, 5, 6, 7, 8, 9, 25, 26});
  repaired.insert("by-hand@example.com");
  // An incremental sync diffs against what was pushed: it does not see the change.
  writes = emu.Writes();
  ASSERT_TRUE(dir.admin()
                  .Json("POST", apps + "/sync", object{{"mode", "incremental"}})
                  .as_object()
                  .contains("enqueued"));
  ASSERT_TRUE(dir.Quiet());
  EXPECT_EQ(emu.Writes(), writes);
  EXPECT_EQ(emu.Members("Sales EMEA"), drifted);
  ASSERT_TRUE(dir.admin()
                  .Json("POST", apps + "/sync", object{{"mode", "full"}})
                  .as_object()
                  .contains("enqueued"));
  ASSERT_TRUE(Eventually([&] { return emu.Members("Sales EMEA") == repaired; }))
      << boost::json::serialize(emu.GroupsNamed("Sales EMEA"));
  ASSERT_TRUE(dir.Quiet());
  EXPECT_EQ(emu.GroupsNamed("Sales EMEA")[0].at("id"), value(recreated));
  // Repaired once: another full sync writes nothing.
  writes = emu.Writes();
  ASSERT_TRUE(dir.admin()
                  .Json("POST", apps + "/sync", object{{"mode", "full"}})
                  .as_object()
                  .contains("enqueued"));
  ASSERT_TRUE(dir.Quiet());
  EXPECT_EQ(emu.Writes(), writes) << "a second full sync wrote to the target";
  EXPECT_EQ(emu.Members("Sales EMEA"), repaired);

  // On demand: the steps of one group's push.
  auto now = dir.admin().Json("POST", apps + "/provision", object{{"group_id", support}});
  ASSERT_EQ(now.at("ok"), true) << now;
  EXPECT_EQ(now.at("steps").as_array().front().at("step"), "scope");

  // Unassigning a group deletes it in the target; its members' accounts stay (they are
  // assigned otherwise: user 29 directly).
  ASSERT_EQ(dir.admin().Call("DELETE", apps + "/assignments/" + assignment["Support"]).status, 204);
  ASSERT_TRUE(Eventually([&] { return emu.GroupsNamed("Support").empty(); }));
  ASSERT_TRUE(Eventually([&] {
    return !emu.Get("/scim/v2/Users?filter=" + Encode("userName eq \"" + UserName(29) + "\""))
                .at("Resources")
                .as_array()
                .empty();
  }));
  // Deleting a group in the directory deletes it in the target.
  ASSERT_EQ(dir.DeleteGroup(regions), 204);
  ASSERT_TRUE(Eventually([&] { return emu.GroupsNamed("Regions").empty(); }));
  ASSERT_TRUE(dir.Quiet());
  EXPECT_EQ(emu.GroupCount(), 1);

  // The provisioning log has the group actions.
  auto log = dir.admin().Json("GET", "/api/v1/provisioning-log?group_id=" + sales);
  std::set<std::string> actions;
  for (const auto& e : log.at("entries").as_array()) {
    EXPECT_EQ(e.at("subject_type"), "group");
    actions.insert(std::string(e.at("action").as_string()));
  }
  EXPECT_TRUE(actions.contains("create") && actions.contains("update")) << log;
  auto support_log = dir.admin().Json("GET", "/api/v1/provisioning-log?group_id=" + support);
  std::set<std::string> support_actions;
  for (const auto& e : support_log.at("entries").as_array()) {
    support_actions.insert(std::string(e.at("action").as_string()));
  }
  EXPECT_TRUE(support_actions.contains("link") && support_actions.contains("delete"))
      << support_log;
}

// ---- Google Workspace ----

// One key pair for the whole run: the emulator verifies assertions against its public half.
const testing::RsaKeyPair& ServiceAccountKey() {
  static const testing::RsaKeyPair key = testing::NewRsaKey();
  return key;
}

// A bearer token for looking inside the emulator, from an assertion signed here.
std::string GoogleToken(const std::string& base) {
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  object claims{{"iss", kClientEmail},
                {"sub", std::string("admin@") + kDomain},
                {"scope",
                 "https://www.googleapis.com/auth/admin.directory.user "
                 "https://www.googleapis.com/auth/admin.directory.group"},
                {"aud", base + "/token"},
                {"iat", now},
                {"exp", now + 3600}};
  std::string assertion =
      testing::SignRs256Jwt(boost::json::serialize(claims), ServiceAccountKey().private_pem);
  auto r = Fetch(
      "POST", base + "/token", {"Content-Type: application/x-www-form-urlencoded"},
      "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion);
  return std::string(r.Json().at("access_token").as_string());
}

struct GoogleEmulator {
  ChildProcess process{
      {(BinDir() / "provisio-emulator").string(), "google", "--listen", "127.0.0.1:0", "--domain",
       kDomain, "--service-account-public-key", ServiceAccountKey().public_pem},
      {{"PROVISIO_LOG_LEVEL", "warn"}}};
  std::string url = process.WaitForLine("listening on ");
  std::string token = GoogleToken(url);

  // Every page of a Directory API list.
  array List(const std::string& path, const std::string& key) const {
    array out;
    std::string page;
    for (;;) {
      std::string sep = path.find('?') == std::string::npos ? "?" : "&";
      auto r = Fetch(
          "GET",
          url + "/admin/directory/v1/" + path + (page.empty() ? "" : sep + "pageToken=" + page),
          {"Authorization: Bearer " + token});
      if (r.status != 200) return out;
      auto body = r.Json();
      if (const auto* items = body.as_object().if_contains(key); items && items->is_array()) {
        for (const auto& v : items->as_array()) out.push_back(v);
      }
      const auto* next = body.as_object().if_contains("nextPageToken");
      if (!next || !next->is_string() || next->as_string().empty()) return out;
      page = std::string(next->as_string());
    }
  }
  // The domain as it stands: group name -> member primaryEmails (with roles).
  std::map<std::string, std::set<std::string>> State() const {
    std::map<std::string, std::string> email_of;
    for (const auto& u : List("users?customer=my_customer&maxResults=500", "users")) {
      email_of[std::string(u.at("id").as_string())] = std::string(u.at("primaryEmail").as_string());
    }
    std::map<std::string, std::set<std::string>> out;
    for (const auto& g : List("groups?customer=my_customer&maxResults=200", "groups")) {
      auto& members = out[std::string(g.at("name").as_string())];
      for (const auto& m :
           List("groups/" + std::string(g.at("id").as_string()) + "/members?maxResults=200",
                "members")) {
        members.insert(email_of[std::string(m.at("id").as_string())] + " " +
                       std::string(m.at("role").as_string()));
      }
    }
    return out;
  }
};

// What differs between two domain states, for failure messages.
std::string Diff(const std::map<std::string, std::set<std::string>>& got,
                 const std::map<std::string, std::set<std::string>>& want) {
  std::string out;
  for (const auto& [name, members] : want) {
    auto it = got.find(name);
    if (it == got.end()) {
      out += "missing group " + name + "; ";
      continue;
    }
    for (const auto& m : members) {
      if (!it->second.contains(m)) out += name + " lacks " + m + "; ";
    }
    for (const auto& m : it->second) {
      if (!members.contains(m)) out += name + " has extra " + m + "; ";
    }
  }
  for (const auto& [name, members] : got) {
    if (!want.contains(name)) out += "extra group " + name + "; ";
  }
  return out;
}

// The last failures and retries in the provisioning log, for failure messages.
std::string Troubles(const AdminClient& admin) {
  std::string out;
  for (std::string status : {"failure", "retrying"}) {
    auto log = admin.Json("GET", "/api/v1/provisioning-log?limit=5&status=" + status);
    out += status + ": " + boost::json::serialize(log) + "\n";
  }
  return out + boost::json::serialize(admin.Json("GET", "/api/v1/status"));
}

TEST_F(GroupPushTest, GoogleDomainMatchesTheDirectoryExactly) {
  // #10's acceptance: 500 users and 20 groups assigned; change, suspend and unassign some,
  // and the emulator's state matches exactly.
  GoogleEmulator emu;
  Directory dir(server_->url());
  ASSERT_TRUE(dir.admin().ok());
  auto ids = dir.AddUsers(1000, 1520);  // 1500..1519 are not assigned at first
  ASSERT_EQ(ids.size(), 520u);
  // Group k holds users 1000+25k .. 1000+25k+24 (every assigned user is in one group).
  std::vector<std::string> groups(20);
  std::map<int, std::set<int>> members;  // group -> user indexes
  for (int k = 0; k < 20; ++k) {
    std::vector<std::string> m;
    for (int i = 1000 + 25 * k; i < 1000 + 25 * (k + 1); ++i) {
      m.push_back(ids[i]);
      members[k].insert(i);
    }
    groups[k] = dir.AddGroup("Team " + std::to_string(k), m);
  }
  std::string key_json =
      boost::json::serialize(object{{"type", "service_account"},
                                    {"private_key_id", "groups-it"},
                                    {"private_key", ServiceAccountKey().private_pem},
                                    {"client_email", kClientEmail},
                                    {"token_uri", emu.url + "/token"}});
  auto conn =
      dir.admin().Json("POST", "/api/v1/connections",
                       object{{"name", "Workspace emulator"},
                              {"type", "google-workspace"},
                              {"base_url", emu.url},
                              {"auth", object{{"kind", "google_service_account"},
                                              {"service_account_json", key_json},
                                              {"admin_email", std::string("admin@") + kDomain},
                                              {"customer_id", "my_customer"}}}});
  ASSERT_TRUE(conn.as_object().contains("id")) << conn;
  auto app = dir.admin().Json("POST", "/api/v1/applications",
                              object{{"template", "google-workspace"},
                                     {"name", "Workspace"},
                                     {"capabilities", array{"provisioning"}},
                                     {"connection_id", conn.at("id")},
                                     {"settings", object{{"deprovisioning_action", "disable"},
                                                         {"deletion_threshold", 0}}}});
  ASSERT_TRUE(app.as_object().contains("id")) << app;
  std::string apps = "/api/v1/applications/" + std::string(app.at("id").as_string());
  std::map<int, std::string> user_assignment;
  for (int i = 1000; i < 1500; ++i) {
    auto a = dir.admin().Json("POST", apps + "/assignments", object{{"user_id", ids[i]}});
    ASSERT_TRUE(a.as_object().contains("id")) << a;
    user_assignment[i] = std::string(a.at("id").as_string());
  }
  std::map<int, std::string> group_assignment;
  for (int k = 0; k < 20; ++k) {
    auto a = dir.admin().Json("POST", apps + "/assignments", object{{"group_id", groups[k]}});
    ASSERT_TRUE(a.as_object().contains("id")) << a;
    group_assignment[k] = std::string(a.at("id").as_string());
  }

  std::map<int, std::string> names;
  for (int k = 0; k < 20; ++k) names[k] = "Team " + std::to_string(k);
  auto expected = [&](const std::string& role = "MEMBER") {
    std::map<std::string, std::set<std::string>> out;
    for (const auto& [k, m] : members) {
      auto& s = out[names[k]];
      for (int i : m) s.insert(UserName(i) + " " + role);
    }
    return out;
  };
  ASSERT_TRUE(
      Eventually([&] { return emu.State() == expected(); }, 120, std::chrono::milliseconds(500)))
      << Diff(emu.State(), expected()) << Troubles(dir.admin());

  // Change: members moved between groups, new users joining a group, a group renamed, a
  // group unassigned, a group deleted, users deactivated in the directory (suspended in
  // Google, still members: their accounts exist) and a user unassigned.
  ASSERT_EQ(dir.RemoveMembers(groups[0], {ids[1000], ids[1001], ids[1002]}), 200);
  members[0].erase(1000), members[0].erase(1001), members[0].erase(1002);
  ASSERT_EQ(dir.AddMembers(groups[1], {ids[1100], ids[1101], ids[1500], ids[1501]}), 200);
  members[1].insert({1100, 1101, 1500, 1501});
  ASSERT_EQ(dir.Rename(groups[2], "Team Two"), 200);
  names[2] = "Team Two";
  ASSERT_EQ(dir.admin().Call("DELETE", apps + "/assignments/" + group_assignment[3]).status, 204);
  members.erase(3);
  ASSERT_EQ(dir.DeleteGroup(groups[4]), 204);
  members.erase(4);
  for (int i : {1200, 1201}) ASSERT_EQ(dir.SetActive(ids[i], false), 200);
  // User 1000 (no longer in any group) unassigned: suspended by deprovisioning, and it was
  // removed from Team 0 above.
  ASSERT_EQ(dir.admin().Call("DELETE", apps + "/assignments/" + user_assignment[1000]).status, 204);

  ASSERT_TRUE(
      Eventually([&] { return emu.State() == expected(); }, 120, std::chrono::milliseconds(500)))
      << Diff(emu.State(), expected()) << Troubles(dir.admin());
  ASSERT_TRUE(dir.Quiet());
  EXPECT_EQ(emu.State(), expected());
  EXPECT_EQ(emu.List("groups?customer=my_customer&maxResults=200", "groups").size(), 18u);
  auto team2 = emu.List("groups?customer=my_customer&maxResults=200", "groups");
  for (const auto& g : team2) {
    if (g.at("name") == "Team Two") {
      EXPECT_EQ(g.at("email"), "team-2@example.com");  // the address stays
    }
  }
  auto suspended = Fetch("GET", emu.url + "/admin/directory/v1/users/" + UserName(1200),
                         {"Authorization: Bearer " + emu.token})
                       .Json();
  EXPECT_EQ(suspended.at("suspended"), true);

  // Member roles: MANAGER for every member pushed from now on.
  auto patched = dir.admin().Json("PATCH", apps,
                                  object{{"settings", object{{"group_member_role", "MANAGER"}}}});
  ASSERT_EQ(patched.at("settings").at("group_member_role"), "MANAGER") << patched;
  std::string fresh = dir.AddGroup("Managers", {ids[1300], ids[1301]});
  ASSERT_TRUE(dir.admin()
                  .Json("POST", apps + "/assignments", object{{"group_id", fresh}})
                  .as_object()
                  .contains("id"));
  ASSERT_TRUE(Eventually([&] {
    auto s = emu.State();
    return s["Managers"] ==
           std::set<std::string>{UserName(1300) + " MANAGER", UserName(1301) + " MANAGER"};
  }));

  // A name whose address is taken ("TEAM 0!" makes team-0@, Team 0's): a unique address.
  std::string clash = dir.AddGroup("TEAM 0!", {ids[1400]});
  ASSERT_TRUE(dir.admin()
                  .Json("POST", apps + "/assignments", object{{"group_id", clash}})
                  .as_object()
                  .contains("id"));
  ASSERT_TRUE(Eventually([&] {
    return emu.State()["TEAM 0!"] == std::set<std::string>{UserName(1400) + " MANAGER"};
  }));
  for (const auto& g : emu.List("groups?customer=my_customer&maxResults=200", "groups")) {
    if (g.at("name") == "TEAM 0!") {
      std::string email(g.at("email").as_string());
      EXPECT_TRUE(email.starts_with("team-0-") && email != "team-0@example.com") << email;
    }
    if (g.at("name") == "Team 0") {
      EXPECT_EQ(g.at("email"), "team-0@example.com");
    }
  }
  EXPECT_EQ(emu.State()["Team 0"].size(), members[0].size());

  // Members changed in Google by hand: 1300 removed, 1400 (Provisio's account, not in
  // Managers) and a user made in the domain by hand added. A full sync puts 1300 back,
  // removes 1400 and leaves the hand-made user.
  ASSERT_TRUE(dir.Quiet());
  auto google = [&](const std::string& method, const std::string& path, const object& body) {
    return Fetch(method, emu.url + "/admin/directory/v1/" + path,
                 {"Authorization: Bearer " + emu.token, "Content-Type: application/json"},
                 body.empty() ? "" : boost::json::serialize(body));
  };
  const std::string by_hand = std::string("by-hand@") + kDomain;
  auto made = google("POST", "users",
                     object{{"primaryEmail", by_hand},
                            {"name", object{{"givenName", "By"}, {"familyName", "Hand"}}},
                            {"password", "a-long-enough-password"}});
  ASSERT_EQ(made.status, 200) << made.body;
  const std::string managers = std::string("managers@") + kDomain;
  ASSERT_EQ(google("DELETE", "groups/" + managers + "/members/" + UserName(1300), {}).status, 204);
  for (const std::string& who : {UserName(1400), by_hand}) {
    auto added = google("POST", "groups/" + managers + "/members",
                        object{{"email", who}, {"role", "MEMBER"}});
    ASSERT_EQ(added.status, 200) << added.body;
  }
  ASSERT_EQ(emu.State()["Managers"],
            (std::set<std::string>{UserName(1301) + " MANAGER", UserName(1400) + " MEMBER",
                                   by_hand + " MEMBER"}));
  ASSERT_TRUE(dir.admin()
                  .Json("POST", apps + "/sync", object{{"mode", "full"}})
                  .as_object()
                  .contains("enqueued"));
  std::set<std::string> repaired{UserName(1300) + " MANAGER", UserName(1301) + " MANAGER",
                                 by_hand + " MEMBER"};
  ASSERT_TRUE(Eventually([&] { return emu.State()["Managers"] == repaired; }))
      << Diff({{"Managers", emu.State()["Managers"]}}, {{"Managers", repaired}})
      << Troubles(dir.admin());

  // Restarting the work (a full sync) duplicates nothing and changes nothing.
  ASSERT_TRUE(dir.Quiet());
  auto before = emu.State();
  ASSERT_TRUE(dir.admin()
                  .Json("POST", apps + "/sync", object{{"mode", "full"}})
                  .as_object()
                  .contains("enqueued"));
  ASSERT_TRUE(dir.Quiet());
  EXPECT_EQ(emu.State(), before);
  EXPECT_EQ(emu.List("groups?customer=my_customer&maxResults=200", "groups").size(), 20u);
}

}  // namespace
}  // namespace provisio::testing
