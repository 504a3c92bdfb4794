#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/ids.h"
#include "store/conformance/conformance.h"
#include "store/postgres/pg_db.h"
#include "store/postgres/pg_migrations.h"
#include "store/sqlite/migrations.h"
#include "support/postgres_server.h"

namespace provisio::store {
namespace {

using provisio::testing::SharedPostgres;

std::unique_ptr<Store> OpenPostgres(bool reopen) {
  static thread_local std::string url;
  std::string why;
  auto* server = SharedPostgres(&why);
  if (!server) {
    ADD_FAILURE() << why;
    return nullptr;
  }
  if (!reopen || url.empty()) url = server->CreateDatabase();
  auto store = OpenStore(url);
  if (!store.ok()) {
    ADD_FAILURE() << store.error().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance,
                         ::testing::Values(BackendFactory{"postgresql", OpenPostgres}),
                         [](const auto& info) { return info.param.name; });

TEST(PgPlaceholders, RewritesBareAndNumberedOutsideLiterals) {
  auto [a, n] = postgres::RewritePlaceholders("SELECT ? FROM t WHERE x = ? AND y = '?'");
  EXPECT_EQ(a, "SELECT $1 FROM t WHERE x = $2 AND y = '?'");
  EXPECT_EQ(n, 2);
  auto [b, m] = postgres::RewritePlaceholders("UPDATE t SET a = ?2 WHERE id = ?1 AND b = ?2");
  EXPECT_EQ(b, "UPDATE t SET a = $2 WHERE id = $1 AND b = $2");
  EXPECT_EQ(m, 2);
  auto [c, k] = postgres::RewritePlaceholders(R"(SELECT "we?ird" FROM t WHERE v = 'it''s ?')");
  EXPECT_EQ(c, R"(SELECT "we?ird" FROM t WHERE v = 'it''s ?')");
  EXPECT_EQ(k, 0);
}

TEST(PgMigrations, SameNumbersAndNamesAsSqlite) {
  auto pg = postgres::Migrations();
  auto lite = sqlite::Migrations();
  ASSERT_EQ(pg.size(), lite.size());
  for (size_t i = 0; i < pg.size(); ++i) {
    EXPECT_EQ(pg[i].version, lite[i].version);
    EXPECT_EQ(pg[i].name, lite[i].name);
  }
}

TEST(PgStore, NodesStartingTogetherMigrateOnce) {
  std::string why;
  auto* server = SharedPostgres(&why);
  ASSERT_NE(server, nullptr) << why;
  std::string url = server->CreateDatabase();
  std::vector<std::thread> nodes;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    nodes.emplace_back([&] {
      auto s = OpenStore(url);
      if (s.ok() && *(*s)->SchemaVersion() == postgres::Migrations().back().version) ++ok;
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(ok.load(), 4);
}

TEST(PgStore, UnreachableServerIsUnavailableNotACrash) {
  auto s = OpenStore("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), Code::kUnavailable);
}

TEST(PgStore, UserNamesAreUniqueIgnoringCaseBeyondAscii) {
  auto store = OpenPostgres(false);
  ASSERT_NE(store, nullptr);
  auto insert = [&](const std::string& id, const std::string& name) -> Status {
    auto tx = store->Begin();
    if (!tx.ok()) return Status(std::move(tx).error());
    UserRow u;
    u.id = id;
    u.user_name = name;
    u.version = 1;
    u.resource = "{}";
    RETURN_IF_ERROR(store->users().Insert(**tx, u));
    return (*tx)->Commit();
  };
  ASSERT_TRUE(insert("1", "Élodie@example.com").ok());
  auto dup = insert("2", "élodie@EXAMPLE.com");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), Code::kUniqueness);
}

TEST(PgStore, WorkEnqueuedOnOneNodeWakesTheOther) {
  auto a = OpenPostgres(false);
  ASSERT_NE(a, nullptr);
  auto b = OpenPostgres(true);  // a second node on the same database
  ASSERT_NE(b, nullptr);
  std::mutex mu;
  std::condition_variable cv;
  int wakes = 0;
  a->OnWorkEnqueued([&] {
    std::lock_guard lock(mu);
    ++wakes;
    cv.notify_all();
  });
  {
    std::unique_lock lock(mu);  // the listener's first call: "whatever arrived meanwhile"
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return wakes >= 1; }));
    wakes = 0;
  }
  auto tx = b->Begin();
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(b->work().Enqueue(**tx, {{"app", "user", "u1"}}, "incremental", FromMicros(0)).ok());
  {
    std::unique_lock lock(mu);
    EXPECT_FALSE(cv.wait_for(lock, std::chrono::milliseconds(300), [&] { return wakes > 0; }))
        << "woken before the enqueue committed";
  }
  ASSERT_TRUE((*tx)->Commit().ok());
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return wakes > 0; }));
  lock.unlock();
  a->OnWorkEnqueued({});
}

