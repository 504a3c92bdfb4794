// The directory over a real SQLite store in a temp dir: change events in the same transaction
// as each write, no-op writes, If-Match, member deltas that never read the member list, the
// fallback for member filters, and indexed list answers equal to full-scan evaluation.
#include "directory/directory.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <set>

#include "core/ids.h"
#include "scim/filter_eval.h"
#include "scim/filter_parser.h"
#include "scim/list_query.h"

namespace provisio::directory {
namespace {

namespace fs = std::filesystem;
using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr const char* kPatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

value Patch(array ops) {
  return object{{"schemas", array{kPatchOp}}, {"Operations", std::move(ops)}};
}

// Forwards everything to a real store and counts the calls that read a whole member list,
// so a test can show a member PATCH never reads it (LevelDB's EnvWrapper idea).
class CountingGroupStore final : public store::GroupStore {
 public:
  explicit CountingGroupStore(store::GroupStore& inner) : inner_(inner) {}
  Status Insert(store::Transaction& tx, const store::GroupRow& g) override {
    return inner_.Insert(tx, g);
  }
  Status Update(store::Transaction& tx, const store::GroupRow& g) override {
    return inner_.Update(tx, g);
  }
  Status Delete(store::Transaction& tx, std::string_view id) override {
    return inner_.Delete(tx, id);
  }
  Result<std::optional<store::GroupRow>> Get(store::Transaction* tx, std::string_view id) override {
    return inner_.Get(tx, id);
  }
  Status Scan(const store::ScanSpec& spec, const store::Visitor<store::GroupRow>& visit) override {
    return inner_.Scan(spec, visit);
  }
  Result<int64_t> AddMembers(store::Transaction& tx, std::string_view group_id,
                             const std::vector<store::MemberRow>& members) override {
    return inner_.AddMembers(tx, group_id, members);
  }
  Result<int64_t> RemoveMembers(store::Transaction& tx, std::string_view group_id,
                                const std::vector<std::string>& ids) override {
    return inner_.RemoveMembers(tx, group_id, ids);
  }
  Status RemoveAllMembers(store::Transaction& tx, std::string_view group_id) override {
    return inner_.RemoveAllMembers(tx, group_id);
  }
  Status ListMembers(store::Transaction* tx, std::string_view group_id, std::string_view after_id,
                     const store::Visitor<store::MemberRow>& visit) override {
    ++list_members_calls;
    return inner_.ListMembers(tx, group_id, after_id, visit);
  }
  Result<int64_t> CountMembers(std::string_view group_id) override {
    return inner_.CountMembers(group_id);
  }
  Result<std::vector<store::Membership>> GroupsOf(store::Transaction* tx,
                                                  std::string_view member_id) override {
    ++groups_of_calls;
    return inner_.GroupsOf(tx, member_id);
  }
  Result<std::vector<std::pair<std::string, store::Membership>>> GroupsOfUsers(
      store::Transaction* tx, std::string_view after_id, std::string_view upto_id) override {
    return inner_.GroupsOfUsers(tx, after_id, upto_id);
  }
  Result<bool> IsWithin(store::Transaction& tx, std::string_view group_id,
                        std::string_view ancestor_id) override {
    return inner_.IsWithin(tx, group_id, ancestor_id);
  }
  int list_members_calls = 0;
  int groups_of_calls = 0;

 private:
  store::GroupStore& inner_;
};

class CountingStore final : public store::Store {
 public:
  explicit CountingStore(store::Store& inner) : inner_(inner), groups_(inner.groups()) {}
  std::string_view backend() const override { return inner_.backend(); }
  Result<int> SchemaVersion() override { return inner_.SchemaVersion(); }
  Result<std::unique_ptr<store::Transaction>> Begin() override { return inner_.Begin(); }
  store::AdminStore& admins() override { return inner_.admins(); }
  store::UserStore& users() override { return inner_.users(); }
  store::GroupStore& groups() override { return groups_; }
  store::ChangeFeed& changes() override { return inner_.changes(); }
  store::TokenStore& tokens() override { return inner_.tokens(); }
  store::SessionStore& sessions() override { return inner_.sessions(); }
  store::ConnectionStore& connections() override { return inner_.connections(); }
  store::ApplicationStore& applications() override { return inner_.applications(); }
  store::AssignmentStore& assignments() override { return inner_.assignments(); }
  store::AuditStore& audit() override { return inner_.audit(); }
  store::AccountLinkStore& links() override { return inner_.links(); }
  store::WorkQueue& work() override { return inner_.work(); }
  store::ProvisioningLogStore& provisioning_log() override { return inner_.provisioning_log(); }
  store::ImportRunStore& imports() override { return inner_.imports(); }
  store::SourceLinkStore& source_links() override { return inner_.source_links(); }
  store::EntitlementStore& entitlements() override { return inner_.entitlements(); }
  Status PutSetting(store::Transaction& tx, std::string_view key, std::string_view v) override {
    return inner_.PutSetting(tx, key, v);
  }
  Result<bool> HoldsLock(std::string_view name) override { return inner_.HoldsLock(name); }
  void OnWorkEnqueued(std::function<void()> wake) override {
    inner_.OnWorkEnqueued(std::move(wake));
  }
  Result<std::optional<std::string>> GetSetting(std::string_view key) override {
    return inner_.GetSetting(key);
  }
  CountingGroupStore& counting_groups() { return groups_; }

