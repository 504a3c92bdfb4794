#include <algorithm>

#include "store/conformance/conformance.h"

namespace provisio::store {
namespace {

std::vector<WorkKey> Keys(int n) {
  std::vector<WorkKey> keys;
  for (int i = 0; i < n; ++i) keys.push_back({"app", "user", "u" + std::to_string(i)});
  return keys;
}

TEST_P(StoreConformance, QueueLeasesEachItemOnce) {
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Enqueue(tx, Keys(10), "incremental", T(100));
              }).ok());
  auto a = store_->work().Lease("a", 6, T(100), std::chrono::seconds(60));
  auto b = store_->work().Lease("b", 6, T(100), std::chrono::seconds(60));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 6u);
  EXPECT_EQ(b->size(), 4u);
  EXPECT_TRUE(store_->work().Lease("c", 6, T(100), std::chrono::seconds(60))->empty());
  // After the lease expires, another worker gets the unfinished items.
  auto c = store_->work().Lease("c", 20, T(161), std::chrono::seconds(60));
  EXPECT_EQ(c->size(), 10u);
}

TEST_P(StoreConformance, QueueCompleteRemovesUnlessReMarked) {
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Enqueue(tx, Keys(2), "incremental", T(100));
              }).ok());
  auto leased = store_->work().Lease("a", 10, T(100), std::chrono::seconds(60));
  ASSERT_EQ(leased->size(), 2u);
  // u1 changes again while it is being worked on.
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Enqueue(tx, {{"app", "user", "u1"}}, "full", T(101));
              }).ok());
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                for (const auto& item : *leased) RETURN_IF_ERROR(store_->work().Complete(tx, item));
                return Ok();
              }).ok());
  auto again = store_->work().Lease("a", 10, T(102), std::chrono::seconds(60));
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].key.subject_id, "u1");
  EXPECT_EQ((*again)[0].mode, "full");
}

// A worker whose lease lapsed (a slow batch) finishes after another worker took the item,
// completed it, and a new change marked the subject again: the new mark starts again at
// generation 1, like the item the late worker holds, yet it is a change that worker never saw.
// Its Complete (or Bury) must not remove it.
TEST_P(StoreConformance, QueueLateWorkerDoesNotDropALaterMark) {
  const WorkKey key{"app", "user", "u0"};
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Enqueue(tx, {key}, "incremental", T(100));
              }).ok());
  auto late = store_->work().Lease("a", 10, T(100), std::chrono::seconds(60));
  ASSERT_EQ(late->size(), 1u);
  auto other = store_->work().Lease("b", 10, T(161), std::chrono::seconds(60));
  ASSERT_EQ(other->size(), 1u);
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Complete(tx, (*other)[0]);
              }).ok());
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Enqueue(tx, {key}, "incremental", T(170));
              }).ok());
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) { return store_->work().Complete(tx, (*late)[0]); }).ok());
  auto again = store_->work().Lease("c", 10, T(171), std::chrono::seconds(60));
  ASSERT_EQ(again->size(), 1u) << "the change marked after the late worker leased was dropped";
  EXPECT_EQ((*again)[0].key.subject_id, "u0");
  // Nor does a late Bury, Retry or Defer touch it: it stays leased to the worker that has it.
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                RETURN_IF_ERROR(store_->work().Bury(tx, (*late)[0], "gave up"));
                RETURN_IF_ERROR(store_->work().Retry(tx, (*late)[0], T(500), "late"));
                return store_->work().Defer(tx, (*late)[0], T(500), "late");
              }).ok());
  auto counts = store_->work().Counts(T(172));
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].dead, 0);
  EXPECT_EQ((*counts)[0].leased, 1);
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Complete(tx, (*again)[0]);
              }).ok());
  EXPECT_TRUE(store_->work().Counts(T(173))->empty());
}

