#include <atomic>
#include <thread>

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

}  // namespace
}  // namespace provisio::store
