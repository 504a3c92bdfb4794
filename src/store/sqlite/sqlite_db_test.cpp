#include "store/sqlite/sqlite_db.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/ids.h"

namespace provisio::store::sqlite {
namespace {

namespace fs = std::filesystem;

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("provisio-sqlite-db-" + NewUuid() + ".db");
    auto c = Connection::Open(path_.string(), Connection::Mode::kReadWrite, 1000);
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    conn_ = std::move(c).value();
    ASSERT_TRUE(conn_
                    ->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT);"
                           "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three');")
                    .ok());
  }
  void TearDown() override {
    conn_.reset();
    std::error_code ec;
    fs::remove(path_, ec);
  }

  fs::path path_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(SqliteDbTest, AStatementDoneWithIsReusedWithNothingLeftOver) {
  constexpr char kSql[] = "SELECT v FROM t WHERE k = ?";
  {
    auto s = conn_->Prepare(kSql);
    ASSERT_TRUE(s.ok());
    s->Bind(1, int64_t{2});
    ASSERT_TRUE(*s->Step());
    EXPECT_EQ(s->String(0), "two");
  }
  EXPECT_EQ(conn_->idle_statements(), 1u);
  auto again = conn_->Prepare(kSql);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(conn_->idle_statements(), 0u);  // the same statement, taken out again
  // Its earlier binding was cleared: unbound is NULL, which matches no row.
  EXPECT_FALSE(*again->Step());
  again->Reset();
  again->Bind(1, int64_t{3});
  ASSERT_TRUE(*again->Step());
  EXPECT_EQ(again->String(0), "three");
}

TEST_F(SqliteDbTest, TheSameTextPreparedTwiceAtOnceGivesTwoStatements) {
  constexpr char kSql[] = "SELECT k FROM t ORDER BY k";
  auto outer = conn_->Prepare(kSql);
  ASSERT_TRUE(outer.ok());
  int pairs = 0;
  while (*outer->Step()) {
    // A nested use of the same text while the first is mid-way must not disturb it.
    auto inner = conn_->Prepare(kSql);
    ASSERT_TRUE(inner.ok());
    while (*inner->Step()) ++pairs;
  }
  EXPECT_EQ(pairs, 9);
}

TEST_F(SqliteDbTest, AStatementLeftMidWayStartsAgainFromTheTop) {
  constexpr char kSql[] = "SELECT k FROM t ORDER BY k";
  {
    auto s = conn_->Prepare(kSql);
    ASSERT_TRUE(*s->Step());
    ASSERT_TRUE(*s->Step());  // abandoned at row 2
  }
  auto s = conn_->Prepare(kSql);
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->Int(0), 1);
  // And the abandoned one held no read open: a write on another connection goes through.
  auto other = Connection::Open(path_.string(), Connection::Mode::kReadWrite, 100);
  ASSERT_TRUE(other.ok());
  s = conn_->Prepare("SELECT 1");  // the first returns to the cache, reset
  EXPECT_TRUE((*other)->Exec("PRAGMA journal_mode=DELETE; INSERT INTO t VALUES (4, 'four')").ok());
}

TEST_F(SqliteDbTest, TheCacheStaysBoundedWhenTextsVary) {
  for (int i = 0; i < 1000; ++i) {
    auto s = conn_->Prepare("SELECT " + std::to_string(i));
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(*s->Step());
    EXPECT_EQ(s->Int(0), i);
  }
  EXPECT_LE(conn_->idle_statements(), Connection::StatementCache::kMaxIdle);
}

TEST_F(SqliteDbTest, AStatementMayOutliveItsConnection) {
  auto s = conn_->Prepare("SELECT v FROM t WHERE k = 1");
  ASSERT_TRUE(s.ok());
  conn_.reset();  // the database stays open until the statement is done with
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->String(0), "one");
}

TEST_F(SqliteDbTest, OnlyStatementsHandedOutCountAsOpen) {
  EXPECT_FALSE(conn_->HasOpenStatements());
  {
    auto s = conn_->Prepare("SELECT 1");
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(conn_->HasOpenStatements());
    auto t = conn_->Prepare("SELECT 1");  // a second of the same text
    EXPECT_TRUE(conn_->HasOpenStatements());
  }
  // Both are idle in the cache now, reset: the connection may go to another thread.
  EXPECT_EQ(conn_->idle_statements(), 2u);
  EXPECT_FALSE(conn_->HasOpenStatements());
  {
    auto reused = conn_->Prepare("SELECT 1");
    EXPECT_TRUE(conn_->HasOpenStatements());
  }
  EXPECT_FALSE(conn_->HasOpenStatements());
}

TEST_F(SqliteDbTest, BadSqlIsAnErrorAndCachesNothing) {
  auto s = conn_->Prepare("SELEKT nothing");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("syntax"), std::string::npos) << s.error().ToString();
  EXPECT_EQ(conn_->idle_statements(), 0u);
}

}  // namespace
}  // namespace provisio::store::sqlite
