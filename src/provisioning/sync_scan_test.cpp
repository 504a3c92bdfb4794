// The set-based pass of an incremental sync, against a real SQLite store and directory: only
// the pairs whose desired state differs from what was last pushed are enqueued, and the
// desired state it computes for a page of users is the one the workers compute user by user.
#include "provisioning/sync_scan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>

#include "core/ids.h"
#include "mapping/defaults.h"
#include "provisioning/triggers.h"
#include "scim/schema.h"
#include "store/store.h"

namespace provisio::provisioning {
namespace {

namespace fs = std::filesystem;
using boost::json::array;
using boost::json::object;

constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";

object UserBody(const std::string& name, const std::string& given) {
  return object{{"schemas", array{kUserSchema}},
                {"userName", name},
                {"name", object{{"givenName", given}, {"familyName", "Tester"}}},
                {"emails", array{object{{"value", name + "@example.com"}, {"type", "work"}}}},
                {"active", true}};
}

class SyncScanTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    auto s = store::OpenStore("sqlite://" + (dir_ / "p.db").string());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(s).value();
    directory_ = std::make_unique<directory::Directory>(*store_, registry_, clock_);
    ctx_.app.id = "app";
    ctx_.app.template_id = "scim2";
    ctx_.deprovision = DeprovisionAction::kDisable;
    auto compiled = CompileAppMappings(ctx_.app);
    ASSERT_TRUE(compiled.ok()) << compiled.error().ToString();
    ctx_.mappings = std::make_shared<const mapping::CompiledMappings>(std::move(compiled).value());
  }
  void TearDown() override {
    directory_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  std::string NewUser(const std::string& name) {
    auto r = directory_->CreateUser(UserBody(name, "Given " + name));
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return std::string(r->body.at("id").as_string());
  }
  std::string NewGroup(const std::string& name, const std::vector<std::string>& members) {
    array list;
    for (const auto& m : members) list.push_back(object{{"value", m}});
    auto r = directory_->CreateGroup(
        object{{"schemas", array{kGroupSchema}}, {"displayName", name}, {"members", list}});
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return std::string(r->body.at("id").as_string());
  }
  // What a worker computes for one user: Directory::GetUser, then DesiredFor.
  Desired WorkerDesired(const std::string& user_id) {
    auto user = directory_->GetUser(user_id);
    if (!user.ok()) return Desired{};
    auto d = DesiredFor(ctx_, std::move(user->body));
    EXPECT_TRUE(d.ok()) << d.error().ToString();
    return std::move(d).value();
  }
  // The link a worker leaves after pushing the user's desired state (Engine::LinkFor).
  void Pushed(const std::string& user_id, const std::string& state = "active") {
    Desired d = WorkerDesired(user_id);
    ASSERT_TRUE(d.in_scope) << user_id;
    store::AccountLinkRow l{"app",  "user", user_id, "t-" + user_id, state,
                            d.hash, "{}",   "",      clock_.Now()};
    auto tx = store_->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(store_->links().Upsert(**tx, l).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  void Link(const std::string& subject_id) {
    store::AccountLinkRow l{"app", "user", subject_id, "t-" + subject_id, "active",
                            "h",   "{}",   "",         clock_.Now()};
    auto tx = store_->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(store_->links().Upsert(**tx, l).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  // Runs the incremental pass and returns the user ids it enqueued (sorted), taking them
  // off the queue.
  std::vector<std::string> Enqueued(int64_t* pairs = nullptr, size_t page = 2) {
    auto r = EnqueueChangedPairs(*store_, *directory_, ctx_, clock_.Now(), page);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    if (pairs) *pairs = r->pairs;
    std::vector<std::string> ids;
    auto items = store_->work().Lease("test", 1000, clock_.Now(), std::chrono::seconds(60));
    EXPECT_TRUE(items.ok());
    auto tx = store_->Begin();
    for (const auto& i : *items) {
      EXPECT_EQ(i.key.application_id, "app");
      EXPECT_EQ(i.key.subject_type, "user");
      EXPECT_EQ(i.mode, "incremental");
      ids.push_back(i.key.subject_id);
      EXPECT_TRUE(store_->work().Complete(**tx, i).ok());
    }
    EXPECT_TRUE((*tx)->Commit().ok());
    EXPECT_EQ(r->enqueued, static_cast<int64_t>(ids.size()));
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  static std::vector<std::string> Sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  fs::path dir_ = fs::temp_directory_path() / ("provisio-sync-scan-" + NewUuid());
  scim::SchemaRegistry registry_ = scim::SchemaRegistry::WithCoreSchemas();
  FakeClock clock_{FromMicros(1'700'000'000'000'000)};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<directory::Directory> directory_;
  AppContext ctx_;
};

// Direct users u0..u2 and u5, nested-group users u3 and u4, all pushed: nothing differs.
// Then each kind of change makes exactly its pair due, and nothing else.
TEST_F(SyncScanTest, OnlyTheDifferingPairsAreEnqueued) {
  std::vector<std::string> u;
  for (int i = 0; i < 6; ++i) u.push_back(NewUser("user" + std::to_string(i)));
  std::string inner = NewGroup("inner", {u[3], u[4]});
  std::string outer = NewGroup("outer", {inner});
  ctx_.assigned_users = {u[0], u[1], u[2], u[5]};
  ctx_.assigned_groups = {outer};
  for (const auto& id : u) Pushed(id);

  int64_t pairs = 0;
  EXPECT_TRUE(Enqueued(&pairs).empty());
  EXPECT_EQ(pairs, 6);

  // A changed user.
  ASSERT_TRUE(directory_->ReplaceUser(u[1], UserBody("user1", "Renamed")).ok());
  // A changed entitlement selection (on the user's assignment).
  ctx_.user_entitlements[u[2]] = {"profile-1"};
  // An unassigned user: its account is to be disabled.
  ctx_.assigned_users.erase(u[5]);
  // A new assignment: a user without an account.
  std::string fresh = NewUser("fresh");
  ctx_.assigned_users.insert(fresh);
  // A linked user deleted from the directory, and links whose users are gone that sort
  // before and after every user id (the first and the last page's ranges).
  std::string gone = NewUser("gone");
  ctx_.assigned_users.insert(gone);
  Pushed(gone);
  ASSERT_TRUE(directory_->DeleteUser(gone).ok());
  Link("00000000-gone");
  Link("zzzzzzzz-gone");
  // A user neither assigned nor linked is no pair at all.
  NewUser("bystander");

  EXPECT_EQ(Enqueued(&pairs),
            Sorted({u[1], u[2], u[5], fresh, gone, "00000000-gone", "zzzzzzzz-gone"}));
  EXPECT_EQ(pairs, 10);  // u0..u5, fresh, gone and the two dangling links
}

TEST_F(SyncScanTest, AChangedMappingMakesEveryAccountInScopeDue) {
  std::vector<std::string> u;
  for (int i = 0; i < 5; ++i) u.push_back(NewUser("user" + std::to_string(i)));
  ctx_.assigned_users = {u.begin(), u.end()};
  for (const auto& id : u) Pushed(id);
  std::string outsider = NewUser("outsider");  // linked, out of scope, already disabled
  ctx_.assigned_users.insert(outsider);
  Pushed(outsider, "disabled");
  ctx_.assigned_users.erase(outsider);
  EXPECT_TRUE(Enqueued().empty());

  auto mappings = mapping::DefaultScimMappings();
  mappings.push_back({"title", "Join(\" \", [name.givenName], \"(managed)\")"});
  auto compiled = mapping::Compile(mappings);
  ASSERT_TRUE(compiled.ok()) << compiled.error().ToString();
  ctx_.mappings = std::make_shared<const mapping::CompiledMappings>(std::move(compiled).value());
  EXPECT_EQ(Enqueued(), Sorted(u));
}

// A disabled account back in scope is enabled; a group entitlement selection reaches the
// group's members; the scoping filter takes a user out of scope.
TEST_F(SyncScanTest, StateGroupSelectionsAndScopingFilter) {
  std::vector<std::string> u;
  for (int i = 0; i < 4; ++i) u.push_back(NewUser("user" + std::to_string(i)));
  std::string group = NewGroup("sales", {u[2], u[3]});
  ctx_.assigned_users = {u[0], u[1]};
  ctx_.assigned_groups = {group};
  Pushed(u[0], "disabled");
  for (int i = 1; i < 4; ++i) Pushed(u[i]);
  EXPECT_EQ(Enqueued(), Sorted({u[0]}));
  Pushed(u[0]);  // the worker enabled it
  EXPECT_TRUE(Enqueued().empty());

  ctx_.group_entitlements[group] = {"role-1"};
  EXPECT_EQ(Enqueued(), Sorted({u[2], u[3]}));

  auto filter = mapping::ParseScopingFilter("userName ne \"user3\"");
  ASSERT_TRUE(filter.ok()) << filter.error().ToString();
  ctx_.group_entitlements.clear();
  ctx_.scoping = std::make_shared<const mapping::ScopingFilter>(std::move(filter).value());
  EXPECT_EQ(Enqueued(), Sorted({u[3]}));  // out of scope: disabled
}

// An item already in the queue (backing off, or dead) is left as it is: the sync adds none.
TEST_F(SyncScanTest, ExistingItemsStayAsTheyAre) {
  std::string a = NewUser("a"), b = NewUser("b");
  ctx_.assigned_users = {a, b};
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(store_->work().Enqueue(**tx, {{"app", "user", a}}, "full", clock_.Now()).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto leased = store_->work().Lease("w", 10, clock_.Now(), std::chrono::seconds(60));
  ASSERT_EQ(leased->size(), 1u);
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(store_->work().Bury(**tx, (*leased)[0], "gave up").ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  EXPECT_EQ(Enqueued(), Sorted({b}));
  auto counts = store_->work().Counts(clock_.Now());
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].dead, 1);
}

// The pass reads a page of users with their groups at once; what it computes for each user
// is what a worker computes from Directory::GetUser, groups (direct and nested) included.
TEST_F(SyncScanTest, DesiredStateMatchesTheWorkersUserByUser) {
  std::vector<std::string> u;
  for (int i = 0; i < 7; ++i) u.push_back(NewUser("user" + std::to_string(i)));
  std::string inner = NewGroup("Inner", {u[1], u[2]});
  std::string outer = NewGroup("outer", {inner, u[3]});
  NewGroup("other", {u[2], u[4]});
  ctx_.assigned_users = {u[0], u[5]};
  ctx_.assigned_groups = {outer};
  ctx_.group_entitlements[inner] = {"e2"};
  ctx_.group_entitlements[outer] = {"e1"};
  ctx_.user_entitlements[u[0]] = {"e3"};
  for (size_t page : {1u, 3u, 512u}) {
    int seen = 0;
    auto st = PlanApplication(
        *store_, *directory_, ctx_, false,
        [&](PairPlan& p) {
          ++seen;
          Desired w = WorkerDesired(p.user_id);
          EXPECT_EQ(boost::json::serialize(p.desired.user), boost::json::serialize(w.user));
          EXPECT_EQ(p.desired.hash, w.hash) << p.user_id;
          EXPECT_EQ(p.desired.in_scope, w.in_scope) << p.user_id;
          EXPECT_EQ(p.desired.entitlements, w.entitlements) << p.user_id;
          EXPECT_EQ(p.plan.action, Action::kCreate) << p.user_id;
          return Ok();
        },
        page);
    ASSERT_TRUE(st.ok()) << st.error().ToString();
    EXPECT_EQ(seen, 5) << "page " << page;  // u0, u1, u2, u3 and u5
  }
  // Selections belong to assignments: inner is not assigned (only reached through outer), so
  // its selection does not apply.
  EXPECT_EQ(WorkerDesired(u[2]).entitlements, (std::vector<std::string>{"e1"}));
  EXPECT_EQ(WorkerDesired(u[0]).entitlements, (std::vector<std::string>{"e3"}));
}

}  // namespace
}  // namespace provisio::provisioning
