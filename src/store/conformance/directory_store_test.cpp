#include <algorithm>

#include "core/ids.h"
#include "store/conformance/conformance.h"

namespace provisio::store {
namespace {

UserRow MakeUser(std::string user_name, std::vector<std::string> emails = {}) {
  UserRow u;
  u.id = NewUuid();
  u.user_name = std::move(user_name);
  u.display_name = "User " + u.user_name;
  u.emails = std::move(emails);
  u.created = u.updated = FromMicros(1'700'000'000'000'000);
  u.resource = R"({"userName":")" + u.user_name + R"("})";
  return u;
}

GroupRow MakeGroup(std::string name) {
  GroupRow g;
  g.id = NewUuid();
  g.display_name = std::move(name);
  g.created = g.updated = FromMicros(1'700'000'000'000'000);
  g.resource = "{}";
  return g;
}

std::vector<std::string> ScanIds(Store& store, ScanSpec spec) {
  std::vector<std::string> ids;
  auto st = store.users().Scan(spec, [&](const UserRow& u) {
    ids.push_back(u.user_name);
    return true;
  });
  EXPECT_TRUE(st.ok());
  return ids;
}

TEST_P(StoreConformance, UserRoundTripWithEmails) {
  auto u = MakeUser("alice", {"alice@example.com", "a@home.example"});
  u.external_id = "ext-1";
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) { return store_->users().Insert(tx, u); }).ok());
  auto got = store_->users().Get(nullptr, u.id);
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->user_name, "alice");
  EXPECT_EQ((*got)->external_id, "ext-1");
  EXPECT_EQ((*got)->emails, u.emails);
  EXPECT_EQ((*got)->resource, u.resource);
  EXPECT_EQ(*store_->users().Count(), 1);
}

TEST_P(StoreConformance, UserNameIsUniqueCaseInsensitively) {
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->users().Insert(tx, MakeUser("Bjensen"));
              }).ok());
  auto st = InTx(*store_,
                 [&](Transaction& tx) { return store_->users().Insert(tx, MakeUser("bjensen")); });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Code::kUniqueness);
}

TEST_P(StoreConformance, IndexedLookupsNarrowScans) {
  auto a = MakeUser("alice", {"alice@example.com"});
  a.external_id = "E1";
  auto b = MakeUser("bob", {"bob@example.com", "shared@example.com"});
  auto c = MakeUser("carol", {"SHARED@example.com"});
  c.updated = FromMicros(1'800'000'000'000'000);
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                for (auto* u : {&a, &b, &c}) RETURN_IF_ERROR(store_->users().Insert(tx, *u));
                return Ok();
              }).ok());
  using F = ScanSpec::Field;
  ScanSpec by_name;
  by_name.lookup = ScanSpec::Lookup{F::kUserName, "ALICE"};
  EXPECT_EQ(ScanIds(*store_, by_name), std::vector<std::string>{"alice"});
  ScanSpec by_email;
  by_email.lookup = ScanSpec::Lookup{F::kEmail, "shared@EXAMPLE.com"};
  auto shared = ScanIds(*store_, by_email);
  std::sort(shared.begin(), shared.end());
  EXPECT_EQ(shared, (std::vector<std::string>{"bob", "carol"}));
  ScanSpec by_ext;
  by_ext.lookup = ScanSpec::Lookup{F::kExternalId, "E1"};
  EXPECT_EQ(ScanIds(*store_, by_ext), std::vector<std::string>{"alice"});
  ScanSpec by_ext_case;
  by_ext_case.lookup = ScanSpec::Lookup{F::kExternalId, "e1"};  // externalId is caseExact
  EXPECT_TRUE(ScanIds(*store_, by_ext_case).empty());
  ScanSpec recent;
  recent.modified_after = FromMicros(1'750'000'000'000'000);
  EXPECT_EQ(ScanIds(*store_, recent), std::vector<std::string>{"carol"});
  ScanSpec exact;
  exact.modified_after = c.updated;
  EXPECT_TRUE(ScanIds(*store_, exact).empty());
  exact.modified_inclusive = true;
  EXPECT_EQ(ScanIds(*store_, exact), std::vector<std::string>{"carol"});
}

