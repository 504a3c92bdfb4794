// The suite itself; see connector_conformance.h.
#include "connectors/conformance/connector_conformance.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "connectors/action.h"
#include "connectors/error_class.h"
#include "core/ids.h"

namespace provisio::connectors {
namespace {

using boost::json::object;
using namespace std::chrono_literals;

std::string UniqueName(std::string_view stem) {
  return std::string(stem) + "-" + NewUuid().substr(0, 8);
}

object DesiredUser(const std::string& user_name) {
  return object{
      {"userName", user_name},
      {"name", object{{"givenName", "Ada"}, {"familyName", "Lovelace"}}},
      {"displayName", "Ada Lovelace"},
      {"emails", boost::json::array{object{
                     {"value", user_name + "@example.com"}, {"type", "work"}, {"primary", true}}}},
      {"title", "Analyst"},
      {"active", true}};
}

std::string Str(const object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
}

std::string GivenName(const object& o) {
  const auto* n = o.if_contains("name");
  return n != nullptr && n->is_object() ? Str(n->as_object(), "givenName") : "";
}

TargetOptions WithFaults(std::string spec) {
  TargetOptions o;
  o.faults = std::move(spec);
  return o;
}

TargetOptions WithUsers(size_t n) {
  TargetOptions o;
  o.seed_users = n;
  return o;
}

TargetOptions WithBadCredentials() {
  TargetOptions o;
  o.bad_credentials = true;
  return o;
}

bool Active(const object& o) {
  const auto* v = o.if_contains("active");
  return v != nullptr && v->is_bool() && v->as_bool();
}

TEST_P(ConnectorConformance, CreateFindGetDelete) {
  Connector& c = Start();
  ASSERT_TRUE(c.Test().ok());
  std::string name = UniqueName("ada");
  auto created = c.CreateUser(DesiredUser(name));
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  ASSERT_FALSE(created->id.empty());

  auto found = c.FindUser("userName", name);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, created->id);
  // Matching ignores case, as Okta's tests expect.
  std::string upper = name;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  auto found_upper = c.FindUser("userName", upper);
  ASSERT_TRUE(found_upper.ok());
  ASSERT_TRUE(found_upper->has_value());
  EXPECT_EQ((*found_upper)->id, created->id);

  auto got = c.GetUser(created->id);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(Str(got->attributes, "userName"), name);
  EXPECT_EQ(GivenName(got->attributes), "Ada");

