#include <sqlite3.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "core/ids.h"
#include "store/conformance/conformance.h"
#include "store/sql/sql_store.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"

namespace provisio::store {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  TempDir() : path(fs::temp_directory_path() / ("provisio-store-" + NewUuid())) {
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

std::unique_ptr<Store> OpenSqlite(bool reopen) {
  static thread_local std::unique_ptr<TempDir> dir;
  if (!reopen || !dir) dir = std::make_unique<TempDir>();
  auto store = OpenStore("sqlite://" + (dir->path / "provisio.db").string());
  if (!store.ok()) {
    ADD_FAILURE() << store.error().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance,
                         testing::Values(BackendFactory{"sqlite", OpenSqlite}),
                         [](const auto& info) { return info.param.name; });

TEST(SqliteStoreTest, MigrationsAreAppliedOnceAndRecorded) {
  TempDir dir;
  std::string url = "sqlite://" + (dir.path / "db.sqlite").string();
  for (int i = 0; i < 3; ++i) {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    EXPECT_EQ(*(*store)->SchemaVersion(), sqlite::Migrations().back().version);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path / "db.sqlite").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM schema_migrations", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), static_cast<int>(sqlite::Migrations().size()));
  sqlite3_finalize(s);
  sqlite3_close(db);
}

TEST(SqliteStoreTest, MigrationNumbersIncrease) {
  int last = 0;
  for (const auto& m : sqlite::Migrations()) {
    EXPECT_GT(m.version, last) << m.name;
    last = m.version;
  }
}

TEST(SqliteStoreTest, RefusesADatabaseFromANewerBuild) {
  TempDir dir;
  std::string url = "sqlite://" + (dir.path / "db.sqlite").string();
  ASSERT_TRUE(OpenStore(url).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path / "db.sqlite").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (99999, 'future', 0)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto again = OpenStore(url);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), Code::kConflict);
}

TEST(SqliteStoreTest, UsesWal) {
  TempDir dir;
  auto store = OpenStore("sqlite://" + (dir.path / "db.sqlite").string());
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(fs::exists(dir.path / "db.sqlite-wal"));
}

// Two processes' worth of writers: two Store objects on one file contend through
// SQLite's own lock; the busy timeout absorbs it and no caller sees "database is locked".
TEST(SqliteStoreTest, TwoHandlesOnOneFileWriteWithoutLockErrors) {
  TempDir dir;
  std::string url = "sqlite://" + (dir.path / "db.sqlite").string();
  auto a = OpenStore(url);
  auto b = OpenStore(url);
  ASSERT_TRUE(a.ok() && b.ok());
  std::atomic<int> failures{0};
  auto writer = [&](Store& s, std::string prefix) {
    for (int i = 0; i < 100; ++i) {
      auto tx = s.Begin();
      if (!tx.ok()) {
        ++failures;
        continue;
      }
      if (!s.PutSetting(**tx, prefix + std::to_string(i), "x").ok()) ++failures;
      if (!(*tx)->Commit().ok()) ++failures;
    }
  };
  std::thread t1(writer, std::ref(**a), "a");
  std::thread t2(writer, std::ref(**b), "b");
  t1.join();
  t2.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE((*a)->GetSetting("b99")->has_value());
}

// SQLite connections are opened without SQLite's own mutex: a statement destroyed after the
// commit handed the writer to another thread's transaction would finalise on a connection that
// thread is using (the crash of issue #9). A statement still open at commit keeps the writer
// until the transaction is destroyed; without one the writer is free at commit.
TEST(SqliteStoreTest, AStatementOpenAtCommitKeepsTheWriterUntilTheTransactionEnds) {
  TempDir dir;
  auto store = OpenStore("sqlite://" + (dir.path / "db.sqlite").string());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  {
    auto tx = (*store)->Begin();
    ASSERT_TRUE(tx.ok()) << tx.error().ToString();
    const auto& held = static_cast<const sql::SqlTransaction&>(**tx);
    auto s = sql::TxConn(**tx).Prepare("SELECT 1");
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    ASSERT_TRUE((*tx)->Commit().ok());
    EXPECT_TRUE(held.holds_writer());
  }
  auto tx = (*store)->Begin();
  ASSERT_TRUE(tx.ok()) << tx.error().ToString();
  const auto& held = static_cast<const sql::SqlTransaction&>(**tx);
  {
    auto s = sql::TxConn(**tx).Prepare("SELECT 1");
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }
  ASSERT_TRUE((*tx)->Commit().ok());
  EXPECT_FALSE(held.holds_writer());
}

// What the store logs while it is alive (the default logger, restored after).
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string Text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

// A lease's statement is done with the writer before its commit, so the commit hands the
// writer on at once (no statement open, nothing kept).
TEST(SqliteStoreTest, LeaseFinishesItsStatementBeforeItsCommit) {
  TempDir dir;
  auto store = OpenStore("sqlite://" + (dir.path / "db.sqlite").string());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  {
    auto tx = (*store)->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*store)
                    ->work()
                    .Enqueue(**tx, {{"app", "user", "u1"}, {"app", "user", "u2"}}, "incremental",
                             FromMicros(1'000'000))
                    .ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  LogCapture log;
  auto items = (*store)->work().Lease("node", 10, FromMicros(2'000'000), std::chrono::seconds(60));
  ASSERT_TRUE(items.ok()) << items.error().ToString();
  EXPECT_EQ(items->size(), 2u);
  EXPECT_EQ(log.Text().find("still open at commit"), std::string::npos) << log.Text();
}

TEST(OpenStoreTest, RejectsUnknownUrls) {
  auto r = OpenStore("mysql://localhost/db");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_FALSE(OpenStore("sqlite://").ok());
}

}  // namespace
}  // namespace provisio::store