TEST_P(StoreConformance, ScanPagesThroughEverythingInIdOrder) {
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                for (int i = 0; i < 1000; ++i) {
                  RETURN_IF_ERROR(store_->users().Insert(tx, MakeUser("u" + std::to_string(i))));
                }
                return Ok();
              }).ok());
  ScanSpec spec;
  spec.page_size = 37;
  std::vector<std::string> ids;
  ASSERT_TRUE(store_->users()
                  .Scan(spec,
                        [&](const UserRow& u) {
                          ids.push_back(u.id);
                          return true;
                        })
                  .ok());
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  // Stopping early stops.
  int seen = 0;
  ASSERT_TRUE(store_->users().Scan(spec, [&](const UserRow&) { return ++seen < 5; }).ok());
  EXPECT_EQ(seen, 5);
  // Resuming after an id continues from there.
  spec.after_id = ids[499];
  int rest = 0;
  ASSERT_TRUE(store_->users().Scan(spec, [&](const UserRow&) { return ++rest > 0; }).ok());
  EXPECT_EQ(rest, 500);
}

TEST_P(StoreConformance, SavepointsUndoOneStepOnly) {
  auto tx = store_->Begin();
  ASSERT_TRUE(tx.ok());
  auto kept = MakeUser("kept");
  auto st = WithSavepoint(**tx, [&] { return store_->users().Insert(**tx, kept); });
  ASSERT_TRUE(st.ok());
  auto undone = WithSavepoint(**tx, [&]() -> Status {
    RETURN_IF_ERROR(store_->users().Insert(**tx, MakeUser("undone")));
    return store_->users().Insert(**tx, MakeUser("KEPT"));  // uniqueness: the step fails
  });
  ASSERT_FALSE(undone.ok());
  EXPECT_EQ(undone.error().code(), Code::kUniqueness);
  ASSERT_TRUE((*tx)->Commit().ok());
  EXPECT_EQ(*store_->users().Count(), 1);
}

TEST_P(StoreConformance, ScanOffsetSkipsRows) {
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                for (int i = 0; i < 50; ++i) {
                  RETURN_IF_ERROR(store_->users().Insert(tx, MakeUser("o" + std::to_string(i))));
                }
                return Ok();
              }).ok());
  ScanSpec spec;
  spec.page_size = 7;
  spec.offset = 45;
  int seen = 0;
  ASSERT_TRUE(store_->users().Scan(spec, [&](const UserRow&) { return ++seen > 0; }).ok());
  EXPECT_EQ(seen, 5);
}

TEST_P(StoreConformance, UpdateReplacesEmailsAndReadYourWritesInTx) {
  auto u = MakeUser("dave", {"d1@example.com"});
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) { return store_->users().Insert(tx, u); }).ok());
  u.emails = {"d2@example.com"};
  u.version = 2;
  auto tx = store_->Begin();
  ASSERT_TRUE(store_->users().Update(**tx, u).ok());
  auto inside = store_->users().Get(tx->get(), u.id);
  EXPECT_EQ((*inside)->version, 2);
  auto outside = store_->users().Get(nullptr, u.id);  // not committed yet
  EXPECT_EQ((*outside)->version, 1);
  ASSERT_TRUE((*tx)->Commit().ok());
  EXPECT_EQ((*store_->users().Get(nullptr, u.id))->emails,
            std::vector<std::string>{"d2@example.com"});
  ScanSpec old_mail;
  old_mail.lookup = ScanSpec::Lookup{ScanSpec::Field::kEmail, "d1@example.com"};
  EXPECT_TRUE(ScanIds(*store_, old_mail).empty());
  auto missing = MakeUser("nobody");
  auto st = InTx(*store_, [&](Transaction& t) { return store_->users().Update(t, missing); });
  EXPECT_EQ(st.error().code(), Code::kNotFound);
}