  // The engine never asks a connector for what its capabilities lack (Salesforce: no delete).
  if (!c.capabilities().delete_users) return;
  ASSERT_TRUE(c.DeleteUser(created->id).ok());
  auto gone = c.GetUser(created->id);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(ClassOf(gone.error()), ErrorClass::kNotFound);
  auto not_found = c.FindUser("userName", name);
  ASSERT_TRUE(not_found.ok());
  EXPECT_FALSE(not_found->has_value());
  auto again = c.DeleteUser(created->id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(ClassOf(again.error()), ErrorClass::kNotFound);
  EXPECT_EQ(DecideAction(again.error()).action, Action::kSkip);
}

TEST_P(ConnectorConformance, DuplicateCreateIsAConflict) {
  Connector& c = Start();
  std::string name = UniqueName("dup");
  ASSERT_TRUE(c.CreateUser(DesiredUser(name)).ok());
  auto second = c.CreateUser(DesiredUser(name));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(ClassOf(second.error()), ErrorClass::kConflict) << second.error().ToString();
}

TEST_P(ConnectorConformance, FindAbsentUserIsEmpty) {
  Connector& c = Start();
  auto r = c.FindUser("userName", "nobody-" + NewUuid() + "\"quoted\\");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->has_value());
}

TEST_P(ConnectorConformance, ReplaceUser) {
  Connector& c = Start();
  std::string name = UniqueName("rep");
  auto created = c.CreateUser(DesiredUser(name));
  ASSERT_TRUE(created.ok());
  object desired = DesiredUser(name);
  desired["name"] = object{{"givenName", "Augusta"}, {"familyName", "King"}};
  desired.erase("title");
  auto replaced = c.ReplaceUser(created->id, desired);
  ASSERT_TRUE(replaced.ok()) << replaced.error().ToString();
  auto got = c.GetUser(created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(GivenName(got->attributes), "Augusta");
  EXPECT_FALSE(got->attributes.contains("title"));
}

TEST_P(ConnectorConformance, PatchUserChangesOnlyWhatDiffers) {
  Connector& c = Start();
  std::string name = UniqueName("pat");
  auto created = c.CreateUser(DesiredUser(name));
  ASSERT_TRUE(created.ok());
  auto current = c.GetUser(created->id);
  ASSERT_TRUE(current.ok());
  // The mapping manages name and title only; displayName is the target's and must survive.
  object desired{{"name", object{{"givenName", "Augusta"}}}, {"title", "Countess"}};
  auto patched = c.PatchUser(created->id, current->attributes, desired);
  ASSERT_TRUE(patched.ok()) << patched.error().ToString();
  auto got = c.GetUser(created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(GivenName(got->attributes), "Augusta");
  EXPECT_EQ(Str(got->attributes, "title"), "Countess");
  EXPECT_EQ(Str(got->attributes, "displayName"), "Ada Lovelace");
  EXPECT_EQ(Str(got->attributes.at("name").as_object(), "familyName"), "Lovelace");
  // Nothing left to change: a no-op.
  ASSERT_TRUE(c.PatchUser(created->id, got->attributes, desired).ok());
}

TEST_P(ConnectorConformance, DisabledUserIsStillReadable) {
  Connector& c = Start();
  auto created = c.CreateUser(DesiredUser(UniqueName("dis")));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(c.DisableUser(created->id).ok());
  auto got = c.GetUser(created->id);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_FALSE(Active(got->attributes));
}

TEST_P(ConnectorConformance, PagesThroughTenThousandUsers) {
  Connector& c = Start(WithUsers(10000));
  std::set<std::string> ids;
  PageRequest page{"", 500};
  std::string resume_cursor;
  size_t pages = 0;
  do {
    auto p = c.ListUsers(page);
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    for (const auto& a : p->items) ids.insert(a.id);
    if (++pages == 3) resume_cursor = p->next_cursor;
    page.cursor = p->next_cursor;
    ASSERT_LT(pages, 20000u);
  } while (!page.cursor.empty());
  EXPECT_GE(ids.size(), 10000u);
  // A cursor resumes where it was taken, in a fresh call.
  ASSERT_FALSE(resume_cursor.empty());
  auto resumed = c.ListUsers({resume_cursor, 500});
  ASSERT_TRUE(resumed.ok());
  ASSERT_FALSE(resumed->items.empty());
  EXPECT_TRUE(ids.contains(resumed->items.front().id));
}

TEST_P(ConnectorConformance, GroupMembershipInBatches) {
  Connector& c = Start();
  if (!c.capabilities().groups) GTEST_SKIP() << "no groups";
  GroupConnector& g = *c.groups();
  std::vector<std::string> users;
  for (int i = 0; i < 3; ++i) {
    auto u = c.CreateUser(DesiredUser(UniqueName("mem")));
    ASSERT_TRUE(u.ok());
    users.push_back(u->id);
  }
  std::string group_name = UniqueName("Engineers");
  auto group = g.CreateGroup(object{{"displayName", group_name}});
  ASSERT_TRUE(group.ok()) << group.error().ToString();
  auto found = g.FindGroup("displayName", group_name);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, group->id);

  ASSERT_TRUE(g.AddMembers(group->id, users).ok());
  ASSERT_TRUE(g.AddMembers(group->id, std::vector<std::string>{users[0]}).ok());  // idempotent
  auto members = cut_.members(group->id);
  ASSERT_TRUE(members.ok());
  std::sort(members->begin(), members->end());
  std::vector<std::string> expected = users;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(*members, expected);

  ASSERT_TRUE(g.RemoveMembers(group->id, std::vector<std::string>{users[0], users[1]}).ok());
  ASSERT_TRUE(g.RemoveMembers(group->id, std::vector<std::string>{users[0]}).ok());  // absent
  members = cut_.members(group->id);
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(*members, std::vector<std::string>{users[2]});

  // A rename changes the name and keeps the members.
  std::string renamed = UniqueName("Renamed");
  auto updated = g.UpdateGroup(group->id, object{{"displayName", group_name}},
                               object{{"displayName", renamed}});
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  auto by_new_name = g.FindGroup("displayName", renamed);
  ASSERT_TRUE(by_new_name.ok() && by_new_name->has_value());
  EXPECT_EQ((*by_new_name)->id, group->id);
  members = cut_.members(group->id);
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(*members, std::vector<std::string>{users[2]});

  ASSERT_TRUE(g.DeleteGroup(group->id).ok());
  auto gone = g.GetGroup(group->id);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(ClassOf(gone.error()), ErrorClass::kNotFound);
}

TEST_P(ConnectorConformance, StaleVersionIsRefusedThenConvergesAfterARereading) {
  Connector& c = Start();
  if (!c.capabilities().etag) GTEST_SKIP() << "target has no versions (ETags)";
  auto created = c.CreateUser(DesiredUser(UniqueName("etag")));
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  auto first = c.GetUser(created->id);
  ASSERT_TRUE(first.ok());
  // Someone changes the account after our reading: its version moves on.
  ASSERT_TRUE(c.PatchUser(created->id, first->attributes, object{{"title", "Countess"}}).ok());
  // A change computed from the old reading is refused, not written over theirs.
  auto stale = c.PatchUser(created->id, first->attributes, object{{"title", "Analyst II"}});
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(ClassOf(stale.error()), ErrorClass::kStale) << stale.error().ToString();
  EXPECT_EQ(DecideAction(stale.error()).action, Action::kRetry);
  auto kept = c.GetUser(created->id);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(Str(kept->attributes, "title"), "Countess");
  // Read again, try again: it converges.
  auto patched = c.PatchUser(created->id, kept->attributes, object{{"title", "Analyst II"}});
  ASSERT_TRUE(patched.ok()) << patched.error().ToString();
  auto got = c.GetUser(created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(Str(got->attributes, "title"), "Analyst II");
  if (c.capabilities().delete_users) {
    EXPECT_TRUE(c.DeleteUser(created->id).ok());
  }
}

TEST_P(ConnectorConformance, BatchCreatesAndUpdatesWithAResultPerWrite) {
  Connector& c = Start();
  if (!c.capabilities().batch) GTEST_SKIP() << "target has no batch endpoint";
  BatchConnector* b = c.batch();
  ASSERT_NE(b, nullptr);
  EXPECT_GT(c.capabilities().max_batch, 1u);
  std::string taken = UniqueName("taken");
  ASSERT_TRUE(c.CreateUser(DesiredUser(taken)).ok());
  // 250 new users (more than one Salesforce collection) and, in their midst, one that exists.
  constexpr size_t kUsers = 250;
  constexpr size_t kDuplicateAt = 100;
  std::vector<std::string> names;
  std::vector<BatchWrite> writes;
  for (size_t i = 0; i < kUsers; ++i) {
    names.push_back(UniqueName("batch"));
    writes.push_back({BatchWrite::Kind::kCreate, "", {}, DesiredUser(names.back())});
  }
  writes.insert(writes.begin() + kDuplicateAt,
                BatchWrite{BatchWrite::Kind::kCreate, "", {}, DesiredUser(taken)});
  auto created = b->ApplyBatch(writes);
  ASSERT_EQ(created.size(), writes.size());
  std::vector<std::string> ids;
  std::vector<object> accounts;
  for (size_t i = 0; i < created.size(); ++i) {
    if (i == kDuplicateAt) {
      ASSERT_FALSE(created[i].ok());
      EXPECT_EQ(ClassOf(created[i].error()), ErrorClass::kConflict)
          << created[i].error().ToString();
      continue;
    }
    ASSERT_TRUE(created[i].ok()) << i << ": " << created[i].error().ToString();
    ASSERT_FALSE(created[i]->id.empty());
    ids.push_back(created[i]->id);
    accounts.push_back(created[i]->attributes);
  }
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), kUsers);
  for (size_t i : {size_t{0}, kUsers / 2, kUsers - 1}) {
    auto found = c.FindUser("userName", names[i]);
    ASSERT_TRUE(found.ok() && found->has_value()) << names[i];
    EXPECT_EQ((*found)->id, ids[i]);
  }
  // Many lookups at once: each created user found under its own name (in any case), the
  // absent one absent.
  std::vector<std::string> lookups(names.begin(), names.end());
  std::transform(lookups[7].begin(), lookups[7].end(), lookups[7].begin(), ::toupper);
  lookups.push_back(UniqueName("absent"));
  auto looked = b->FindUsers("userName", lookups);
  ASSERT_EQ(looked.size(), lookups.size());
  for (size_t i = 0; i < kUsers; ++i) {
    ASSERT_TRUE(looked[i].ok()) << i << ": " << looked[i].error().ToString();
    ASSERT_TRUE(looked[i]->has_value()) << lookups[i];
    EXPECT_EQ((**looked[i]).id, ids[i]) << lookups[i];
  }
  ASSERT_TRUE(looked.back().ok());
  EXPECT_FALSE(looked.back()->has_value());
  // Updates, and one of an account that does not exist.
  std::vector<BatchWrite> updates;
  for (size_t i = 0; i < kUsers; ++i) {
    object desired = DesiredUser(names[i]);
    desired["title"] = "Engineer";
    updates.push_back({BatchWrite::Kind::kUpdate, ids[i], accounts[i], desired});
  }
  updates.push_back({BatchWrite::Kind::kUpdate, "005000000000000", DesiredUser("nobody"),
                     object{{"title", "Nobody"}}});
  auto updated = b->ApplyBatch(updates);
  ASSERT_EQ(updated.size(), updates.size());
  for (size_t i = 0; i < kUsers; ++i) {
    ASSERT_TRUE(updated[i].ok()) << i << ": " << updated[i].error().ToString();
    EXPECT_EQ(updated[i]->id, ids[i]);
  }
  ASSERT_FALSE(updated.back().ok());
  EXPECT_EQ(ClassOf(updated.back().error()), ErrorClass::kNotFound)
      << updated.back().error().ToString();
  for (size_t i : {size_t{0}, kUsers - 1}) {
    auto got = c.GetUser(ids[i]);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(Str(got->attributes, "title"), "Engineer");
    EXPECT_EQ(GivenName(got->attributes), "Ada");
  }
}

TEST_P(ConnectorConformance, BatchDisablesAndDeletesWithAResultPerWrite) {
  Connector& c = Start();
  if (!c.capabilities().batch_deprovision) GTEST_SKIP() << "deprovisions one by one";
  BatchConnector* b = c.batch();
  ASSERT_NE(b, nullptr);
  constexpr size_t kUsers = 6;  // the first half disabled, the rest deleted
  std::vector<std::string> ids;
  std::vector<BatchWrite> writes;
  for (size_t i = 0; i < kUsers; ++i) {
    auto created = c.CreateUser(DesiredUser(UniqueName("deprov")));
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    ids.push_back(created->id);
    writes.push_back({i < kUsers / 2 ? BatchWrite::Kind::kDisable : BatchWrite::Kind::kDelete,
                      ids.back(),
                      {},
                      {}});
  }
  // And one of an account that does not exist, in their midst.
  writes.insert(writes.begin() + 2,
                BatchWrite{BatchWrite::Kind::kDisable, "005000000000000", {}, {}});
  auto results = b->ApplyBatch(writes);
  ASSERT_EQ(results.size(), writes.size());
  ASSERT_FALSE(results[2].ok());
  EXPECT_EQ(ClassOf(results[2].error()), ErrorClass::kNotFound) << results[2].error().ToString();
  results.erase(results.begin() + 2);
  for (size_t i = 0; i < kUsers; ++i) {
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].error().ToString();
    EXPECT_EQ(results[i]->id, ids[i]);
    auto got = c.GetUser(ids[i]);
    if (i >= kUsers / 2 && c.capabilities().delete_users) {
      ASSERT_FALSE(got.ok()) << ids[i] << " is still there";
      EXPECT_EQ(ClassOf(got.error()), ErrorClass::kNotFound);
    } else {
      // Disabled, or deactivated where accounts cannot be deleted (Salesforce).
      ASSERT_TRUE(got.ok()) << got.error().ToString();
      EXPECT_FALSE(Active(got->attributes)) << ids[i];
    }
  }
  // Disabling again changes nothing and still answers each write.
  auto again = b->ApplyBatch(std::vector<BatchWrite>{{BatchWrite::Kind::kDisable, ids[0], {}, {}}});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(again[0].ok()) << again[0].error().ToString();
}