TEST_P(StoreConformance, QueueRetryBacksOffAndBuryKeepsDead) {
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Enqueue(tx, Keys(2), "incremental", T(100));
              }).ok());
  auto leased = store_->work().Lease("a", 10, T(100), std::chrono::seconds(60));
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                RETURN_IF_ERROR(store_->work().Retry(tx, (*leased)[0], T(130), "429"));
                return store_->work().Bury(tx, (*leased)[1], "gave up");
              }).ok());
  EXPECT_TRUE(store_->work().Lease("a", 10, T(120), std::chrono::seconds(60))->empty());
  auto later = store_->work().Lease("a", 10, T(130), std::chrono::seconds(60));
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].attempts, 1);
  EXPECT_EQ((*later)[0].last_error, "429");
  auto counts = store_->work().Counts(T(130));
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].dead, 1);
  EXPECT_EQ((*counts)[0].leased, 1);
  // A new change brings a dead item back (the other one's lease lapsed by then too).
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Enqueue(tx, {(*leased)[1].key}, "incremental", T(200));
              }).ok());
  auto revived = store_->work().Lease("a", 10, T(200), std::chrono::seconds(60));
  ASSERT_EQ(revived->size(), 2u);
  EXPECT_EQ(revived->at(0).attempts + revived->at(1).attempts, 1);  // the revived one starts over
}

TEST_P(StoreConformance, QueueListsAndRevivesAnApplicationsDeadItems) {
  std::vector<WorkKey> keys = Keys(5);
  keys.push_back({"app", "group", "g1"});
  keys.push_back({"other", "user", "u0"});
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Enqueue(tx, keys, "incremental", T(100));
              }).ok());
  auto leased = store_->work().Lease("a", 10, T(100), std::chrono::seconds(60));
  ASSERT_EQ(leased->size(), keys.size());
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                for (const auto& item : *leased) {
                  if (item.key.subject_id == "u1") continue;  // still leased: not dead
                  RETURN_IF_ERROR(store_->work().Bury(tx, item, "500 from " + item.key.subject_id));
                }
                return Ok();
              }).ok());
  // Paged in (type, id) order, this application's only.
  auto first = store_->work().ListDead("app", std::nullopt, 3);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ(first->at(0).key.subject_type, "group");
  EXPECT_EQ(first->at(1).key.subject_id, "u0");
  EXPECT_EQ(first->at(2).key.subject_id, "u2");
  EXPECT_EQ(first->at(1).last_error, "500 from u0");
  EXPECT_EQ(first->at(1).attempts, 1);
  auto rest = store_->work().ListDead("app", first->back().key, 3);
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ(rest->at(0).key.subject_id, "u3");
  EXPECT_EQ(rest->at(1).key.subject_id, "u4");
  EXPECT_TRUE(store_->work().ListDead("app", rest->back().key, 3)->empty());

  int64_t revived = 0;
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                ASSIGN_OR_RETURN(revived, store_->work().Revive(tx, "app", T(150)));
                return Ok();
              }).ok());
  EXPECT_EQ(revived, 5);
  EXPECT_TRUE(store_->work().ListDead("app", std::nullopt, 10)->empty());
  EXPECT_EQ(store_->work().ListDead("other", std::nullopt, 10)->size(), 1u);
  // Ready at once with their attempts starting over; u1 is still leased, "other" still dead.
  auto again = store_->work().Lease("b", 10, T(150), std::chrono::seconds(60));
  ASSERT_EQ(again->size(), 5u);
  for (const auto& item : *again) {
    EXPECT_EQ(item.key.application_id, "app");
    EXPECT_EQ(item.attempts, 0);
  }
}

TEST_P(StoreConformance, QueueDeferSpendsNoAttempt) {
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Enqueue(tx, Keys(1), "incremental", T(100));
              }).ok());
  auto leased = store_->work().Lease("a", 10, T(100), std::chrono::seconds(60));
  ASSERT_EQ(leased->size(), 1u);
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Defer(tx, (*leased)[0], T(110), "application paused");
              }).ok());
  EXPECT_TRUE(store_->work().Lease("a", 10, T(109), std::chrono::seconds(60))->empty());
  auto later = store_->work().Lease("a", 10, T(110), std::chrono::seconds(60));
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].attempts, 0);
  EXPECT_EQ((*later)[0].last_error, "application paused");
  EXPECT_EQ((*store_->work().Counts(T(110)))[0].leased, 1);
}

