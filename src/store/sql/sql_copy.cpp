// provisio store copy: every table, row by row, from one SQL backend to another.
#include <optional>
#include <string>
#include <vector>

#include "store/sql/sql_store.h"

namespace provisio::store {
namespace {

// Parents before children (foreign keys); user_emails keeps its order (a user's e-mails).
constexpr std::string_view kTables[] = {
    "settings",      "admins",           "users",          "user_emails",  "groups",
    "group_members", "changes",          "change_cursors", "tokens",       "sessions",
    "connections",   "applications",     "assignments",    "audit_log",    "account_links",
    "work_items",    "provisioning_log", "import_runs",    "source_links", "entitlements",
};

Result<int64_t> CountRows(sql::Connection& c, std::string_view table) {
  ASSIGN_OR_RETURN(sql::Statement s, c.Prepare("SELECT count(*) FROM " + std::string(table)));
  ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<int64_t> CopyTable(sql::SqlStore& from, sql::Connection& to, std::string_view table) {
  auto reader = from.Read();
  std::string select = "SELECT * FROM " + std::string(table);
  if (table == "user_emails") select += " ORDER BY rowid";
  ASSIGN_OR_RETURN(sql::Statement src, reader->Prepare(select));
  std::optional<sql::Statement> insert;
  std::vector<int> columns;  // source columns copied (a generated rowid is not)
  int64_t rows = 0;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, src.Step());
    if (!row) break;
    if (!insert) {
      std::string names, marks;
      for (int i = 0; i < src.ColumnCount(); ++i) {
        std::string name = src.ColumnName(i);
        if (name == "rowid") continue;  // the destination numbers these itself, in order
        columns.push_back(i);
        names += (names.empty() ? "" : ", ") + name;
        marks += marks.empty() ? "?" : ", ?";
      }
      ASSIGN_OR_RETURN(sql::Statement s, to.Prepare("INSERT INTO " + std::string(table) + " (" +
                                                    names + ") VALUES (" + marks + ")"));
      insert.emplace(std::move(s));
    }
    insert->Reset();
    for (size_t k = 0; k < columns.size(); ++k) {
      int col = columns[k];
      int param = static_cast<int>(k) + 1;
      if (src.IsNull(col)) {
        insert->BindNull(param);
      } else {
        insert->Bind(param, src.Text(col));
      }
    }
    auto st = insert->Run();
    if (!st.ok()) {
      return Error(st.error().code(), "copying " + std::string(table) + " row " +
                                          std::to_string(rows + 1) + ": " + st.error().message());
    }
    ++rows;
  }
  return rows;
}

}  // namespace

Result<CopyReport> CopyStore(Store& from, Store& to,
                             const std::function<void(std::string_view, int64_t)>& progress) {
  auto* src = dynamic_cast<sql::SqlStore*>(&from);
  auto* dst = dynamic_cast<sql::SqlStore*>(&to);
  if (!src || !dst) return Error::InvalidArgument("store copy needs two SQL stores");
  ASSIGN_OR_RETURN(int from_version, from.SchemaVersion());
  ASSIGN_OR_RETURN(int to_version, to.SchemaVersion());
  if (from_version != to_version) {
    return Error(Code::kConflict, "the stores are at schema versions " +
                                      std::to_string(from_version) + " and " +
                                      std::to_string(to_version) + "; upgrade the older first");
  }
  ASSIGN_OR_RETURN(auto tx, to.Begin());
  sql::Connection& out = sql::TxConn(*tx);
  for (std::string_view table : kTables) {
    ASSIGN_OR_RETURN(int64_t existing, CountRows(out, table));
    if (existing > 0) {
      return Error(Code::kConflict, "the destination is not empty (" + std::string(table) +
                                        " has " + std::to_string(existing) +
                                        " rows); copy into a new database");
    }
  }
  CopyReport report;
  for (std::string_view table : kTables) {
    ASSIGN_OR_RETURN(int64_t rows, CopyTable(*src, out, table));
    report.tables.emplace_back(std::string(table), rows);
    if (progress) progress(table, rows);
  }
  if (!dst->dialect().after_copy.empty()) RETURN_IF_ERROR(out.Exec(dst->dialect().after_copy));
  RETURN_IF_ERROR(tx->Commit());
  return report;
}

}  // namespace provisio::store