TEST_P(StoreConformance, MembershipsAndNesting) {
  auto u = MakeUser("erin");
  auto eng = MakeGroup("Engineering");
  auto all = MakeGroup("Everyone");
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) -> Status {
        RETURN_IF_ERROR(store_->users().Insert(tx, u));
        RETURN_IF_ERROR(store_->groups().Insert(tx, eng));
        RETURN_IF_ERROR(store_->groups().Insert(tx, all));
        ASSIGN_OR_RETURN(int64_t a, store_->groups().AddMembers(tx, eng.id, {{u.id, "User"}}));
        EXPECT_EQ(a, 1);
        ASSIGN_OR_RETURN(int64_t again, store_->groups().AddMembers(tx, eng.id, {{u.id, "User"}}));
        EXPECT_EQ(again, 0);
        ASSIGN_OR_RETURN(int64_t n, store_->groups().AddMembers(tx, all.id, {{eng.id, "Group"}}));
        EXPECT_EQ(n, 1);
        return Ok();
      }).ok());
  auto groups = store_->groups().GroupsOf(nullptr, u.id);
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].display_name, "Engineering");
  EXPECT_TRUE((*groups)[0].direct);
  EXPECT_EQ((*groups)[1].display_name, "Everyone");
  EXPECT_FALSE((*groups)[1].direct);
  EXPECT_EQ(*store_->groups().CountMembers(eng.id), 1);

  // Everyone contains Engineering, so adding Everyone into Engineering would be a cycle.
  auto tx = store_->Begin();
  EXPECT_TRUE(*store_->groups().IsWithin(**tx, eng.id, all.id));
  EXPECT_TRUE(*store_->groups().IsWithin(**tx, eng.id, eng.id));
  EXPECT_FALSE(*store_->groups().IsWithin(**tx, all.id, eng.id));
  tx->reset();

  // Deleting the user removes its memberships.
  ASSERT_TRUE(InTx(*store_, [&](Transaction& t) { return store_->users().Delete(t, u.id); }).ok());
  EXPECT_EQ(*store_->groups().CountMembers(eng.id), 0);
  // Deleting a group removes it from its parents.
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& t) { return store_->groups().Delete(t, eng.id); }).ok());
  EXPECT_EQ(*store_->groups().CountMembers(all.id), 0);
}

// GroupsOfUsers answers GroupsOf for a whole id range of users at once, in the order of
// UserStore::Scan, so a page of users gets its groups with one query.
TEST_P(StoreConformance, GroupsOfUsersCoversAnIdRangeLikeGroupsOf) {
  std::vector<UserRow> users;
  for (int i = 0; i < 6; ++i) users.push_back(MakeUser("u" + std::to_string(i)));
  auto eng = MakeGroup("engineering");
  auto all = MakeGroup("Everyone");
  auto ops = MakeGroup("ops");
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                for (const auto& u : users) RETURN_IF_ERROR(store_->users().Insert(tx, u));
                for (const auto* g : {&eng, &all, &ops}) {
                  RETURN_IF_ERROR(store_->groups().Insert(tx, *g));
                }
                // u0..u3 in engineering, which is in Everyone; u2 also directly in Everyone;
                // u3 in ops; u4 and u5 in no group. A group member is never listed as a user.
                for (int i = 0; i < 4; ++i) {
                  RETURN_IF_ERROR(store_->groups().AddMembers(tx, eng.id, {{users[i].id, "User"}}));
                }
                RETURN_IF_ERROR(store_->groups().AddMembers(tx, all.id, {{eng.id, "Group"}}));
                RETURN_IF_ERROR(store_->groups().AddMembers(tx, all.id, {{users[2].id, "User"}}));
                RETURN_IF_ERROR(store_->groups().AddMembers(tx, ops.id, {{users[3].id, "User"}}));
                return Ok();
              }).ok());
  std::vector<std::string> order;
  ASSERT_TRUE(store_->users()
                  .Scan({},
                        [&](const UserRow& u) {
                          order.push_back(u.id);
                          return true;
                        })
                  .ok());
  ASSERT_EQ(order.size(), 6u);
  // Two ranges cover the users: ("", order[2]] and (order[2], order[5]].
  std::vector<std::pair<std::string, Membership>> got;
  for (auto [after, upto] : {std::pair{std::string(), order[2]}, std::pair{order[2], order[5]}}) {
    auto page = store_->groups().GroupsOfUsers(nullptr, after, upto);
    ASSERT_TRUE(page.ok()) << page.error().ToString();
    for (auto& row : *page) {
      EXPECT_GT(row.first, after);
      EXPECT_LE(row.first, upto);
      got.push_back(std::move(row));
    }
  }
  std::vector<std::pair<std::string, Membership>> want;
  for (const auto& id : order) {
    auto one = store_->groups().GroupsOf(nullptr, id);
    ASSERT_TRUE(one.ok());
    for (const auto& m : *one) want.emplace_back(id, m);
  }
  ASSERT_EQ(got.size(), want.size());
  EXPECT_EQ(got.size(), 4u * 2 + 1);  // u0..u3: engineering and Everyone; u3: ops
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].first, want[i].first) << i;
    EXPECT_EQ(got[i].second.group_id, want[i].second.group_id) << i;
    EXPECT_EQ(got[i].second.display_name, want[i].second.display_name) << i;
    EXPECT_EQ(got[i].second.direct, want[i].second.direct) << i;
  }
  // u2 is in Everyone directly as well as through engineering: direct wins, listed once.
  auto u2 = std::count_if(got.begin(), got.end(), [&](const auto& r) {
    return r.first == users[2].id && r.second.group_id == all.id && r.second.direct;
  });
  EXPECT_EQ(u2, 1);
}

