// The SQLite driver: a connection and prepared statements over the SQLite C API,
// implementing the SQL stores' driver seam (store/sql/sql_db.h).
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
  // Statements are kept for reuse once they are done with (reset, bindings cleared), keyed
  // by their text: the same SQL is compiled once per connection, not on every call (the
  // compile cost more than running most of the store's statements).
  Result<Statement> Prepare(std::string_view sql) override;
  int64_t Changes() const override { return sqlite3_changes64(db_); }
  // Statements handed out and not yet given back (the cache's idle ones do not count: they
  // are reset and touched only by this connection's owner).
  bool HasOpenStatements() const override { return cache_->out() > 0; }

  // The idle statements of one connection. Shared with the statements handed out, so one
  // that outlives its connection finalizes itself instead of returning.
  class StatementCache {
   public:
    static constexpr size_t kMaxIdle = 256;
    sqlite3_stmt* Take(std::string_view sql);
    void Lent() { ++out_; }  // a statement was prepared afresh and handed out
    // Keeps `stmt` (reset) for reuse under `sql`, or finalizes it once closed. When full, the
    // idle statements are dropped first (statements with literals in their text must not
    // crowd out the rest for good).
    void Give(std::string sql, sqlite3_stmt* stmt);
    void Close();  // finalizes every idle statement; later Gives finalize
    size_t idle() const;
    int64_t out() const { return out_.load(); }

   private:
    void DropIdle();  // with mu_ held

    mutable std::mutex mu_;
    std::atomic<int64_t> out_{0};
    bool closed_ = false;
    size_t idle_ = 0;
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>> by_sql_;
  };
  size_t idle_statements() const { return cache_->idle(); }

 private:
  explicit Connection(sqlite3* db) : db_(db), cache_(std::make_shared<StatementCache>()) {}
  sqlite3* db_;
  std::shared_ptr<StatementCache> cache_;
};

// Maps an SQLite result code to an Error (SQLITE_CONSTRAINT_UNIQUE → kUniqueness,
// SQLITE_BUSY → kUnavailable, ...), with the library's own message appended.
Error SqliteError(sqlite3* db, int rc, std::string_view what);

}  // namespace provisio::store::sqlite
