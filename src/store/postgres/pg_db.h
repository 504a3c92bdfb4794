// The PostgreSQL driver: a libpq connection whose statements are prepared once per
// connection (server-side, by name) and run with text parameters, implementing the SQL
// stores' driver seam (store/sql/sql_db.h). `?`/`?N` placeholders become `$N`.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "store/sql/sql_db.h"

namespace provisio::store::postgres {

using sql::Statement;

class Connection final : public sql::Connection {
 public:
  // `conninfo` is a libpq connection string or a postgresql:// URI.
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo);
  Connection(const Connection&) = delete;
  ~Connection() override;

  Status Exec(std::string_view sql) override;
  Result<Statement> Prepare(std::string_view sql) override;
  int64_t Changes() const override { return changes_; }
  uint64_t session() const override { return session_; }

  // Runs a prepared statement; used by the statements this connection hands out.
  Result<PGresult*> Run(const std::string& name, int nparams, const char* const* values);
  PGconn* raw() const { return conn_; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  // Reconnects when the server dropped the connection while it was idle.
  Status EnsureOpen();

  PGconn* conn_;
  std::unordered_map<std::string, std::pair<std::string, int>> prepared_;  // sql → name, nparams
  int64_t changes_ = 0;
  bool in_tx_ = false;
  uint64_t session_ = 1;
  uint64_t next_name_ = 0;
};

// Rewrites `?` and `?N` placeholders outside string literals to `$N`; returns the
// rewritten text and the number of parameters.
std::pair<std::string, int> RewritePlaceholders(std::string_view sql);

// Maps a failed result to an Error by its SQLSTATE (23505 → kUniqueness, 40001 and
// connection failures → kUnavailable, ...), with the server's message appended.
Error PgError(PGconn* conn, const PGresult* res, std::string_view what);

}  // namespace provisio::store::postgres
