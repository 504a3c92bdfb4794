#include "store/sql/sql_store.h"

#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "store/sql/sql_admin_api_stores.h"
#include "store/sql/sql_admin_store.h"
#include "store/sql/sql_directory_stores.h"
#include "store/sql/sql_import_stores.h"
#include "store/sql/sql_provisioning_stores.h"

namespace provisio::store::sql {

ReaderLease::~ReaderLease() { store_.Release(conn_); }

SqlTransaction::~SqlTransaction() {
  if (!done_) {
    auto st = conn_.Exec("ROLLBACK");
    if (!st.ok()) spdlog::error("rollback failed: {}", st.error().ToString());
  }
}

Status SqlTransaction::Commit() {
  if (done_) return Error::Internal("transaction already finished");
  done_ = true;
  auto st = conn_.Exec("COMMIT");
  if (!st.ok()) (void)conn_.Exec("ROLLBACK");
  // The writer is free as soon as the transaction ends, not when it is destroyed; unless a
  // statement of the transaction is still open: destroying it later would use the connection
  // while another thread's transaction has it (SQLite connections are not serialised), so the
  // writer is then kept until this transaction is destroyed, after that statement.
  if (!conn_.HasOpenStatements()) {
    lock_.unlock();
  } else {
    spdlog::warn(
        "store: a statement is still open at commit; the writer is kept until the "
        "transaction is destroyed");
  }
  return st;
}

Status SqlTransaction::Savepoint() { return conn_.Exec("SAVEPOINT step"); }
Status SqlTransaction::ReleaseSavepoint() { return conn_.Exec("RELEASE SAVEPOINT step"); }
Status SqlTransaction::RollbackToSavepoint() {
  RETURN_IF_ERROR(conn_.Exec("ROLLBACK TO SAVEPOINT step"));
  return conn_.Exec("RELEASE SAVEPOINT step");
}

Connection& TxConn(Transaction& tx) { return static_cast<SqlTransaction&>(tx).conn(); }

SqlStore::SqlStore(const Dialect& dialect, std::unique_ptr<Connection> writer)
    : dialect_(dialect), writer_(std::move(writer)) {
  admins_ = std::make_unique<SqlAdminStore>(*this);
  users_ = std::make_unique<SqlUserStore>(*this);
  groups_ = std::make_unique<SqlGroupStore>(*this);
  changes_ = std::make_unique<SqlChangeFeed>(*this);
  tokens_ = std::make_unique<SqlTokenStore>(*this);
  sessions_ = std::make_unique<SqlSessionStore>(*this);
  connections_ = std::make_unique<SqlConnectionStore>(*this);
  applications_ = std::make_unique<SqlApplicationStore>(*this);
  assignments_ = std::make_unique<SqlAssignmentStore>(*this);
  audit_ = std::make_unique<SqlAuditStore>(*this);
  links_ = std::make_unique<SqlAccountLinkStore>(*this);
  work_ = std::make_unique<SqlWorkQueue>(*this);
  provisioning_log_ = std::make_unique<SqlProvisioningLogStore>(*this);
  imports_ = std::make_unique<SqlImportRunStore>(*this);
  source_links_ = std::make_unique<SqlSourceLinkStore>(*this);
  entitlements_ = std::make_unique<SqlEntitlementStore>(*this);
}

SqlStore::~SqlStore() = default;

void SqlStore::AddReader(std::unique_ptr<Connection> reader) {
  std::lock_guard lock(read_mu_);
  idle_readers_.push_back(reader.get());
  readers_.push_back(std::move(reader));
}

Status SqlStore::Migrate(std::span<const Migration> migrations) {
  std::lock_guard lock(write_mu_);
  if (!dialect_.migrate_lock.empty()) RETURN_IF_ERROR(writer_->Exec(dialect_.migrate_lock));
  auto status = [&]() -> Status {
    RETURN_IF_ERROR(
        writer_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                      "name TEXT NOT NULL, applied_us BIGINT NOT NULL)"));
    int current = 0;
    {
      ASSIGN_OR_RETURN(Statement s,
                       writer_->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (row) current = static_cast<int>(s.Int(0));
    }
    if (!migrations.empty() && current > migrations.back().version) {
      return Error(Code::kConflict, "the database schema (version " + std::to_string(current) +
                                        ") is newer than this build knows; upgrade provisio");
    }
    SystemClock clock;
    for (const Migration& m : migrations) {
      if (m.version <= current) continue;
      RETURN_IF_ERROR(writer_->Exec(dialect_.begin));
      auto st = writer_->Exec(m.sql);
      if (st.ok()) {
        auto ins = writer_->Prepare(
            "INSERT INTO schema_migrations (version, name, applied_us) VALUES (?, ?, ?)");
        if (!ins.ok()) {
          st = std::move(ins).error();
        } else {
          ins->Bind(1, m.version).Bind(2, m.name).Bind(3, ToMicros(clock.Now()));
          st = ins->Run();
        }
      }
      if (st.ok()) st = writer_->Exec("COMMIT");
      if (!st.ok()) {
        (void)writer_->Exec("ROLLBACK");
        return Error(st.error().code(), "migration " + std::to_string(m.version) + " (" +
                                            std::string(m.name) +
                                            ") failed: " + st.error().message());
      }
      spdlog::info("store: applied migration {} ({})", m.version, m.name);
    }
    return Ok();
  }();
  if (!dialect_.migrate_unlock.empty()) (void)writer_->Exec(dialect_.migrate_unlock);
  return status;
}

Result<int> SqlStore::SchemaVersion() {
  auto reader = Read();
  ASSIGN_OR_RETURN(Statement s,
                   reader->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  ASSIGN_OR_RETURN(bool row, s.Step());
  (void)row;
  return static_cast<int>(s.Int(0));
}

Result<std::unique_ptr<Transaction>> SqlStore::Begin() {
  std::unique_lock lock(write_mu_);
  RETURN_IF_ERROR(writer_->Exec(dialect_.begin));
  return std::unique_ptr<Transaction>(new SqlTransaction(std::move(lock), *writer_));
}

Result<bool> SqlStore::HoldsLock(std::string_view name) {
  if (dialect_.try_lock.empty()) return true;
  std::lock_guard lock(write_mu_);
  auto it = held_locks_.find(name);
  if (it != held_locks_.end() && it->second == writer_->session()) return true;
  // Reconnects a connection the server dropped: the lock went with the old session.
  RETURN_IF_ERROR(writer_->Exec("SELECT 1"));
  ASSIGN_OR_RETURN(Statement s, writer_->Prepare(dialect_.try_lock));
  s.Bind(1, name);
  ASSIGN_OR_RETURN(bool row, s.Step());
  bool held = row && s.Int(0) != 0;
  if (held) held_locks_[std::string(name)] = writer_->session();
  return held;
}

void SqlStore::OnWorkEnqueued(std::function<void()> wake) {
  bool start = false;
  {
    std::lock_guard lock(wake_mu_);
    start = !wake_ && wake;
    wake_ = std::move(wake);
  }
  if (start) StartListening();
}

void SqlStore::WorkEnqueued() {
  std::lock_guard lock(wake_mu_);
  if (wake_) wake_();
}

Status SqlStore::PutSetting(Transaction& tx, std::string_view key, std::string_view value) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO settings (key, value) VALUES (?, ?) "
                                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  s.Bind(1, key).Bind(2, value);
  return s.Run();
}

Result<std::optional<std::string>> SqlStore::GetSetting(std::string_view key) {
  auto reader = Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare("SELECT value FROM settings WHERE key = ?"));
  s.Bind(1, key);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(s.String(0));
}

ReaderLease SqlStore::Read() {
  std::unique_lock lock(read_mu_);
  read_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
  Connection* c = idle_readers_.back();
  idle_readers_.pop_back();
  return ReaderLease(*this, c);
}

void SqlStore::Release(Connection* conn) {
  {
    std::lock_guard lock(read_mu_);
    idle_readers_.push_back(conn);
  }
  read_cv_.notify_one();
}

}  // namespace provisio::store::sql
