#include "store/sqlite/sqlite_db.h"

namespace provisio::store::sqlite {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Error(Code::kUniqueness, std::move(msg));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return Error(Code::kConflict, std::move(msg));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(Code::kUnavailable, std::move(msg));
    default:
      return Error(Code::kInternal, std::move(msg));
  }
}

namespace {

class SqliteStatement final : public sql::StatementImpl {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::string sql,
                  std::shared_ptr<Connection::StatementCache> cache)
      : db_(db), stmt_(stmt), sql_(std::move(sql)), cache_(std::move(cache)) {}
  SqliteStatement(const SqliteStatement&) = delete;
  ~SqliteStatement() override { cache_->Give(std::move(sql_), stmt_); }

  void BindText(int i, std::string_view v) override {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void BindInt(int i, int64_t v) override { sqlite3_bind_int64(stmt_, i, v); }
  void BindNull(int i) override { sqlite3_bind_null(stmt_, i); }

  Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(db_, sqlite3_extended_errcode(db_), "sqlite step");
  }
  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::string_view Text(int col) const override {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    if (!p) return {};
    return {reinterpret_cast<const char*>(p),
            static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
  }
  int64_t Int(int col) const override { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int ColumnCount() const override { return sqlite3_column_count(stmt_); }
  std::string ColumnName(int col) const override {
    const char* name = sqlite3_column_name(stmt_, col);
    return name ? name : "";
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;  // the text it was prepared from: its key in the cache
  std::shared_ptr<Connection::StatementCache> cache_;
};

}  // namespace

sqlite3_stmt* Connection::StatementCache::Take(std::string_view sql) {
  std::lock_guard lock(mu_);
  auto it = by_sql_.find(std::string(sql));
  if (it == by_sql_.end() || it->second.empty()) return nullptr;
  sqlite3_stmt* stmt = it->second.back();
  it->second.pop_back();
  --idle_;
  ++out_;
  return stmt;
}

void Connection::StatementCache::Give(std::string sql, sqlite3_stmt* stmt) {
  // Reset first, whatever happens next: a statement left mid-way would hold its read open.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  --out_;  // after the connection was last used for it
  std::lock_guard lock(mu_);
  if (closed_) {
    sqlite3_finalize(stmt);
    return;
  }
  if (idle_ >= kMaxIdle) DropIdle();
  by_sql_[std::move(sql)].push_back(stmt);
  ++idle_;
}

void Connection::StatementCache::DropIdle() {
  for (auto& [sql, stmts] : by_sql_) {
    for (sqlite3_stmt* stmt : stmts) sqlite3_finalize(stmt);
  }
  by_sql_.clear();
  idle_ = 0;
}

void Connection::StatementCache::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  DropIdle();
}

size_t Connection::StatementCache::idle() const {
  std::lock_guard lock(mu_);
  return idle_;
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, Mode mode,
                                                     int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  flags |=
      mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(db, rc, "cannot open database " + path);
    sqlite3_close(db);
    return e;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  cache_->Close();
  if (db_) sqlite3_close_v2(db_);  // a statement still out keeps it open until finalized
}

Status Connection::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string s(sql);
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    Error e = SqliteError(nullptr, sqlite3_extended_errcode(db_), "sqlite exec");
    return Error(e.code(), "sqlite exec: " + msg);
  }
  return Ok();
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = cache_->Take(sql);
  if (!stmt) {
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "sqlite prepare");
    if (!stmt) return Error(Code::kInternal, "sqlite prepare: no statement in the text");
    cache_->Lent();
  }
  return Statement(std::make_unique<SqliteStatement>(db_, stmt, std::string(sql), cache_));
}

}  // namespace provisio::store::sqlite
