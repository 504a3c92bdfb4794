// The store: one interface per aggregate, reached through a Store that a backend
// (sqlite/, later postgres/) implements. Nothing outside store/ writes SQL.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/account_link_store.h"
#include "store/admin_store.h"
#include "store/application_store.h"
#include "store/assignment_store.h"
#include "store/audit_store.h"
#include "store/change_feed.h"
#include "store/connection_store.h"
#include "store/entitlement_store.h"
#include "store/group_store.h"
#include "store/import_run_store.h"
#include "store/provisioning_log_store.h"
#include "store/session_store.h"
#include "store/source_link_store.h"
#include "store/token_store.h"
#include "store/transaction.h"
#include "store/user_store.h"
#include "store/work_queue.h"

namespace provisio::store {

struct OpenOptions {
  int reader_connections = 4;    // pooled read-only connections (SQLite)
  int busy_timeout_ms = 10'000;  // wait for another process's lock before failing
};

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;
  // The schema version after migrations (the highest applied migration number).
  virtual Result<int> SchemaVersion() = 0;
  // A write transaction. Writers are serialised; readers never block on them.
  virtual Result<std::unique_ptr<Transaction>> Begin() = 0;

  virtual AdminStore& admins() = 0;
  virtual UserStore& users() = 0;
  virtual GroupStore& groups() = 0;
  virtual ChangeFeed& changes() = 0;
  virtual TokenStore& tokens() = 0;
  // The admin API's aggregates.
  virtual SessionStore& sessions() = 0;
  virtual ConnectionStore& connections() = 0;
  virtual ApplicationStore& applications() = 0;
  virtual AssignmentStore& assignments() = 0;
  virtual AuditStore& audit() = 0;
  virtual AccountLinkStore& links() = 0;
  virtual WorkQueue& work() = 0;
  virtual ProvisioningLogStore& provisioning_log() = 0;
  // The import engine's aggregates.
  virtual ImportRunStore& imports() = 0;
  virtual SourceLinkStore& source_links() = 0;
  virtual EntitlementStore& entitlements() = 0;

  // Whether this process holds the named lock that one node at a time may hold (taking
  // it when free). A node holds it until its process or database session ends, so work
  // behind it (consuming the change feed, import runs and their schedules) moves to another
  // node when the holder dies. With SQLite one process owns the database: always true.
  virtual Result<bool> HoldsLock(std::string_view name) = 0;

  // Calls `wake` (from a store thread) when any node enqueues provisioning work, so idle
  // workers start at once instead of at their next poll; an empty function stops the
  // calls (and waits for one in progress). SQLite: this process is the only writer and
  // wakes its own workers, so nothing is called.
  virtual void OnWorkEnqueued(std::function<void()> wake) = 0;

  // Small durable key/value settings (instance id, feature switches).
  virtual Status PutSetting(Transaction& tx, std::string_view key, std::string_view value) = 0;
  virtual Result<std::optional<std::string>> GetSetting(std::string_view key) = 0;
};

struct CopyReport {
  std::vector<std::pair<std::string, int64_t>> tables;  // rows copied per table, in order
};

// Copies a whole installation (every table but the migrations record) from one store into
// another that is empty and at the same schema version, in one transaction of the
// destination: all or nothing. Secrets are copied as sealed; nodes using the destination
// need the same master key. `progress(table, rows)` is called as each table finishes.
Result<CopyReport> CopyStore(Store& from, Store& to,
                             const std::function<void(std::string_view, int64_t)>& progress = {});

// Opens the store a URL names: "sqlite://PATH" (relative or absolute) or
// "postgresql://...". Creates the database when missing and applies migrations.
Result<std::unique_ptr<Store>> OpenStore(std::string_view url, const OpenOptions& options = {});

}  // namespace provisio::store
