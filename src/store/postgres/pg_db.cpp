#include "store/postgres/pg_db.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>
#include <vector>

namespace provisio::store::postgres {
namespace {

constexpr size_t kMaxPrepared = 512;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

std::string Trimmed(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class PgStatement final : public sql::StatementImpl {
 public:
  PgStatement(Connection& conn, std::string name, int nparams)
      : conn_(conn), name_(std::move(name)), params_(static_cast<size_t>(nparams)) {}
  PgStatement(const PgStatement&) = delete;
  ~PgStatement() override = default;

  void BindText(int i, std::string_view v) override { Param(i) = std::string(v); }
  void BindInt(int i, int64_t v) override { Param(i) = std::to_string(v); }
  void BindNull(int i) override { Param(i).reset(); }

  Result<bool> Step() override {
    if (!result_) {
      std::vector<const char*> values;
      values.reserve(params_.size());
      for (const auto& p : params_) values.push_back(p ? p->c_str() : nullptr);
      ASSIGN_OR_RETURN(PGresult * r,
                       conn_.Run(name_, static_cast<int>(values.size()), values.data()));
      result_.reset(r);
      row_ = -1;
    }
    ++row_;
    return row_ < PQntuples(result_.get());
  }
  void Reset() override {
    result_.reset();
    for (auto& p : params_) p.reset();
  }

  std::string_view Text(int col) const override {
    if (PQgetisnull(result_.get(), row_, col)) return {};
    return {PQgetvalue(result_.get(), row_, col),
            static_cast<size_t>(PQgetlength(result_.get(), row_, col))};
  }
  int64_t Int(int col) const override {
    std::string_view t = Text(col);
    if (t == "t") return 1;  // a boolean expression
    if (t == "f") return 0;
    int64_t v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
  }
  bool IsNull(int col) const override { return PQgetisnull(result_.get(), row_, col) != 0; }
  int ColumnCount() const override { return result_ ? PQnfields(result_.get()) : 0; }
  std::string ColumnName(int col) const override {
    const char* name = result_ ? PQfname(result_.get(), col) : nullptr;
    return name ? name : "";
  }

 private:
  std::optional<std::string>& Param(int i) {
    if (static_cast<size_t>(i) > params_.size()) params_.resize(static_cast<size_t>(i));
    return params_[static_cast<size_t>(i - 1)];
  }

  Connection& conn_;
  std::string name_;
  std::vector<std::optional<std::string>> params_;
  ResultPtr result_;
  int row_ = -1;
};

}  // namespace

std::pair<std::string, int> RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  int highest = 0;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') ++j;
    int n = 0;
    if (j > i + 1) {
      std::from_chars(sql.data() + i + 1, sql.data() + j, n);
      i = j - 1;
    } else {
      n = ++next;
    }
    highest = std::max(highest, n);
    out += '$';
    out += std::to_string(n);
  }
  return {std::move(out), highest};
}

Error PgError(PGconn* conn, const PGresult* res, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += Trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view s = state ? state : "";
  if (s == "23505") return Error(Code::kUniqueness, std::move(msg));
  if (s.starts_with("23")) return Error(Code::kConflict, std::move(msg));  // FK, check, not null
  // Serialization failures, deadlocks, lock timeouts, shutdowns and lost connections: a
  // later attempt may succeed.
  if (s == "40001" || s == "40P01" || s == "55P03" || s.starts_with("57") || s.starts_with("08") ||
      PQstatus(conn) == CONNECTION_BAD) {
    return Error(Code::kUnavailable, std::move(msg));
  }
  return Error(Code::kInternal, std::move(msg));
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = "cannot connect to PostgreSQL: " + Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return Error(Code::kUnavailable, std::move(msg));
  }
  // Server notices ("relation ... already exists, skipping") go to the debug log, not stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char* msg) { spdlog::debug("postgres: {}", Trimmed(msg)); }, nullptr);
  auto c = std::unique_ptr<Connection>(new Connection(conn));
  // Integers and text only cross this seam; times are microseconds since the epoch.
  RETURN_IF_ERROR(c->Exec("SET client_encoding = 'UTF8'; SET application_name = 'provisio'"));
  return c;
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Status Connection::EnsureOpen() {
  if (PQstatus(conn_) == CONNECTION_OK) return Ok();
  // Reconnecting inside a transaction would run its remaining statements outside it.
  if (in_tx_) return Error(Code::kUnavailable, "lost the connection to PostgreSQL mid-transaction");
  PQreset(conn_);
  prepared_.clear();  // prepared statements die with the session
  ++session_;
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Error(Code::kUnavailable,
                 "lost the connection to PostgreSQL: " + Trimmed(PQerrorMessage(conn_)));
  }
  return Ok();
}

Status Connection::Exec(std::string_view sql) {
  std::string text(sql);
  bool ends = text == "COMMIT" || text == "ROLLBACK";
  if (ends) in_tx_ = false;
  RETURN_IF_ERROR(EnsureOpen());
  ResultPtr r(PQexec(conn_, text.c_str()));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return PgError(conn_, r.get(), "postgres");
  if (text.starts_with("BEGIN")) in_tx_ = true;
  // COMMIT of a transaction that failed earlier is answered with ROLLBACK, not an error.
  if (text == "COMMIT" && std::string_view(PQcmdStatus(r.get())) == "ROLLBACK") {
    return Error(Code::kConflict, "postgres: the transaction failed and was rolled back");
  }
  return Ok();
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  RETURN_IF_ERROR(EnsureOpen());
  auto [text, nparams] = RewritePlaceholders(sql);
  auto it = prepared_.find(text);
  if (it == prepared_.end()) {
    // Statements with literal values in their text would fill the cache without end.
    if (prepared_.size() >= kMaxPrepared && !in_tx_) {
      RETURN_IF_ERROR(Exec("DEALLOCATE ALL"));
      prepared_.clear();
    }
    std::string name = "p" + std::to_string(++next_name_);
    ResultPtr r(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      return PgError(conn_, r.get(), "postgres prepare");
    }
    it = prepared_.emplace(std::move(text), std::make_pair(std::move(name), nparams)).first;
  }
  return Statement(std::make_unique<PgStatement>(*this, it->second.first, it->second.second));
}

Result<PGresult*> Connection::Run(const std::string& name, int nparams, const char* const* values) {
  ResultPtr r(PQexecPrepared(conn_, name.c_str(), nparams, values, nullptr, nullptr, 0));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return PgError(conn_, r.get(), "postgres");
  const char* tuples = PQcmdTuples(r.get());
  changes_ = 0;
  if (tuples && *tuples) std::from_chars(tuples, tuples + std::strlen(tuples), changes_);
  return r.release();
}

}  // namespace provisio::store::postgres