TEST(StoreCopy, SqliteIntoPostgresKeepsEverythingAndNumbersOn) {
  auto dir = std::filesystem::temp_directory_path() / ("provisio-copy-" + NewUuid());
  std::filesystem::create_directories(dir);
  auto lite = OpenStore("sqlite://" + (dir / "provisio.db").string());
  ASSERT_TRUE(lite.ok()) << lite.error().ToString();
  Store& from = **lite;
  {
    auto tx = from.Begin();
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < 3; ++i) {
      UserRow u;
      u.id = "u" + std::to_string(i);
      u.user_name = "User" + std::to_string(i) + "@example.com";
      u.emails = {"z" + std::to_string(i) + "@example.com",
                  "a" + std::to_string(i) + "@example.com"};
      u.resource = "{}";
      ASSERT_TRUE(from.users().Insert(**tx, u).ok());
    }
    GroupRow g;
    g.id = "g1";
    g.display_name = "Staff";
    g.resource = "{}";
    ASSERT_TRUE(from.groups().Insert(**tx, g).ok());
    ASSERT_TRUE(from.groups().AddMembers(**tx, "g1", {{"u0", "User"}, {"u2", "User"}}).ok());
    for (int i = 0; i < 5; ++i) {
      ChangeEvent e{0, "User", "u0", "update", i + 1, FromMicros(1'000'000), "{}"};
      ASSERT_TRUE(from.changes().Append(**tx, e).ok());
    }
    AuditRow a;
    a.id = 1;
    a.actor_kind = "system";
    a.action = "test.copy";
    a.outcome = "success";
    a.after = R"({"x":1})";
    a.hash = "h1";
    ASSERT_TRUE(from.audit().Append(**tx, a).ok());
    ASSERT_TRUE(from.PutSetting(**tx, "master_key_check", "sealed-value").ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  auto to = OpenPostgres(false);
  ASSERT_NE(to, nullptr);
  auto report = CopyStore(from, *to);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(*to->users().Count(), 3);
  auto u1 = to->users().Get(nullptr, "u1");
  ASSERT_TRUE(u1.ok() && u1->has_value());
  EXPECT_EQ((*u1)->user_name, "User1@example.com");
  EXPECT_EQ((*u1)->emails, (std::vector<std::string>{"z1@example.com", "a1@example.com"}));
  EXPECT_EQ(*to->groups().CountMembers("g1"), 2);
  EXPECT_EQ(*to->changes().LastSeq(), *from.changes().LastSeq());
  EXPECT_EQ(*to->GetSetting("master_key_check"), std::optional<std::string>("sealed-value"));
  auto audit = to->audit().Scan(0, 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].after, std::optional<std::string>(R"({"x":1})"));
  // New rows number on after the copied ones.
  {
    auto tx = to->Begin();
    ASSERT_TRUE(tx.ok());
    ChangeEvent e{0, "User", "u1", "update", 2, FromMicros(2'000'000), "{}"};
    auto seq = to->changes().Append(**tx, e);
    ASSERT_TRUE(seq.ok()) << seq.error().ToString();
    EXPECT_EQ(*seq, *from.changes().LastSeq() + 1);
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  // A second copy into the same database is refused and writes nothing.
  auto again = CopyStore(from, *to);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), Code::kConflict);
  EXPECT_EQ(*to->users().Count(), 3);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace provisio::store
