// The SQLite driver: a connection and prepared statements over the SQLite C API,
// implementing the SQL stores' driver seam (store/sql/sql_db.h).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/sql/sql_db.h"

namespace provisio::store::sqlite {

using sql::Statement;

class Connection final : public sql::Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, Mode mode,
                                                  int busy_timeout_ms);
  Connection(const Connection&) = delete;
  ~Connection() override;

  Status Exec(std::string_view sql) override;
  Result<Statement> Prepare(std::string_view sql) override;
  int64_t Changes() const override { return sqlite3_changes64(db_); }
  bool HasOpenStatements() const override { return sqlite3_next_stmt(db_, nullptr) != nullptr; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// Maps an SQLite result code to an Error (SQLITE_CONSTRAINT_UNIQUE → kUniqueness,
// SQLITE_BUSY → kUnavailable, ...), with the library's own message appended.
Error SqliteError(sqlite3* db, int rc, std::string_view what);

}  // namespace provisio::store::sqlite
