// Conformance for the admin API's aggregates: sessions, connections, applications,
// assignments and the audit log.
#include "core/ids.h"
#include "store/conformance/conformance.h"

namespace provisio::store {
namespace {

const TimePoint kT0 = FromMicros(1'700'000'000'000'000);

AdminRecord SomeAdmin(Store& store) {
  AdminRecord a;
  a.id = NewUuid();
  a.email = a.id + "@example.com";
  a.role = "admin";
  a.password_hash = "$argon2id$fake";
  a.created = a.updated = kT0;
  EXPECT_TRUE(InTx(store, [&](Transaction& tx) { return store.admins().Insert(tx, a); }).ok());
  return a;
}

ConnectionRow MakeConnection(std::string name) {
  ConnectionRow c;
  c.id = NewUuid();
  c.name = std::move(name);
  c.type = "scim2";
  c.base_url = "https://example.com/scim/v2";
  c.auth_kind = "bearer";
  c.auth_fields = "{}";
  c.secrets = "sealed";
  c.settings = "{}";
  c.created = c.updated = kT0;
  return c;
}

ApplicationRow MakeApplication(std::string name, std::optional<std::string> connection_id) {
  ApplicationRow a;
  a.id = NewUuid();
  a.template_id = "scim2";
  a.name = std::move(name);
  a.capabilities = R"(["provisioning","import_sync"])";
  a.connection_id = std::move(connection_id);
  a.settings = "{}";
  a.mappings = "[]";
  a.state = a.connection_id ? "active" : "draft";
  a.created = a.updated = kT0;
  return a;
}

TEST_P(StoreConformance, SessionLifecycle) {
  auto admin = SomeAdmin(*store_);
  SessionRow s{"hash-1", admin.id, "csrf-1", "127.0.0.1", kT0, kT0, kT0 + std::chrono::hours(12)};
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) { return store_->sessions().Insert(tx, s); }).ok());
  auto found = store_->sessions().FindByHash("hash-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->admin_id, admin.id);
  EXPECT_EQ((*found)->csrf_hash, "csrf-1");
  EXPECT_EQ((*found)->expires, s.expires);
  auto later = kT0 + std::chrono::minutes(5);
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->sessions().Touch(tx, "hash-1", later);
              }).ok());
  EXPECT_EQ((*store_->sessions().FindByHash("hash-1"))->last_seen, later);
  EXPECT_FALSE(store_->sessions().FindByHash("hash-2")->has_value());
}

TEST_P(StoreConformance, SessionsEndWithTheirAdminAndExpire) {
  auto admin = SomeAdmin(*store_);
  auto other = SomeAdmin(*store_);
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                RETURN_IF_ERROR(store_->sessions().Insert(
                    tx, {"a1", admin.id, "c", "", kT0, kT0, kT0 + std::chrono::hours(1)}));
                RETURN_IF_ERROR(store_->sessions().Insert(
                    tx, {"a2", admin.id, "c", "", kT0, kT0, kT0 + std::chrono::hours(1)}));
                return store_->sessions().Insert(
                    tx, {"o1", other.id, "c", "", kT0, kT0 + std::chrono::minutes(30),
                         kT0 + std::chrono::hours(12)});
              }).ok());
  Result<int64_t> n = 0;
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                n = store_->sessions().DeleteForAdmin(tx, admin.id, "a2");
                return Ok();
              }).ok());
  EXPECT_EQ(*n, 1);
  EXPECT_FALSE(store_->sessions().FindByHash("a1")->has_value());
  EXPECT_TRUE(store_->sessions().FindByHash("a2")->has_value());
  // a2 expires absolutely at +1h; o1 was last seen at +30min.
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                n = store_->sessions().DeleteExpired(tx, kT0 + std::chrono::minutes(10),
                                                     kT0 + std::chrono::hours(1));
                return Ok();
              }).ok());
  EXPECT_EQ(*n, 1);
  EXPECT_TRUE(store_->sessions().FindByHash("o1")->has_value());
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) { return store_->admins().Delete(tx, other.id); }).ok());
  EXPECT_FALSE(store_->sessions().FindByHash("o1")->has_value());
}

