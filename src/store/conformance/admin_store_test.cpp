#include <thread>

#include "core/ids.h"
#include "store/conformance/conformance.h"

namespace provisio::store {
namespace {

AdminRecord MakeAdmin(std::string email, std::string role = "admin") {
  AdminRecord a;
  a.id = NewUuid();
  a.email = std::move(email);
  a.role = std::move(role);
  a.password_hash = "$argon2id$fake";
  a.created = a.updated = FromMicros(1'700'000'000'000'000);
  return a;
}

Status InsertAdmin(Store& store, const AdminRecord& a) {
  ASSIGN_OR_RETURN(auto tx, store.Begin());
  RETURN_IF_ERROR(store.admins().Insert(*tx, a));
  return tx->Commit();
}

TEST_P(StoreConformance, MigratesToANonZeroVersion) {
  auto v = store_->SchemaVersion();
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_GE(*v, 1);
}

TEST_P(StoreConformance, ReopeningKeepsDataAndSchemaVersion) {
  auto a = MakeAdmin("root@example.com", "super-admin");
  ASSERT_TRUE(InsertAdmin(*store_, a).ok());
  int before = *store_->SchemaVersion();
  auto again = Reopen();
  EXPECT_EQ(*again->SchemaVersion(), before);
  auto found = again->admins().FindById(a.id);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->email, "root@example.com");
}

TEST_P(StoreConformance, AdminRoundTrip) {
  auto a = MakeAdmin("Alice@Example.com");
  ASSERT_TRUE(InsertAdmin(*store_, a).ok());
  auto by_email = store_->admins().FindByEmail("alice@example.COM");
  ASSERT_TRUE(by_email.ok());
  ASSERT_TRUE(by_email->has_value());
  EXPECT_EQ((*by_email)->id, a.id);
  EXPECT_EQ((*by_email)->role, "admin");
  EXPECT_EQ((*by_email)->password_hash, a.password_hash);
  EXPECT_EQ((*by_email)->created, a.created);
  EXPECT_EQ(*store_->admins().Count(), 1);
}

TEST_P(StoreConformance, AdminEmailIsUniqueCaseInsensitively) {
  ASSERT_TRUE(InsertAdmin(*store_, MakeAdmin("bob@example.com")).ok());
  auto st = InsertAdmin(*store_, MakeAdmin("BOB@example.com"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Code::kUniqueness);
  EXPECT_EQ(*store_->admins().Count(), 1);
}

TEST_P(StoreConformance, RoleIsChecked) {
  auto st = InsertAdmin(*store_, MakeAdmin("eve@example.com", "root"));
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(*store_->admins().Count(), 0);
}

TEST_P(StoreConformance, UncommittedTransactionRollsBack) {
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(store_->admins().Insert(**tx, MakeAdmin("gone@example.com")).ok());
    ASSERT_TRUE(store_->PutSetting(**tx, "k", "v").ok());
  }
  EXPECT_EQ(*store_->admins().Count(), 0);
  EXPECT_FALSE(store_->GetSetting("k")->has_value());
}

TEST_P(StoreConformance, UpdateAndDelete) {
  auto a = MakeAdmin("carol@example.com");
  ASSERT_TRUE(InsertAdmin(*store_, a).ok());
  a.role = "operator";
  a.disabled = true;
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(store_->admins().Update(**tx, a).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto found = store_->admins().FindById(a.id);
  EXPECT_EQ((*found)->role, "operator");
  EXPECT_TRUE((*found)->disabled);
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(store_->admins().Delete(**tx, a.id).ok());
    auto again = store_->admins().Delete(**tx, a.id);
    EXPECT_EQ(again.error().code(), Code::kNotFound);
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  EXPECT_FALSE(store_->admins().FindById(a.id)->has_value());
}

TEST_P(StoreConformance, SettingsUpsert) {
  auto tx = store_->Begin();
  ASSERT_TRUE(store_->PutSetting(**tx, "instance_id", "one").ok());
  ASSERT_TRUE(store_->PutSetting(**tx, "instance_id", "two").ok());
  ASSERT_TRUE((*tx)->Commit().ok());
  EXPECT_EQ(**store_->GetSetting("instance_id"), "two");
}

// Many threads writing at once: every write lands, none surfaces a lock error.
TEST_P(StoreConformance, ConcurrentWritersAllSucceed) {
  constexpr int kThreads = 8, kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto st = InsertAdmin(
            *store_, MakeAdmin("u" + std::to_string(t) + "-" + std::to_string(i) + "@example.com"));
        if (!st.ok()) {
          ADD_FAILURE() << st.error().ToString();
          ++failures;
        }
        auto n = store_->admins().Count();  // readers interleave with writers
        if (!n.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*store_->admins().Count(), kThreads * kPerThread);
}

}  // namespace
}  // namespace provisio::store
