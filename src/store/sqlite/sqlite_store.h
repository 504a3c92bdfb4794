// The embedded SQLite backend: WAL, one writer connection that serialises write
// transactions in-process (so callers never see "database is locked"), and a pool of
// read-only connections that readers take in turn.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace provisio::store::sqlite {

class SqliteStore;

// Lends a reader connection for one read; returns it to the pool when destroyed.
class ReaderLease {
 public:
  ReaderLease(SqliteStore& store, Connection* conn) : store_(store), conn_(conn) {}
  ReaderLease(const ReaderLease&) = delete;
  ~ReaderLease();
  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_; }

 private:
  SqliteStore& store_;
  Connection* conn_;
};

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(std::unique_lock<std::mutex> lock, Connection& conn)
      : lock_(std::move(lock)), conn_(conn) {}
  ~SqliteTransaction() override;
  Status Commit() override;
  Status Savepoint() override;
  Status ReleaseSavepoint() override;
  Status RollbackToSavepoint() override;
  Connection& conn() { return conn_; }

 private:
  std::unique_lock<std::mutex> lock_;
  Connection& conn_;
  bool done_ = false;
};

// The connection of a transaction this backend began.
Connection& TxConn(Transaction& tx);

class SqliteStore final : public Store {
 public:
  // Opens (creating when missing) the database file at `path` and applies migrations.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const OpenOptions& options);
  ~SqliteStore() override;

  std::string_view backend() const override { return "sqlite"; }
  Result<int> SchemaVersion() override;
  Result<std::unique_ptr<Transaction>> Begin() override;
  AdminStore& admins() override { return *admins_; }
  UserStore& users() override { return *users_; }
  GroupStore& groups() override { return *groups_; }
  ChangeFeed& changes() override { return *changes_; }
  TokenStore& tokens() override { return *tokens_; }
  SessionStore& sessions() override { return *sessions_; }
  ConnectionStore& connections() override { return *connections_; }
  ApplicationStore& applications() override { return *applications_; }
  AssignmentStore& assignments() override { return *assignments_; }
  AuditStore& audit() override { return *audit_; }
  AccountLinkStore& links() override { return *links_; }
  WorkQueue& work() override { return *work_; }
  ProvisioningLogStore& provisioning_log() override { return *provisioning_log_; }
  ImportRunStore& imports() override { return *imports_; }
  SourceLinkStore& source_links() override { return *source_links_; }
  EntitlementStore& entitlements() override { return *entitlements_; }
  Status PutSetting(Transaction& tx, std::string_view key, std::string_view value) override;
  Result<std::optional<std::string>> GetSetting(std::string_view key) override;

  ReaderLease Read();

  // Runs fn(Connection&) on the transaction's connection when there is one (so the read
  // sees its writes), otherwise on a pooled reader.
  template <typename F>
  auto WithConn(Transaction* tx, F&& fn) {
    if (tx) return fn(TxConn(*tx));
    auto reader = Read();
    return fn(*reader);
  }

 private:
  friend class ReaderLease;
  SqliteStore(Connection writer, std::vector<std::unique_ptr<Connection>> readers);
  Status Migrate();
  void Release(Connection* conn);

  std::mutex write_mu_;
  Connection writer_;
  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_readers_;
  std::unique_ptr<AdminStore> admins_;
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<GroupStore> groups_;
  std::unique_ptr<ChangeFeed> changes_;
  std::unique_ptr<TokenStore> tokens_;
  std::unique_ptr<SessionStore> sessions_;
  std::unique_ptr<ConnectionStore> connections_;
  std::unique_ptr<ApplicationStore> applications_;
  std::unique_ptr<AssignmentStore> assignments_;
  std::unique_ptr<AuditStore> audit_;
  std::unique_ptr<AccountLinkStore> links_;
  std::unique_ptr<WorkQueue> work_;
  std::unique_ptr<ProvisioningLogStore> provisioning_log_;
  std::unique_ptr<ImportRunStore> imports_;
  std::unique_ptr<SourceLinkStore> source_links_;
  std::unique_ptr<EntitlementStore> entitlements_;
};

}  // namespace provisio::store::sqlite