TEST_P(StoreConformance, ConnectionRoundTripAndUniqueName) {
  auto c = MakeConnection("Acme SCIM");
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) { return store_->connections().Insert(tx, c); }).ok());
  auto dup = MakeConnection("acme scim");
  auto st = InTx(*store_, [&](Transaction& tx) { return store_->connections().Insert(tx, dup); });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Code::kUniqueness);
  c.secrets = "sealed-2";
  c.updated = kT0 + std::chrono::seconds(1);
  ASSERT_TRUE(
      InTx(*store_, [&](Transaction& tx) { return store_->connections().Update(tx, c); }).ok());
  auto got = store_->connections().Get(nullptr, c.id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->secrets, "sealed-2");
  EXPECT_EQ((*got)->updated, c.updated);
  EXPECT_EQ(store_->connections().List(nullptr)->size(), 1u);
  auto missing = MakeConnection("nobody");
  st = InTx(*store_, [&](Transaction& tx) { return store_->connections().Update(tx, missing); });
  EXPECT_EQ(st.error().code(), Code::kNotFound);
}

TEST_P(StoreConformance, ApplicationsAssignmentsCascade) {
  auto c = MakeConnection("conn");
  auto app = MakeApplication("App", c.id);
  AssignmentRow as{NewUuid(), app.id, "user", "u1", "[]", kT0, kT0};
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                RETURN_IF_ERROR(store_->connections().Insert(tx, c));
                RETURN_IF_ERROR(store_->applications().Insert(tx, app));
                return store_->assignments().Insert(tx, as);
              }).ok());
  auto using_conn = store_->applications().ListUsingConnection(nullptr, c.id);
  ASSERT_EQ(using_conn->size(), 1u);
  EXPECT_EQ((*using_conn)[0].id, app.id);
  AssignmentRow again = as;
  again.id = NewUuid();
  auto st = InTx(*store_, [&](Transaction& tx) { return store_->assignments().Insert(tx, again); });
  EXPECT_EQ(st.error().code(), Code::kUniqueness);
  // A connection in use cannot be deleted out from under its application.
  st = InTx(*store_, [&](Transaction& tx) { return store_->connections().Delete(tx, c.id); });
  EXPECT_FALSE(st.ok());
  ASSERT_EQ(store_->assignments().List(nullptr, app.id)->size(), 1u);
  ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) {
                return store_->applications().Delete(tx, app.id);
              }).ok());
  EXPECT_TRUE(store_->assignments().List(nullptr, app.id)->empty());
  EXPECT_FALSE(store_->assignments().Get(nullptr, app.id, as.id)->has_value());
}

TEST_P(StoreConformance, AuditLogAppendsQueriesAndRefusesEdits) {
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(InTx(*store_, [&](Transaction& tx) -> Status {
                  ASSIGN_OR_RETURN(auto last, store_->audit().Last(tx));
                  AuditRow r;
                  r.id = last ? last->id + 1 : 1;
                  r.at = kT0;
                  r.actor_kind = "session";
                  r.actor_id = i % 2 ? "alice" : "bob";
                  r.actor_name = r.actor_id;
                  r.action = "thing.update";
                  r.object_type = "thing";
                  r.object_id = "obj" + std::to_string(i);
                  r.outcome = "success";
                  r.after = "{}";
                  r.prev_hash = last ? last->hash : "";
                  r.hash = "h" + std::to_string(r.id);
                  return store_->audit().Append(tx, r);
                }).ok());
  }
  auto all = store_->audit().Scan(0, 100);
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[4].prev_hash, "h4");
  EXPECT_FALSE((*all)[0].before.has_value());
  AuditQuery q;
  q.actor_id = "alice";
  auto alice = store_->audit().Query(q);
  ASSERT_EQ(alice->size(), 3u);
  EXPECT_EQ((*alice)[0].id, 5);  // newest first
  q.before_id = 5;
  q.limit = 1;
  EXPECT_EQ((*store_->audit().Query(q))[0].id, 3);
  AuditRow dup = (*all)[0];
  auto st = InTx(*store_, [&](Transaction& tx) { return store_->audit().Append(tx, dup); });
  EXPECT_EQ(st.error().code(), Code::kConflict);
}

}  // namespace
}  // namespace provisio::store