TEST_P(StoreConformance, QueueReleasesADeadNodesLeases) {
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Enqueue(tx, Keys(3), "incremental", T(100));
              }).ok());
  ASSERT_EQ(store_->work().Lease("a", 2, T(100), std::chrono::seconds(60))->size(), 2u);
  ASSERT_EQ(store_->work().Lease("b", 2, T(100), std::chrono::seconds(60))->size(), 1u);
  EXPECT_TRUE(store_->work().Lease("c", 10, T(101), std::chrono::seconds(60))->empty());
  Result<int64_t> released = 0;
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                released = store_->work().ReleaseLeases(tx, "a");
                return released.ok() ? Ok() : Status(released.error());
              }).ok());
  EXPECT_EQ(*released, 2);
  EXPECT_EQ(store_->work().Lease("c", 10, T(102), std::chrono::seconds(60))->size(), 2u);
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                released = store_->work().ReleaseLeases(tx, "");
                return released.ok() ? Ok() : Status(released.error());
              }).ok());
  EXPECT_EQ(*released, 3);
  EXPECT_EQ(store_->work().Lease("d", 10, T(103), std::chrono::seconds(60))->size(), 3u);
}

TEST_P(StoreConformance, LinksUpsertAndScan) {
  for (int i = 0; i < 3; ++i) {
    AccountLinkRow l{
        "app", "user", "u" + std::to_string(i), "t" + std::to_string(i), "active", "h", "{}",
        "",    T(1)};
    ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) { return store_->links().Upsert(tx, l); }).ok());
  }
  AccountLinkRow changed{"app", "user", "u1", "t1", "disabled", "h2", "{}", "", T(2)};
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) { return store_->links().Upsert(tx, changed); }).ok());
  auto got = store_->links().Get(nullptr, "app", "user", "u1");
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->state, "disabled");
  EXPECT_EQ((*got)->desired_hash, "h2");
  std::vector<std::string> ids;
  ASSERT_TRUE(store_->links()
                  .Scan("app", "user", "",
                        [&](const AccountLinkRow& l) {
                          ids.push_back(l.subject_id);
                          return true;
                        })
                  .ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"u0", "u1", "u2"}));
}

TEST_P(StoreConformance, LinksWithAHashSuffixAreFound) {
  const std::vector<std::pair<std::string, std::string>> links{
      {"u0", "h0|pending"},  {"u1", "h1"},         {"u2", "h2|pending"},
      {"u3", "h3|pendingx"}, {"u4", "h4_pending"}, {"u5", "h%|pending"}};
  for (const auto& [id, hash] : links) {
    AccountLinkRow l{"app", "user", id, "t", "active", hash, "{}", "", T(1)};
    ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) { return store_->links().Upsert(tx, l); }).ok());
  }
  AccountLinkRow other{"other", "user", "u9", "t", "active", "h|pending", "{}", "", T(1)};
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) { return store_->links().Upsert(tx, other); }).ok());
  auto found = store_->links().WithHashSuffix("app", "user", "|pending");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(*found, (std::vector<std::string>{"u0", "u2", "u5"}));
  // LIKE's wildcards in the suffix are literal characters.
  EXPECT_EQ(*store_->links().WithHashSuffix("app", "user", "_pending"),
            (std::vector<std::string>{"u4"}));
  EXPECT_TRUE(store_->links().WithHashSuffix("app", "group", "|pending")->empty());
}

TEST_P(StoreConformance, LinksScanRangeStaysWithinItsBounds) {
  for (std::string app : {"app", "other"}) {
    for (int i = 0; i < 6; ++i) {
      AccountLinkRow l{app, "user", "u" + std::to_string(i), "t", "active", "h", "{}", "", T(1)};
      ASSERT_TRUE(
          InTx(*store_, [&](Transaction& tx) { return store_->links().Upsert(tx, l); }).ok());
    }
  }
  AccountLinkRow group{"app", "group", "u3", "t", "active", "h", "{}", "", T(1)};
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) { return store_->links().Upsert(tx, group); }).ok());
  auto range = [&](std::string after, std::string upto) {
    std::vector<std::string> ids;
    EXPECT_TRUE(store_->links()
                    .ScanRange("app", "user", after, upto,
                               [&](const AccountLinkRow& l) {
                                 EXPECT_EQ(l.application_id, "app");
                                 ids.push_back(l.subject_id);
                                 return true;
                               })
                    .ok());
    return ids;
  };
  EXPECT_EQ(range("", "u2"), (std::vector<std::string>{"u0", "u1", "u2"}));
  EXPECT_EQ(range("u2", "u4"), (std::vector<std::string>{"u3", "u4"}));
  EXPECT_EQ(range("u4", "u9"), (std::vector<std::string>{"u5"}));
  EXPECT_TRUE(range("u5", "u9").empty());
}