TEST_P(ConnectorConformance, RejectedCredentialsStopTheApplication) {
  Connector& c = Start(WithBadCredentials());
  auto r = c.GetUser("anyone");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassOf(r.error()), ErrorClass::kAuth) << r.error().ToString();
  EXPECT_EQ(DecideAction(r.error()).action, Action::kStop);
  EXPECT_FALSE(c.Test().ok());
}

TEST_P(ConnectorConformance, RateLimitedWithRetryAfterIsRetriedAfterThatDelay) {
  if (!GetParam().injects_faults) GTEST_SKIP() << "target cannot inject faults";
  Connector& c = Start(WithFaults("429:1:retry-after=2"));
  auto r = c.GetUser("anyone");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassOf(r.error()), ErrorClass::kRateLimited) << r.error().ToString();
  EXPECT_EQ(RetryAfterOf(r.error()), 2000ms);
  Decision d = DecideAction(r.error());
  EXPECT_EQ(d.action, Action::kRetry);
  EXPECT_EQ(d.delay, 2000ms);
}

TEST_P(ConnectorConformance, ServerErrorsAreRetryable) {
  if (!GetParam().injects_faults) GTEST_SKIP() << "target cannot inject faults";
  for (const char* spec : {"500:1", "503:1:retry-after=1"}) {
    Connector& c = Start(WithFaults(spec));
    auto r = c.CreateUser(DesiredUser(UniqueName("err")));
    ASSERT_FALSE(r.ok()) << spec;
    EXPECT_EQ(ClassOf(r.error()), ErrorClass::kRetryable) << spec << ": " << r.error().ToString();
    EXPECT_EQ(DecideAction(r.error()).action, Action::kRetry) << spec;
  }
}

