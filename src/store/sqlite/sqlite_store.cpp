#include "store/sqlite/sqlite_store.h"

#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_admin_api_stores.h"
#include "store/sqlite/sqlite_admin_store.h"
#include "store/sqlite/sqlite_directory_stores.h"
#include "store/sqlite/sqlite_import_stores.h"
#include "store/sqlite/sqlite_provisioning_stores.h"

namespace provisio::store::sqlite {

ReaderLease::~ReaderLease() { store_.Release(conn_); }

SqliteTransaction::~SqliteTransaction() {
  if (!done_) {
    auto st = conn_.Exec("ROLLBACK");
    if (!st.ok()) spdlog::error("rollback failed: {}", st.error().ToString());
  }
}

Status SqliteTransaction::Commit() {
  if (done_) return Error::Internal("transaction already finished");
  done_ = true;
  auto st = conn_.Exec("COMMIT");
  if (!st.ok()) (void)conn_.Exec("ROLLBACK");
  lock_.unlock();  // the writer is free as soon as the transaction ends, not when it is destroyed
  return st;
}

Status SqliteTransaction::Savepoint() { return conn_.Exec("SAVEPOINT step"); }
Status SqliteTransaction::ReleaseSavepoint() { return conn_.Exec("RELEASE step"); }
Status SqliteTransaction::RollbackToSavepoint() {
  RETURN_IF_ERROR(conn_.Exec("ROLLBACK TO step"));
  return conn_.Exec("RELEASE step");
}

Connection& TxConn(Transaction& tx) { return static_cast<SqliteTransaction&>(tx).conn(); }

SqliteStore::SqliteStore(Connection writer, std::vector<std::unique_ptr<Connection>> readers)
    : writer_(std::move(writer)), readers_(std::move(readers)) {
  for (auto& r : readers_) idle_readers_.push_back(r.get());
  admins_ = std::make_unique<SqliteAdminStore>(*this);
  users_ = std::make_unique<SqliteUserStore>(*this);
  groups_ = std::make_unique<SqliteGroupStore>(*this);
  changes_ = std::make_unique<SqliteChangeFeed>(*this);
  tokens_ = std::make_unique<SqliteTokenStore>(*this);
  sessions_ = std::make_unique<SqliteSessionStore>(*this);
  connections_ = std::make_unique<SqliteConnectionStore>(*this);
  applications_ = std::make_unique<SqliteApplicationStore>(*this);
  assignments_ = std::make_unique<SqliteAssignmentStore>(*this);
  audit_ = std::make_unique<SqliteAuditStore>(*this);
  links_ = std::make_unique<SqliteAccountLinkStore>(*this);
  work_ = std::make_unique<SqliteWorkQueue>(*this);
  provisioning_log_ = std::make_unique<SqliteProvisioningLogStore>(*this);
  imports_ = std::make_unique<SqliteImportRunStore>(*this);
  source_links_ = std::make_unique<SqliteSourceLinkStore>(*this);
  entitlements_ = std::make_unique<SqliteEntitlementStore>(*this);
}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const OpenOptions& options) {
  ASSIGN_OR_RETURN(Connection writer,
                   Connection::Open(path, Connection::Mode::kReadWrite, options.busy_timeout_ms));
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes
  // and loses at most the last transactions on power loss, as SQLite documents for WAL.
  RETURN_IF_ERROR(
      writer.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                  "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"));
  auto store = std::unique_ptr<SqliteStore>(new SqliteStore(std::move(writer), {}));
  RETURN_IF_ERROR(store->Migrate());
  for (int i = 0; i < std::max(1, options.reader_connections); ++i) {
    ASSIGN_OR_RETURN(Connection r,
                     Connection::Open(path, Connection::Mode::kReadOnly, options.busy_timeout_ms));
    RETURN_IF_ERROR(r.Exec("PRAGMA foreign_keys=ON;"));
    store->readers_.push_back(std::make_unique<Connection>(std::move(r)));
    store->idle_readers_.push_back(store->readers_.back().get());
  }
  return store;
}

Status SqliteStore::Migrate() {
  std::lock_guard lock(write_mu_);
  RETURN_IF_ERROR(
      writer_.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                   "name TEXT NOT NULL, applied_us INTEGER NOT NULL) STRICT"));
  int current = 0;
  {
    ASSIGN_OR_RETURN(Statement s,
                     writer_.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (row) current = static_cast<int>(s.Int(0));
  }
  auto migrations = Migrations();
  if (!migrations.empty() && current > migrations.back().version) {
    return Error(Code::kConflict, "the database schema (version " + std::to_string(current) +
                                      ") is newer than this build knows; upgrade provisio");
  }
  SystemClock clock;
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    RETURN_IF_ERROR(writer_.Exec("BEGIN IMMEDIATE"));
    auto st = writer_.Exec(m.sql);
    if (st.ok()) {
      auto ins = writer_.Prepare(
          "INSERT INTO schema_migrations (version, name, applied_us) VALUES (?, ?, ?)");
      if (!ins.ok()) {
        st = std::move(ins).error();
      } else {
        ins->Bind(1, m.version).Bind(2, m.name).Bind(3, ToMicros(clock.Now()));
        st = ins->Run();
      }
    }
    if (st.ok()) st = writer_.Exec("COMMIT");
    if (!st.ok()) {
      (void)writer_.Exec("ROLLBACK");
      return Error(st.error().code(), "migration " + std::to_string(m.version) + " (" +
                                          std::string(m.name) +
                                          ") failed: " + st.error().message());
    }
    spdlog::info("store: applied migration {} ({})", m.version, m.name);
  }
  return Ok();
}

Result<int> SqliteStore::SchemaVersion() {
  auto reader = Read();
  ASSIGN_OR_RETURN(Statement s,
                   reader->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  ASSIGN_OR_RETURN(bool row, s.Step());
  (void)row;
  return static_cast<int>(s.Int(0));
}

Result<std::unique_ptr<Transaction>> SqliteStore::Begin() {
  std::unique_lock lock(write_mu_);
  // IMMEDIATE takes the write lock now, so a transaction never fails half-way on a lock
  // another process holds; the busy timeout waits for it instead.
  RETURN_IF_ERROR(writer_.Exec("BEGIN IMMEDIATE"));
  return std::unique_ptr<Transaction>(new SqliteTransaction(std::move(lock), writer_));
}

Status SqliteStore::PutSetting(Transaction& tx, std::string_view key, std::string_view value) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO settings (key, value) VALUES (?, ?) "
                                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  s.Bind(1, key).Bind(2, value);
  return s.Run();
}

Result<std::optional<std::string>> SqliteStore::GetSetting(std::string_view key) {
  auto reader = Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare("SELECT value FROM settings WHERE key = ?"));
  s.Bind(1, key);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(s.String(0));
}

ReaderLease SqliteStore::Read() {
  std::unique_lock lock(read_mu_);
  read_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
  Connection* c = idle_readers_.back();
  idle_readers_.pop_back();
  return ReaderLease(*this, c);
}

void SqliteStore::Release(Connection* conn) {
  {
    std::lock_guard lock(read_mu_);
    idle_readers_.push_back(conn);
  }
  read_cv_.notify_one();
}

}  // namespace provisio::store::sqlite
