#include "store/conformance/conformance.h"

namespace provisio::store {
namespace {

ImportRunRow MakeRun(std::string id, std::string app, std::string state, int64_t created) {
  ImportRunRow r;
  r.id = std::move(id);
  r.application_id = std::move(app);
  r.state = std::move(state);
  r.mode = "full";
  r.options = "{}";
  r.phase = "users";
  r.counts = "{}";
  r.errors = "[]";
  r.created = T(created);
  return r;
}

TEST_P(StoreConformance, ImportRunsRoundTripAndQueue) {
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                RETURN_IF_ERROR(store_->imports().Insert(tx, MakeRun("r1", "a", "succeeded", 1)));
                RETURN_IF_ERROR(store_->imports().Insert(tx, MakeRun("r2", "a", "queued", 2)));
                return store_->imports().Insert(tx, MakeRun("r3", "b", "queued", 3));
              }).ok());
  auto r2 = store_->imports().Get(nullptr, "r2");
  ASSERT_TRUE(r2.ok() && r2->has_value());
  ImportRunRow row = **r2;
  row.state = "running";
  row.cursor = "page-7";
  row.started = T(5);
  row.counts = R"({"read":7})";
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) { return store_->imports().Update(tx, row); }).ok());
  auto again = store_->imports().Get(nullptr, "r2");
  EXPECT_EQ((*again)->cursor, "page-7");
  EXPECT_EQ((*again)->state, "running");
  EXPECT_EQ((*again)->started, T(5));
  EXPECT_FALSE((*again)->finished.has_value());
  auto queued = store_->imports().ListByState("queued");
  ASSERT_EQ(queued->size(), 1u);
  EXPECT_EQ((*queued)[0].id, "r3");
  auto list = store_->imports().ListByApplication("a", 10);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "r2");  // newest first
  auto last = store_->imports().LastSucceeded("a");
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->id, "r1");
  EXPECT_FALSE(store_->imports().LastSucceeded("b")->has_value());
  auto missing = InTx(*store_, [&](Transaction& tx) {
    return store_->imports().Update(tx, MakeRun("nope", "a", "queued", 1));
  });
  EXPECT_EQ(missing.error().code(), Code::kNotFound);
}

TEST_P(StoreConformance, SourceLinksFindByIdNameAndSubject) {
  SourceLinkRow l{"a",  "user", "uuid-1", "uid=Ann,dc=example,dc=com", "u1", "active", "h1",
                  "r1", "{}",   T(1)};
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                RETURN_IF_ERROR(store_->source_links().Upsert(tx, l));
                auto held = l;
                held.source_id = "uuid-2";
                held.source_name = "uid=bob,dc=example,dc=com";
                held.subject_id = "";
                held.state = "held";
                return store_->source_links().Upsert(tx, held);
              }).ok());
  auto byname =
      store_->source_links().FindByName(nullptr, "a", "user", "UID=ann,dc=example,dc=com");
  ASSERT_TRUE(byname.ok() && byname->has_value());
  EXPECT_EQ((*byname)->source_id, "uuid-1");
  auto bysubject = store_->source_links().FindBySubject(nullptr, "a", "user", "u1");
  ASSERT_TRUE(bysubject->has_value());
  EXPECT_FALSE(store_->source_links().FindBySubject(nullptr, "a", "group", "u1")->has_value());
  l.hash = "h2";
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) { return store_->source_links().Upsert(tx, l); }).ok());
  EXPECT_EQ((*store_->source_links().Get(nullptr, "a", "user", "uuid-1"))->hash, "h2");
  std::vector<std::string> seen;
  ASSERT_TRUE(store_->source_links()
                  .Scan("a", "user", "",
                        [&](const SourceLinkRow& r) {
                          seen.push_back(r.source_id + ":" + r.state);
                          return true;
                        })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"uuid-1:active", "uuid-2:held"}));
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->source_links().Delete(tx, "a", "user", "uuid-2");
              }).ok());
  EXPECT_FALSE(store_->source_links().Get(nullptr, "a", "user", "uuid-2")->has_value());
}

TEST_P(StoreConformance, EntitlementsUpsertListAndDropUnseen) {
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) -> Status {
        RETURN_IF_ERROR(
            store_->entitlements().Upsert(tx, {"a", "g1", "group", "Staff", "{}", "r1", T(1)}));
        RETURN_IF_ERROR(
            store_->entitlements().Upsert(tx, {"a", "g2", "group", "Admins", "{}", "r1", T(1)}));
        return store_->entitlements().Upsert(tx, {"a", "p1", "profile", "Std", "{}", "r1", T(1)});
      }).ok());
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                RETURN_IF_ERROR(store_->entitlements().Upsert(
                    tx, {"a", "g1", "group", "Staff!", "{}", "r2", T(2)}));
                return store_->entitlements().DeleteUnseen(tx, "a", "group", "r2");
              }).ok());
  auto list = store_->entitlements().List("a");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].entitlement_id, "g1");
  EXPECT_EQ((*list)[0].display_name, "Staff!");
  EXPECT_EQ((*list)[1].kind, "profile");
}

}  // namespace
}  // namespace provisio::store
