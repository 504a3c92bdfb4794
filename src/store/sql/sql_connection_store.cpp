#include <string>

#include "store/sql/sql_admin_api_stores.h"
#include "store/sql/sql_store.h"

namespace provisio::store::sql {
namespace {

const std::string kSelect =
    "SELECT id, name, type, base_url, auth_kind, auth_fields, secrets, settings, created_us, "
    "updated_us FROM connections ";

ConnectionRow RowToConnection(const Statement& s) {
  ConnectionRow c;
  c.id = s.String(0);
  c.name = s.String(1);
  c.type = s.String(2);
  c.base_url = s.String(3);
  c.auth_kind = s.String(4);
  c.auth_fields = s.String(5);
  c.secrets = s.String(6);
  c.settings = s.String(7);
  c.created = FromMicros(s.Int(8));
  c.updated = FromMicros(s.Int(9));
  return c;
}

Error NameTaken(const ConnectionRow& c) {
  return Error(Code::kUniqueness, "a connection named '" + c.name + "' already exists",
               {{"field", "name"}});
}

}  // namespace

Status SqlConnectionStore::Insert(Transaction& tx, const ConnectionRow& c) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO connections (id, name, type, base_url, "
                                      "auth_kind, auth_fields, secrets, settings, created_us, "
                                      "updated_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, c.id).Bind(2, c.name).Bind(3, c.type).Bind(4, c.base_url).Bind(5, c.auth_kind);
  s.Bind(6, c.auth_fields).Bind(7, c.secrets).Bind(8, c.settings);
  s.Bind(9, ToMicros(c.created)).Bind(10, ToMicros(c.updated));
  auto st = s.Run();
  if (!st.ok() && st.error().code() == Code::kUniqueness) return NameTaken(c);
  return st;
}

Status SqlConnectionStore::Update(Transaction& tx, const ConnectionRow& c) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("UPDATE connections SET name = ?, type = ?, base_url = ?, "
                                      "auth_kind = ?, auth_fields = ?, secrets = ?, settings = ?, "
                                      "updated_us = ? WHERE id = ?"));
  s.Bind(1, c.name).Bind(2, c.type).Bind(3, c.base_url).Bind(4, c.auth_kind);
  s.Bind(5, c.auth_fields).Bind(6, c.secrets).Bind(7, c.settings);
  s.Bind(8, ToMicros(c.updated)).Bind(9, c.id);
  auto st = s.Run();
  if (!st.ok() && st.error().code() == Code::kUniqueness) return NameTaken(c);
  RETURN_IF_ERROR(st);
  if (TxConn(tx).Changes() == 0) return Error::NotFound("no connection " + c.id);
  return Ok();
}

Status SqlConnectionStore::Delete(Transaction& tx, std::string_view id) {
  ASSIGN_OR_RETURN(Statement s, TxConn(tx).Prepare("DELETE FROM connections WHERE id = ?"));
  s.Bind(1, id);
  RETURN_IF_ERROR(s.Run());
  if (TxConn(tx).Changes() == 0) return Error::NotFound("no connection " + std::string(id));
  return Ok();
}

Result<std::optional<ConnectionRow>> SqlConnectionStore::Get(Transaction* tx, std::string_view id) {
  return store_.WithConn(tx, [&](Connection& conn) -> Result<std::optional<ConnectionRow>> {
    ASSIGN_OR_RETURN(Statement s, conn.Prepare(kSelect + "WHERE id = ?"));
    s.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<ConnectionRow>();
    return std::optional<ConnectionRow>(RowToConnection(s));
  });
}

Result<std::vector<ConnectionRow>> SqlConnectionStore::List(Transaction* tx) {
  return store_.WithConn(tx, [&](Connection& conn) -> Result<std::vector<ConnectionRow>> {
    ASSIGN_OR_RETURN(Statement s, conn.Prepare(kSelect + "ORDER BY name COLLATE NOCASE, id"));
    std::vector<ConnectionRow> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(RowToConnection(s));
    }
    return out;
  });
}

}  // namespace provisio::store::sql
