// Paged, id-ordered scans shared by the user and group tables.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/sql/sql_store.h"
#include "store/user_store.h"

namespace provisio::store::sql {

// Appends the WHERE clause a ScanSpec asks for; `binds` collects the values in order.
inline std::string ScanWhere(const ScanSpec& spec, bool users, std::vector<std::string>& text_binds,
                             std::optional<int64_t>& time_bind) {
  std::string where = " WHERE 1=1";
  if (spec.lookup) {
    using F = ScanSpec::Field;
    switch (spec.lookup->field) {
      case F::kId:
        where += " AND id = ?";
        break;
      case F::kUserName:
        where += users ? " AND user_name = ? COLLATE NOCASE" : " AND 1 = 0 AND id = ?";
        break;
      case F::kExternalId:
        where += " AND external_id = ?";
        break;
      case F::kDisplayName:
        where += " AND display_name = ? COLLATE NOCASE";
        break;
      case F::kEmail:
        where += users
                     ? " AND id IN (SELECT user_id FROM user_emails WHERE value = ? COLLATE NOCASE)"
                     : " AND 1 = 0 AND id = ?";
        break;
    }
    text_binds.push_back(spec.lookup->value);
  }
  if (spec.modified_after) {
    where += spec.modified_inclusive ? " AND updated_us >= ?" : " AND updated_us > ?";
    time_bind = ToMicros(*spec.modified_after);
  }
  return where;
}

// Pages through rows in id order; each page is read with a pooled connection that is
// given back before the visitor runs, so visitors may read the store themselves.
template <typename Row>
Status ScanTable(SqlStore& store, std::string_view table, std::string_view columns,
                 Row (*to_row)(const Statement&), const ScanSpec& spec, bool users,
                 const Visitor<Row>& visit) {
  std::vector<std::string> text_binds;
  std::optional<int64_t> time_bind;
  std::string where = ScanWhere(spec, users, text_binds, time_bind);
  std::string sql = "SELECT " + std::string(columns) + " FROM " + std::string(table) + where +
                    " AND id > ? ORDER BY id LIMIT ? OFFSET ?";
  std::string after = spec.after_id;
  size_t page = std::max<size_t>(1, spec.page_size);
  size_t offset = spec.offset;
  for (;;) {
    std::vector<Row> rows;
    {
      auto reader = store.Read();
      ASSIGN_OR_RETURN(Statement s, reader->Prepare(sql));
      int i = 1;
      for (const auto& v : text_binds) s.Bind(i++, v);
      if (time_bind) s.Bind(i++, *time_bind);
      s.Bind(i++, after);
      s.Bind(i++, static_cast<int64_t>(page));
      s.Bind(i++, static_cast<int64_t>(offset));
      for (;;) {
        ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        rows.push_back(to_row(s));
      }
    }
    for (const auto& r : rows) {
      if (!visit(r)) return Ok();
    }
    if (rows.size() < page) return Ok();
    after = rows.back().id;
    offset = 0;
  }
}

// Keyset paging shared by every ordered listing: `sql` ends in "... AND key > ? ORDER BY key
// LIMIT ?" after the `fixed` binds. Each page is read (on the transaction's connection or a
// pooled reader) before the visitor runs, so visitors may use the store themselves.
template <typename Row, typename ToRow, typename KeyOf>
Status PageByKey(SqlStore& store, Transaction* tx, const std::string& sql,
                 const std::vector<std::string_view>& fixed, std::string_view after, int64_t page,
                 ToRow to_row, KeyOf key_of, const Visitor<Row>& visit) {
  std::string cursor(after);
  for (;;) {
    std::vector<Row> rows;
    RETURN_IF_ERROR(store.WithConn(tx, [&](Connection& c) -> Status {
      ASSIGN_OR_RETURN(Statement s, c.Prepare(sql));
      int i = 1;
      for (std::string_view v : fixed) s.Bind(i++, v);
      s.Bind(i, cursor);
      s.Bind(i + 1, page);
      for (;;) {
        ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        rows.push_back(to_row(s));
      }
      return Ok();
    }));
    for (const auto& r : rows) {
      if (!visit(r)) return Ok();
    }
    if (static_cast<int64_t>(rows.size()) < page) return Ok();
    cursor = key_of(rows.back());
  }
}

}  // namespace provisio::store::sql
