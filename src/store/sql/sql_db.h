// The driver seam under the SQL stores: a connection and prepared statements with typed
// binds and columns. The aggregates in store/sql/ are written once against it; the SQLite
// and PostgreSQL drivers implement it. SQL is written with `?` or `?N` placeholders
// (1-based), which a driver rewrites to its own syntax where it differs. Errors become
// provisio::Error at the driver.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace provisio::store::sql {

// What a driver implements for one prepared statement.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void BindText(int i, std::string_view v) = 0;
  virtual void BindInt(int i, int64_t v) = 0;
  virtual void BindNull(int i) = 0;
  virtual Result<bool> Step() = 0;
  virtual void Reset() = 0;
  virtual std::string_view Text(int col) const = 0;
  virtual int64_t Int(int col) const = 0;
  virtual bool IsNull(int col) const = 0;
  // The result's columns (known once the statement has stepped).
  virtual int ColumnCount() const = 0;
  virtual std::string ColumnName(int col) const = 0;
};

// A prepared statement: bind values (1-based), Step() through rows, read columns (0-based).
class Statement {
 public:
  explicit Statement(std::unique_ptr<StatementImpl> impl) : impl_(std::move(impl)) {}

  Statement& Bind(int i, std::string_view v) {
    impl_->BindText(i, v);
    return *this;
  }
  Statement& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Statement& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Statement& Bind(int i, int64_t v) {
    impl_->BindInt(i, v);
    return *this;
  }
  Statement& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, bool v) { return Bind(i, static_cast<int64_t>(v ? 1 : 0)); }
  Statement& BindNull(int i) {
    impl_->BindNull(i);
    return *this;
  }
  Statement& Bind(int i, const std::optional<std::string>& v) {
    return v ? Bind(i, *v) : BindNull(i);
  }

  // true: a row is ready; false: done. Errors as Error (kUniqueness for unique violations).
  Result<bool> Step() { return impl_->Step(); }
  // Steps to completion, for statements that return no rows.
  Status Run() {
    for (;;) {
      auto r = Step();
      if (!r.ok()) return std::move(r).error();
      if (!*r) return Ok();
    }
  }
  // Ready to run again with new binds.
  void Reset() { impl_->Reset(); }

  std::string_view Text(int col) const { return impl_->Text(col); }
  std::string String(int col) const { return std::string(Text(col)); }
  std::optional<std::string> OptString(int col) const {
    if (IsNull(col)) return std::nullopt;
    return String(col);
  }
  int64_t Int(int col) const { return impl_->Int(col); }
  bool IsNull(int col) const { return impl_->IsNull(col); }
  int ColumnCount() const { return impl_->ColumnCount(); }
  std::string ColumnName(int col) const { return impl_->ColumnName(col); }

 private:
  std::unique_ptr<StatementImpl> impl_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // One or more statements, no parameters, no results.
  virtual Status Exec(std::string_view sql) = 0;
  virtual Result<Statement> Prepare(std::string_view sql) = 0;
  // Rows changed by the last statement that ran to completion on this connection.
  virtual int64_t Changes() const = 0;
  // Changes whenever the connection was re-established (session state such as locks is
  // gone then).
  virtual uint64_t session() const { return 0; }
  // True while a statement prepared on this connection is still open (not yet destroyed) and
  // destroying it uses the connection (SQLite finalises it on the connection; a PostgreSQL
  // statement only frees its own result). Such a connection must not be handed to another
  // thread yet.
  virtual bool HasOpenStatements() const { return false; }
};

}  // namespace provisio::store::sql