 private:
  store::Store& inner_;
  CountingGroupStore groups_;
};

class DirectoryTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    auto s = store::OpenStore("sqlite://" + (dir_ / "p.db").string());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    real_ = std::move(s).value();
    store_ = std::make_unique<CountingStore>(*real_);
    directory_ = std::make_unique<Directory>(*store_, registry_, clock_);
  }
  void TearDown() override {
    directory_.reset();
    store_.reset();
    real_.reset();
    fs::remove_all(dir_);
  }

  int64_t LastSeq() { return *store_->changes().LastSeq(); }
  std::vector<store::ChangeEvent> EventsAfter(int64_t seq) {
    return *store_->changes().Read(seq, 1000);
  }
  std::string NewUser(const std::string& user_name, object extra = {}) {
    object o{{"userName", user_name}};
    for (auto& [k, v] : extra) o[k] = v;
    auto r = directory_->CreateUser(o);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    clock_.Advance(std::chrono::milliseconds(1));
    return r.ok() ? std::string(r->body.at("id").as_string()) : "";
  }
  std::string NewGroup(const std::string& name, const std::vector<std::string>& members = {}) {
    array m;
    for (const auto& id : members) m.push_back(object{{"value", id}});
    auto r = directory_->CreateGroup(object{{"displayName", name}, {"members", m}});
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? std::string(r->body.at("id").as_string()) : "";
  }
  std::set<std::string> Members(const std::string& gid) {
    auto g = directory_->GetGroup(gid);
    std::set<std::string> out;
    if (!g.ok()) return out;
    if (auto* m = g->body.if_contains("members")) {
      for (const auto& e : m->as_array()) out.emplace(e.at("value").as_string());
    }
    return out;
  }

  fs::path dir_ = fs::temp_directory_path() / ("provisio-directory-" + NewUuid());
  std::unique_ptr<store::Store> real_;
  std::unique_ptr<CountingStore> store_;
  scim::SchemaRegistry registry_ = scim::SchemaRegistry::WithCoreSchemas();
  FakeClock clock_{FromMicros(1'700'000'000'000'000)};
  std::unique_ptr<Directory> directory_;
};

TEST_F(DirectoryTest, EveryWriteAppendsOneChangeEvent) {
  int64_t s0 = LastSeq();
  std::string id = NewUser("events");
  auto patched = directory_->PatchUser(
      id, Patch({object{{"op", "replace"}, {"path", "displayName"}, {"value", "E"}}}));
  ASSERT_TRUE(patched.ok()) << patched.error().ToString();
  auto replaced = directory_->ReplaceUser(id, object{{"userName", "events"}, {"title", "t"}});
  ASSERT_TRUE(replaced.ok()) << replaced.error().ToString();
  ASSERT_TRUE(directory_->DeleteUser(id).ok());
  auto events = EventsAfter(s0);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].op, "create");
  EXPECT_EQ(events[0].version, 1);
  EXPECT_EQ(events[1].op, "update");
  EXPECT_EQ(events[1].version, 2);
  EXPECT_EQ(events[2].op, "update");
  EXPECT_EQ(events[2].version, 3);
  EXPECT_EQ(events[3].op, "delete");
  for (const auto& e : events) {
    EXPECT_EQ(e.resource_type, "User");
    EXPECT_EQ(e.resource_id, id);
  }
}

