#include "store/sql/sql_directory_stores.h"
#include "store/sql/sql_store.h"

namespace provisio::store::sql {
namespace {

const std::string kSelect =
    "SELECT id, kind, name, role, hash, created_by, created_us, last_used_us, revoked_us "
    "FROM tokens ";

TokenRow RowToToken(const Statement& s) {
  TokenRow t;
  t.id = s.String(0);
  t.kind = s.String(1);
  t.name = s.String(2);
  t.role = s.String(3);
  t.hash = s.String(4);
  t.created_by = s.String(5);
  t.created = FromMicros(s.Int(6));
  if (!s.IsNull(7)) t.last_used = FromMicros(s.Int(7));
  if (!s.IsNull(8)) t.revoked = FromMicros(s.Int(8));
  return t;
}

Result<std::optional<TokenRow>> FindOne(SqlStore& store, std::string_view where,
                                        std::string_view arg) {
  auto reader = store.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare(kSelect + std::string(where)));
  s.Bind(1, arg);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<TokenRow>();
  return std::optional<TokenRow>(RowToToken(s));
}

}  // namespace

Status SqlTokenStore::Insert(Transaction& tx, const TokenRow& t) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO tokens (id, kind, name, role, hash, created_by, "
                                      "created_us) VALUES (?,?,?,?,?,?,?)"));
  s.Bind(1, t.id).Bind(2, t.kind).Bind(3, t.name).Bind(4, t.role).Bind(5, t.hash);
  s.Bind(6, t.created_by).Bind(7, ToMicros(t.created));
  return s.Run();
}

Result<std::optional<TokenRow>> SqlTokenStore::FindByHash(std::string_view hash) {
  return FindOne(store_, "WHERE hash = ?", hash);
}

Result<std::optional<TokenRow>> SqlTokenStore::Get(std::string_view id) {
  return FindOne(store_, "WHERE id = ?", id);
}

Result<std::vector<TokenRow>> SqlTokenStore::List(std::string_view kind) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare(kSelect + "WHERE kind = ? ORDER BY created_us"));
  s.Bind(1, kind);
  std::vector<TokenRow> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(RowToToken(s));
  }
  return out;
}

Status SqlTokenStore::Revoke(Transaction& tx, std::string_view id, TimePoint at) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(Statement s, c.Prepare("UPDATE tokens SET revoked_us = coalesce(revoked_us, ?) "
                                          "WHERE id = ?"));
  s.Bind(1, ToMicros(at)).Bind(2, id);
  RETURN_IF_ERROR(s.Run());
  if (c.Changes() == 0) return Error::NotFound("no token " + std::string(id));
  return Ok();
}

Status SqlTokenStore::TouchLastUsed(Transaction& tx, std::string_view id, TimePoint at) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("UPDATE tokens SET last_used_us = ? WHERE id = ?"));
  s.Bind(1, ToMicros(at)).Bind(2, id);
  return s.Run();
}

}  // namespace provisio::store::sql
