// The embedded SQLite backend: WAL, one writer connection that serialises write
// transactions in-process (so callers never see "database is locked"), and a pool of
// read-only connections that readers take in turn. The aggregates are store/sql/'s.
#pragma once

#include <memory>
#include <string>

#include "store/sql/sql_store.h"

namespace provisio::store::sqlite {

class SqliteStore final : public sql::SqlStore {
 public:
  // Opens (creating when missing) the database file at `path` and applies migrations.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const OpenOptions& options);

 private:
  using SqlStore::SqlStore;
};

}  // namespace provisio::store::sqlite