TEST_F(DirectoryTest, ChangeEventIsInTheWritesTransaction) {
  int64_t s0 = LastSeq();
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(tx.ok());
    auto u = directory_->CreateUser(object{{"userName", "uncommitted"}}, tx->get());
    ASSERT_TRUE(u.ok());
    // Dropped without commit: neither the user nor its event exists.
  }
  EXPECT_EQ(LastSeq(), s0);
  scim::ListQuery q;
  q.filter = *scim::ParseFilter("userName eq \"uncommitted\"", directory_->user_type());
  EXPECT_EQ(directory_->ListUsers(q)->total, 0u);
}

TEST_F(DirectoryTest, FailedWritesAppendNoEvent) {
  std::string id = NewUser("taken");
  std::string u2 = NewUser("member");
  std::string gid = NewGroup("g", {u2});
  int64_t s0 = LastSeq();
  EXPECT_EQ(directory_->CreateUser(object{{"userName", "TAKEN"}}).error().code(),
            Code::kUniqueness);
  EXPECT_EQ(
      directory_->PatchUser(id, Patch({object{{"op", "replace"}, {"path", "id"}, {"value", "x"}}}))
          .error()
          .code(),
      Code::kMutability);
  EXPECT_EQ(directory_->DeleteUser(id, {"W/\"9\""}).error().code(), Code::kPreconditionFailed);
  EXPECT_EQ(directory_->DeleteUser("no-such").error().code(), Code::kNotFound);
  // A replace that fails after it has updated the row and cleared the members (an unknown
  // member) is rolled back whole: the members and the version stay, no event.
  auto bad = directory_->ReplaceGroup(
      gid, object{{"displayName", "g2"}, {"members", array{object{{"value", "ghost"}}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Code::kInvalidValue);
  EXPECT_EQ(Members(gid), std::set<std::string>{u2});
  EXPECT_EQ(directory_->GetGroup(gid)->version, 1);
  EXPECT_EQ(directory_->GetGroup(gid)->body.at("displayName"), "g");
  EXPECT_EQ(LastSeq(), s0);
}

TEST_F(DirectoryTest, NoOpPatchAndReplaceWriteNothing) {
  std::string id = NewUser("noop", {{"displayName", "Same"}, {"active", true}});
  int64_t s0 = LastSeq();
  auto r = directory_->PatchUser(
      id, Patch({object{{"op", "Replace"}, {"path", "displayName"}, {"value", "Same"}},
                 object{{"op", "Replace"}, {"path", "active"}, {"value", "True"}}}));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->version, 1);
  auto put = directory_->ReplaceUser(id, object{{"displayName", "Same"}, {"userName", "noop"}});
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  EXPECT_EQ(put->version, 1);
  std::string gid = NewGroup("noop-group", {id});
  int64_t s1 = LastSeq();
  auto g = directory_->PatchGroup(
      gid,
      Patch({object{{"op", "add"}, {"path", "members"}, {"value", array{object{{"value", id}}}}},
             object{{"op", "replace"}, {"path", "displayName"}, {"value", "noop-group"}}}));
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  EXPECT_EQ(g->version, 1);
  EXPECT_EQ(LastSeq(), s1);
  EXPECT_EQ(s1, s0 + 1);  // only the group's create
}

TEST_F(DirectoryTest, IfMatchGuardsEveryWrite) {
  std::string id = NewUser("guarded");
  auto op = Patch({object{{"op", "replace"}, {"path", "title"}, {"value", "a"}}});
  EXPECT_EQ(directory_->PatchUser(id, op, {"W/\"2\""}).error().code(), Code::kPreconditionFailed);
  EXPECT_EQ(directory_->ReplaceUser(id, object{{"userName", "guarded"}}, {"\"7\""}).error().code(),
            Code::kPreconditionFailed);
  auto ok = directory_->PatchUser(id, op, {"W/\"5\", W/\"1\""});
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->version, 2);
  EXPECT_TRUE(directory_
                  ->PatchUser(id,
                              Patch({object{{"op", "replace"}, {"path", "title"}, {"value", "b"}}}),
                              {"*"})
                  .ok());
  std::string gid = NewGroup("guarded-group");
  EXPECT_EQ(directory_->DeleteGroup(gid, {"W/\"3\""}).error().code(), Code::kPreconditionFailed);
  EXPECT_TRUE(directory_->DeleteGroup(gid, {"W/\"1\""}).ok());
  EXPECT_TRUE(ETagMatches("W/\"4\"", 4));
  EXPECT_TRUE(ETagMatches("\"4\"", 4));
  EXPECT_FALSE(ETagMatches("W/\"41\"", 4));
  EXPECT_FALSE(ETagMatches("", 4));
}

TEST_F(DirectoryTest, MemberDeltaNeverReadsTheMemberList) {
  std::vector<std::string> users;
  for (int i = 0; i < 50; ++i) users.push_back(NewUser("m" + std::to_string(i)));
  std::string gid = NewGroup("big", std::vector<std::string>(users.begin(), users.begin() + 40));
  int64_t s0 = LastSeq();
  auto& counter = store_->counting_groups();
  counter.list_members_calls = 0;
  ReadOptions none{.groups = false, .members = false};
  auto add = directory_->PatchGroup(
      gid,
      Patch({object{{"op", "Add"},
                    {"path", "members"},
                    {"value", array{object{{"value", users[45]}}, object{{"value", users[46]}}}}},
             object{{"op", "Remove"},
                    {"path", "members"},
                    {"value", array{object{{"value", users[0]}}}}},
             object{{"op", "remove"}, {"path", "members[value eq \"" + users[1] + "\"]"}},
             object{{"op", "replace"}, {"path", "displayName"}, {"value", "bigger"}}}),
      {}, none);
  ASSERT_TRUE(add.ok()) << add.error().ToString();
  EXPECT_EQ(counter.list_members_calls, 0);
  EXPECT_FALSE(add->body.contains("members"));
  auto events = EventsAfter(s0);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].op, "update");
  auto detail = boost::json::parse(events[0].detail);
  EXPECT_EQ(detail.at("added"), (array{value(users[45]), value(users[46])}));
  EXPECT_EQ(detail.at("removed").as_array().size(), 2u);
  auto members = Members(gid);
  EXPECT_EQ(members.size(), 40u);
  EXPECT_TRUE(members.count(users[45]) && !members.count(users[0]) && !members.count(users[1]));

  // Only membership changes: op "members".
  int64_t s1 = LastSeq();
  counter.list_members_calls = 0;
  ASSERT_TRUE(directory_
                  ->PatchGroup(gid,
                               Patch({object{{"op", "remove"},
                                             {"path", "members"},
                                             {"value", array{object{{"value", users[2]}}}}}}),
                               {}, none)
                  .ok());
  EXPECT_EQ(counter.list_members_calls, 0);
  ASSERT_EQ(EventsAfter(s1).size(), 1u);
  EXPECT_EQ(EventsAfter(s1)[0].op, "members");
}

