// The PostgreSQL backend, for several `provisio serve` nodes sharing one database. In a
// process it works like the SQLite backend (one writer connection serialising this node's
// write transactions, a pool of readers); between nodes, row locks, SKIP LOCKED leases and
// advisory locks keep the work, the change feed and the audit chain consistent.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "store/sql/sql_store.h"

namespace provisio::store::postgres {

class PgStore final : public sql::SqlStore {
 public:
  // `url` is a postgresql:// URI (or a libpq connection string). Applies migrations.
  static Result<std::unique_ptr<PgStore>> Open(const std::string& url, const OpenOptions& options);
  ~PgStore() override;

 private:
  using SqlStore::SqlStore;
  void StartListening() override;
  // LISTENs on its own connection, reconnecting when it drops, until the store closes.
  void Listen();

  std::string url_;
  std::atomic<bool> closing_{false};
  std::thread listener_;
};

}  // namespace provisio::store::postgres
