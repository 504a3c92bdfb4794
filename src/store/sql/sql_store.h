// The part of a SQL backend that does not depend on the database: the aggregates
// (store/sql/sql_*_store.cpp, written once), one writer connection that serialises this
// process's write transactions, a pool of reader connections, numbered migrations and
// the settings table. A backend (sqlite/, postgres/) opens the connections and supplies
// its migrations and the few statements whose syntax differs (Dialect).
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql/sql_db.h"
#include "store/store.h"

namespace provisio::store::sql {

// One numbered schema migration, embedded in the binary. Append only: a released
// migration is never edited; a change is a new number.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Where the backends' SQL differs. Everything else in store/sql/ is common SQL.
struct Dialect {
  std::string_view name;  // "sqlite" or "postgresql"
  // Starts a write transaction.
  std::string_view begin;
  // Appended to a SELECT that reads rows a write transaction is about to change, so a
  // writer on another node waits for them ("" where one writer holds the whole database).
  std::string_view lock_rows;
  // Appended to the subquery that picks work to lease, so nodes leasing at once take
  // different items instead of waiting for each other.
  std::string_view skip_locked;
  // Run in a transaction before it appends to the change feed, so sequence numbers
  // become visible in the order they were given ("" where writers are serialised anyway).
  std::string_view serialize_feed;
  // The same for the audit log's hash chain, whose next row extends the last one.
  std::string_view serialize_audit;
  // Held around migrations so nodes starting together apply each one once.
  std::string_view migrate_lock;
  std::string_view migrate_unlock;
  // Takes a lock held by this session until it ends, by name (one `?`); returns a boolean.
  // "" where one process owns the database.
  std::string_view try_lock;
  // Run after rows were copied in with their ids, so new rows get ids after them.
  std::string_view after_copy;
  // Run in a transaction that enqueued work, to wake other nodes when it commits ("" where
  // one process owns the database and wakes its own workers).
  std::string_view notify_work;
};

class SqlStore;

// Lends a reader connection for one read; returns it to the pool when destroyed.
class ReaderLease {
 public:
  ReaderLease(SqlStore& store, Connection* conn) : store_(store), conn_(conn) {}
  ReaderLease(const ReaderLease&) = delete;
  ~ReaderLease();
  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_; }

 private:
  SqlStore& store_;
  Connection* conn_;
};

class SqlTransaction final : public Transaction {
 public:
  SqlTransaction(std::unique_lock<std::mutex> lock, Connection& conn)
      : lock_(std::move(lock)), conn_(conn) {}
  ~SqlTransaction() override;
  Status Commit() override;
  Status Savepoint() override;
  Status ReleaseSavepoint() override;
  Status RollbackToSavepoint() override;
  Connection& conn() { return conn_; }
  // Whether this transaction still has the writer (after Commit: only while one of its
  // statements is open).
  bool holds_writer() const { return lock_.owns_lock(); }

 private:
  std::unique_lock<std::mutex> lock_;
  Connection& conn_;
  bool done_ = false;
};

// The connection of a transaction a SQL backend began.
Connection& TxConn(Transaction& tx);

class SqlStore : public Store {
 public:
  ~SqlStore() override;

  std::string_view backend() const override { return dialect_.name; }
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
  Result<bool> HoldsLock(std::string_view name) override;
  void OnWorkEnqueued(std::function<void()> wake) override;
  Status PutSetting(Transaction& tx, std::string_view key, std::string_view value) override;
  Result<std::optional<std::string>> GetSetting(std::string_view key) override;

  const Dialect& dialect() const { return dialect_; }
  ReaderLease Read();

  // Runs fn(Connection&) on the transaction's connection when there is one (so the read
  // sees its writes), otherwise on a pooled reader.
  template <typename F>
  auto WithConn(Transaction* tx, F&& fn) {
    if (tx) return fn(TxConn(*tx));
    auto reader = Read();
    return fn(*reader);
  }

 protected:
  SqlStore(const Dialect& dialect, std::unique_ptr<Connection> writer);
  // Applies the migrations newer than the database's schema, each in its own transaction.
  Status Migrate(std::span<const Migration> migrations);
  void AddReader(std::unique_ptr<Connection> reader);
  // Starts hearing other nodes' work notifications (PostgreSQL LISTEN); calls
  // WorkEnqueued() for each. The SQLite backend has none.
  virtual void StartListening() {}
  void WorkEnqueued();

 private:
  friend class ReaderLease;
  void Release(Connection* conn);

  const Dialect& dialect_;
  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;
  std::map<std::string, uint64_t, std::less<>> held_locks_;  // name → writer session
  std::mutex wake_mu_;
  std::function<void()> wake_;
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

}  // namespace provisio::store::sql