TEST_F(DirectoryTest, MemberFilterTheDeltaCannotExpressFallsBackToTheWholeList) {
  std::string u1 = NewUser("f1"), u2 = NewUser("f2");
  std::string inner = NewGroup("inner");
  std::string gid = NewGroup("mixed", {u1, u2, inner});
  int64_t s0 = LastSeq();
  auto& counter = store_->counting_groups();
  counter.list_members_calls = 0;
  // Remove every nested group: a filter on type, not on value.
  auto r = directory_->PatchGroup(
      gid, Patch({object{{"op", "remove"}, {"path", "members[type eq \"Group\"]"}}}));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_GT(counter.list_members_calls, 0);
  EXPECT_EQ(Members(gid), (std::set<std::string>{u1, u2}));
  auto events = EventsAfter(s0);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(boost::json::parse(events[0].detail).at("removed"), (array{value(inner)}));
  // A filter matching nothing is noTarget and writes nothing.
  auto none = directory_->PatchGroup(
      gid, Patch({object{{"op", "remove"}, {"path", "members[type eq \"Device\"]"}}}));
  EXPECT_FALSE(none.ok());
  EXPECT_EQ(LastSeq(), s0 + 1);
}

TEST_F(DirectoryTest, CyclesAreRefusedAndUserGroupsAreDerived) {
  std::string u = NewUser("nested");
  std::string a = NewGroup("a", {u});
  std::string b = NewGroup("b", {a});
  std::string c = NewGroup("c", {b});
  auto user = directory_->GetUser(u);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->body.at("groups").as_array().size(), 3u);
  for (const auto& target : {a, b, c}) {
    auto r = directory_->PatchGroup(
        a, Patch({object{
               {"op", "add"}, {"path", "members"}, {"value", array{object{{"value", c}}}}}}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), Code::kInvalidValue) << target;
  }
  auto self = directory_->PatchGroup(
      b,
      Patch({object{{"op", "add"}, {"path", "members"}, {"value", array{object{{"value", b}}}}}}));
  EXPECT_EQ(self.error().code(), Code::kInvalidValue);
  auto ro = directory_->PatchUser(u, Patch({object{{"op", "remove"}, {"path", "groups"}}}));
  ASSERT_FALSE(ro.ok());
  EXPECT_EQ(ro.error().code(), Code::kMutability);
}