TEST_P(StoreConformance, LargeGroupMembersPageWithoutRewriting) {
  auto g = MakeGroup("Big");
  std::vector<MemberRow> members;
  for (int i = 0; i < 5000; ++i) members.push_back({NewUuid(), "User"});
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                RETURN_IF_ERROR(store_->groups().Insert(tx, g));
                return store_->groups().AddMembers(tx, g.id, members).ok() ? Ok()
                                                                           : Error::Internal("add");
              }).ok());
  int64_t removed = 0;
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                ASSIGN_OR_RETURN(removed, store_->groups().RemoveMembers(
                                              tx, g.id, {members[0].member_id, "not-a-member"}));
                return Ok();
              }).ok());
  EXPECT_EQ(removed, 1);
  size_t seen = 0;
  std::string last;
  ASSERT_TRUE(store_->groups()
                  .ListMembers(nullptr, g.id, "",
                               [&](const MemberRow& m) {
                                 EXPECT_LT(last, m.member_id);
                                 last = m.member_id;
                                 ++seen;
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(seen, 4999u);
}

TEST_P(StoreConformance, ChangeFeedIsOrderedAndCursorsPersist) {
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                for (int i = 0; i < 10; ++i) {
                  ChangeEvent e{0, "User", "id" + std::to_string(i), "create", 1, FromMicros(i),
                                ""};
                  ASSIGN_OR_RETURN(int64_t seq, store_->changes().Append(tx, e));
                  EXPECT_GT(seq, 0);
                }
                return Ok();
              }).ok());
  // A rolled-back write leaves no event behind.
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(store_->changes().Append(**tx, {0, "User", "ghost", "create", 1, {}, ""}).ok());
  }
  auto first = store_->changes().Read(0, 4);
  ASSERT_EQ(first->size(), 4u);
  EXPECT_EQ((*first)[0].resource_id, "id0");
  EXPECT_EQ((*first)[0].detail, "{}");
  auto rest = store_->changes().Read(first->back().seq, 100);
  ASSERT_EQ(rest->size(), 6u);
  EXPECT_EQ(rest->back().resource_id, "id9");
  EXPECT_EQ(*store_->changes().LastSeq(), rest->back().seq);
  EXPECT_EQ(*store_->changes().Cursor("provisioning"), 0);
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->changes().SetCursor(tx, "provisioning", first->back().seq);
              }).ok());
  EXPECT_EQ(*store_->changes().Cursor("provisioning"), first->back().seq);
}

TEST_P(StoreConformance, TokensByHashAndRevocation) {
  TokenRow t{NewUuid(), "scim", "hr", "", std::string(64, 'a'), "", FromMicros(5), {}, {}};
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) { return store_->tokens().Insert(tx, t); }).ok());
  auto found = store_->tokens().FindByHash(t.hash);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, "hr");
  EXPECT_FALSE((*found)->revoked);
  EXPECT_EQ(store_->tokens().List("scim")->size(), 1u);
  EXPECT_TRUE(store_->tokens().List("api")->empty());
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->tokens().Revoke(tx, t.id, FromMicros(9));
              }).ok());
  EXPECT_EQ((*store_->tokens().Get(t.id))->revoked, FromMicros(9));
}

}  // namespace
}  // namespace provisio::store