// EnqueueAbsent marks only subjects without an item: a queued, backing-off or dead item keeps
// its generation, attempts and state.
TEST_P(StoreConformance, QueueEnqueueAbsentLeavesExistingItemsAsTheyAre) {
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->work().Enqueue(tx, Keys(3), "incremental", T(100));
              }).ok());
  auto leased = store_->work().Lease("a", 10, T(100), std::chrono::seconds(60));
  ASSERT_EQ(leased->size(), 3u);
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                for (const auto& item : *leased) {
                  if (item.key.subject_id == "u0") {
                    RETURN_IF_ERROR(store_->work().Bury(tx, item, "gave up"));
                  } else if (item.key.subject_id == "u1") {
                    RETURN_IF_ERROR(store_->work().Retry(tx, item, T(500), "try later"));
                  }  // u2 stays leased
                }
                return Ok();
              }).ok());
  Result<int64_t> added = int64_t{0};
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                added = store_->work().EnqueueAbsent(tx, Keys(5), "incremental", T(110));
                if (!added.ok()) return added.error();
                return Ok();
              }).ok());
  EXPECT_EQ(*added, 2);  // u3 and u4
  auto counts = store_->work().Counts(T(110));
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].dead, 1);    // u0 stays dead
  EXPECT_EQ((*counts)[0].leased, 1);  // u2
  // Ready now: only the new ones (u1 backs off until T(500)).
  auto ready = store_->work().Lease("b", 10, T(110), std::chrono::seconds(60));
  ASSERT_TRUE(ready.ok());
  std::vector<std::string> ids;
  for (const auto& i : *ready) ids.push_back(i.key.subject_id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"u3", "u4"}));
  // When u1's backoff is over (and the leases taken above have lapsed), u1 is back with the
  // attempt it had spent; u0 stays dead.
  auto later = store_->work().Lease("c", 10, T(500), std::chrono::seconds(60));
  ASSERT_TRUE(later.ok());
  ids.clear();
  for (const auto& i : *later) {
    ids.push_back(i.key.subject_id);
    if (i.key.subject_id == "u1") {
      EXPECT_EQ(i.attempts, 1);
    }
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"u1", "u2", "u3", "u4"}));
}

TEST_P(StoreConformance, ProvisioningLogNewestFirstWithFilters) {
  for (int i = 0; i < 5; ++i) {
    ProvisioningLogEntry e;
    e.at = T(i);
    e.application_id = i % 2 ? "a1" : "a2";
    e.subject_type = "user";
    e.subject_id = "u" + std::to_string(i);
    e.action = i == 3 ? "disable" : "create";
    e.status = i == 4 ? "failure" : "success";
    ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                  return store_->provisioning_log().Append(tx, e);
                }).ok());
  }
  auto all = store_->provisioning_log().Query({});
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[0].subject_id, "u4");
  LogQuery q;
  q.application_id = "a2";
  q.status = "success";
  EXPECT_EQ(store_->provisioning_log().Query(q)->size(), 2u);
  LogQuery page;
  page.before_id = (*all)[1].id;
  page.limit = 2;
  auto older = store_->provisioning_log().Query(page);
  ASSERT_EQ(older->size(), 2u);
  EXPECT_EQ((*older)[0].subject_id, "u2");
  LogQuery disables;
  disables.action = "disable";
  auto disabled = store_->provisioning_log().Query(disables);
  ASSERT_EQ(disabled->size(), 1u);
  EXPECT_EQ((*disabled)[0].subject_id, "u3");
  disables.application_id = "a2";  // u3 is a1's
  EXPECT_TRUE(store_->provisioning_log().Query(disables)->empty());
}

}  // namespace
}  // namespace provisio::store