TEST_F(DirectoryTest, EntraBareManagerIsAccepted) {
  constexpr const char* kEnt = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  auto created =
      directory_->CreateUser(object{{"userName", "mgr"}, {kEnt, object{{"manager", "boss-id"}}}});
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(created->body.at(kEnt).at("manager").at("value"), "boss-id");
  std::string id(created->body.at("id").as_string());
  auto patched = directory_->PatchUser(
      id, Patch({object{
              {"op", "Replace"}, {"path", std::string(kEnt) + ":manager"}, {"value", "b2"}}}));
  ASSERT_TRUE(patched.ok()) << patched.error().ToString();
  EXPECT_EQ(patched->body.at(kEnt).at("manager").at("value"), "b2");
  auto standard = directory_->PatchUser(id, Patch({object{{"op", "replace"},
                                                          {"path", std::string(kEnt) + ":manager"},
                                                          {"value", object{{"value", "b3"}}}}}));
  ASSERT_TRUE(standard.ok()) << standard.error().ToString();
  EXPECT_EQ(standard->body.at(kEnt).at("manager").at("value"), "b3");
}

// Property: for random users and a set of filters, ListUsers (which narrows the scan with
// index hints) returns exactly what evaluating the filter over every user returns.
TEST_F(DirectoryTest, IndexedListsEqualFullScanEvaluation) {
  std::mt19937 rng(20261129);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  auto vary_case = [&](std::string s) {
    for (char& ch : s) {
      if (rng() % 3 == 0) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return s;
  };
  const std::vector<std::string> names{"Alpha", "beta", "Gamma", "delta", "alpha"};
  const std::vector<std::string> externals{"e1", "E1", "e2", "x-9"};
  const std::vector<std::string> mails{"a@x.example", "b@x.example", "c@y.example", "A@X.example"};
  std::vector<std::string> ids;
  std::vector<std::string> stamps;
  for (int i = 0; i < 240; ++i) {
    object o{{"userName", vary_case("user" + std::to_string(i))}};
    if (rng() % 4) o["displayName"] = vary_case(pick(names));
    if (rng() % 3) o["externalId"] = pick(externals);
    if (rng() % 2) o["active"] = rng() % 2 == 0;
    array emails;
    for (int e = 0, n = static_cast<int>(rng() % 3); e < n; ++e) {
      emails.push_back(
          object{{"value", vary_case(pick(mails))}, {"type", e == 0 ? "work" : "home"}});
    }
    if (!emails.empty()) o["emails"] = emails;
    auto r = directory_->CreateUser(o);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    ids.emplace_back(r->body.at("id").as_string());
    stamps.emplace_back(r->body.at("meta").at("lastModified").as_string());
    clock_.Advance(std::chrono::microseconds(700 + rng() % 4000));
  }
  // Some users change later, so lastModified is not creation order.
  for (int i = 0; i < 40; ++i) {
    auto r = directory_->PatchUser(
        pick(ids),
        Patch({object{{"op", "replace"}, {"path", "title"}, {"value", "t" + std::to_string(i)}}}));
    ASSERT_TRUE(r.ok());
    clock_.Advance(std::chrono::milliseconds(3));
  }
  std::vector<std::string> filters{
      "userName eq \"USER17\"",
      "userName eq \"user17\" and active eq false",
      "userName eq \"nobody\"",
      "externalId eq \"e1\"",
      "externalId eq \"E1\"",
      "externalId eq \"e1\" or externalId eq \"x-9\"",
      "emails.value eq \"a@x.example\"",
      "emails eq \"b@x.example\"",
      "emails[type eq \"work\"].value eq \"a@x.example\"",
      "emails[type eq \"home\" and value eq \"c@y.example\"]",
      "emails[value eq \"a@x.example\"] and displayName eq \"alpha\"",
      "displayName eq \"ALPHA\"",
      "displayName eq \"beta\" and not (externalId eq \"e2\")",
      "id eq \"" + ids[7] + "\"",
      "id eq \"" + ids[7] + "\" and userName eq \"nope\"",
      "meta.lastModified gt \"" + stamps[100] + "\"",
      "meta.lastModified ge \"" + stamps[100] + "\"",
      "meta.lastModified gt \"" + stamps[100] + "\" and externalId eq \"e2\"",
      "meta.lastModified ge \"" + stamps[239] + "\"",
      "active eq true and emails.value eq \"c@y.example\"",
      "userName sw \"user1\" and displayName eq \"gamma\"",
      "not (displayName eq \"alpha\")",
      "emails.value co \"@x\"",
  };
  // Every user, read one by one (no filter, no hints).
  std::vector<object> all;
  for (const auto& id : ids) all.push_back(directory_->GetUser(id)->body);
  const auto& type = directory_->user_type();
  for (const auto& text : filters) {
    auto bound = scim::ParseFilter(text, type);
    ASSERT_TRUE(bound.ok()) << text << ": " << bound.error().ToString();
    std::set<std::string> expected;
    for (const auto& u : all) {
      if (scim::Matches(*bound, u, type)) expected.emplace(u.at("id").as_string());
    }
    std::vector<scim::QueryParam> params{{"filter", text}, {"count", "1000"}};
    auto q = scim::ParseListQuery(params, type);
    ASSERT_TRUE(q.ok()) << text;
    auto listed = directory_->ListUsers(*q);
    ASSERT_TRUE(listed.ok()) << text << ": " << listed.error().ToString();
    std::set<std::string> got;
    for (const auto& u : listed->page) got.emplace(u.at("id").as_string());
    EXPECT_EQ(got, expected) << text;
    EXPECT_EQ(listed->total, expected.size()) << text;
  }
}

// A user's groups and a group's members are derived: a listing reads them for the page it
// answers, and for every candidate only when the filter or the sort names them.
TEST_F(DirectoryTest, ListsReadDerivedAttributesForTheirPageAlone) {
  std::vector<std::string> users;
  for (int i = 0; i < 30; ++i) users.push_back(NewUser("page-" + std::to_string(100 + i)));
  std::string everyone = NewGroup("grp-everyone", users);
  for (int i = 0; i < 5; ++i) NewGroup("grp-" + std::to_string(i), {users[i]});
  auto& counter = store_->counting_groups();
  auto list_users = [&](std::vector<scim::QueryParam> params) {
    auto q = scim::ParseListQuery(params, directory_->user_type());
    EXPECT_TRUE(q.ok());
    counter.groups_of_calls = 0;
    auto r = directory_->ListUsers(*q);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return std::move(r).value();
  };

  auto sorted = list_users({{"filter", "userName sw \"page-\""},
                            {"sortBy", "userName"},
                            {"sortOrder", "descending"},
                            {"count", "2"}});
  EXPECT_EQ(sorted.total, 30u);
  ASSERT_EQ(sorted.page.size(), 2u);
  EXPECT_EQ(sorted.page[0].at("userName"), "page-129");
  EXPECT_EQ(sorted.page[1].at("userName"), "page-128");
  for (const auto& u : sorted.page) {
    ASSERT_EQ(u.at("groups").as_array().size(), 1u);
    EXPECT_EQ(u.at("groups").at(0).at("value"), value(everyone));
  }
  EXPECT_EQ(counter.groups_of_calls, 2);

  auto first = list_users({{"filter", "userName sw \"page-1\""}, {"count", "3"}});
  EXPECT_EQ(first.total, 30u);
  EXPECT_EQ(first.page.size(), 3u);
  EXPECT_EQ(counter.groups_of_calls, 3);

  // A filter on groups needs them for every candidate.
  auto in_small = list_users({{"filter", "groups.display eq \"grp-0\""}, {"count", "100"}});
  EXPECT_EQ(in_small.total, 1u);
  EXPECT_GE(counter.groups_of_calls, 30);
  for (const auto& u : in_small.page) EXPECT_EQ(u.at("groups").as_array().size(), 2u);

  auto q = scim::ParseListQuery(
      std::vector<scim::QueryParam>{{"filter", "displayName sw \"grp-\""}, {"count", "1"}},
      directory_->group_type());
  ASSERT_TRUE(q.ok());
  counter.list_members_calls = 0;
  auto groups = directory_->ListGroups(*q);
  ASSERT_TRUE(groups.ok()) << groups.error().ToString();
  EXPECT_EQ(groups->total, 6u);
  ASSERT_EQ(groups->page.size(), 1u);
  EXPECT_TRUE(groups->page[0].contains("members"));
  EXPECT_EQ(counter.list_members_calls, 1);
}

}  // namespace
}  // namespace provisio::directory