TEST_P(ConnectorConformance, PartialFaultsStillConvergeWithRetries) {
  if (!GetParam().injects_faults) GTEST_SKIP() << "target cannot inject faults";
  Connector& c = Start(WithFaults("500:0.2,429:0.1:retry-after=0"));
  // Retrying on kRetry only, as the engine will: every user ends up created exactly once.
  std::vector<std::string> names;
  for (int i = 0; i < 30; ++i) names.push_back(UniqueName("flaky"));
  for (const auto& name : names) {
    for (int attempt = 0;; ++attempt) {
      ASSERT_LT(attempt, 50) << name;
      auto existing = c.FindUser("userName", name);
      if (!existing.ok()) {
        ASSERT_EQ(DecideAction(existing.error()).action, Action::kRetry);
        continue;
      }
      if (existing->has_value()) break;
      auto r = c.CreateUser(DesiredUser(name));
      if (r.ok()) break;
      ASSERT_EQ(DecideAction(r.error()).action, Action::kRetry) << r.error().ToString();
    }
  }
  for (const auto& name : names) {
    std::optional<Account> found;
    for (int attempt = 0; attempt < 50 && !found; ++attempt) {
      auto r = c.FindUser("userName", name);
      if (r.ok()) {
        ASSERT_TRUE(r->has_value()) << name;
        found = **r;
      }
    }
    EXPECT_TRUE(found.has_value()) << name;
  }
}

}  // namespace
}  // namespace provisio::connectors
