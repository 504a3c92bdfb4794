#include "store/sql/sql_admin_api_stores.h"
#include "store/sql/sql_store.h"

namespace provisio::store::sql {

Status SqlSessionStore::Insert(Transaction& tx, const SessionRow& s) {
  ASSIGN_OR_RETURN(Statement st,
                   TxConn(tx).Prepare("INSERT INTO sessions (id_hash, admin_id, csrf_hash, "
                                      "source_address, created_us, last_seen_us, expires_us) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, s.id_hash).Bind(2, s.admin_id).Bind(3, s.csrf_hash).Bind(4, s.source_address);
  st.Bind(5, ToMicros(s.created)).Bind(6, ToMicros(s.last_seen)).Bind(7, ToMicros(s.expires));
  return st.Run();
}

Result<std::optional<SessionRow>> SqlSessionStore::FindByHash(std::string_view id_hash) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement st,
                   reader->Prepare("SELECT id_hash, admin_id, csrf_hash, source_address, "
                                   "created_us, last_seen_us, expires_us FROM sessions "
                                   "WHERE id_hash = ?"));
  st.Bind(1, id_hash);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<SessionRow>();
  SessionRow s;
  s.id_hash = st.String(0);
  s.admin_id = st.String(1);
  s.csrf_hash = st.String(2);
  s.source_address = st.String(3);
  s.created = FromMicros(st.Int(4));
  s.last_seen = FromMicros(st.Int(5));
  s.expires = FromMicros(st.Int(6));
  return std::optional<SessionRow>(std::move(s));
}

Status SqlSessionStore::Touch(Transaction& tx, std::string_view id_hash, TimePoint at) {
  ASSIGN_OR_RETURN(Statement st,
                   TxConn(tx).Prepare("UPDATE sessions SET last_seen_us = ? WHERE id_hash = ?"));
  st.Bind(1, ToMicros(at)).Bind(2, id_hash);
  return st.Run();
}

Status SqlSessionStore::Delete(Transaction& tx, std::string_view id_hash) {
  ASSIGN_OR_RETURN(Statement st, TxConn(tx).Prepare("DELETE FROM sessions WHERE id_hash = ?"));
  st.Bind(1, id_hash);
  RETURN_IF_ERROR(st.Run());
  if (TxConn(tx).Changes() == 0) return Error::NotFound("no such session");
  return Ok();
}

Result<int64_t> SqlSessionStore::DeleteForAdmin(Transaction& tx, std::string_view admin_id,
                                                std::string_view keep_hash) {
  ASSIGN_OR_RETURN(Statement st,
                   TxConn(tx).Prepare("DELETE FROM sessions WHERE admin_id = ? AND id_hash <> ?"));
  st.Bind(1, admin_id).Bind(2, keep_hash);
  RETURN_IF_ERROR(st.Run());
  return TxConn(tx).Changes();
}

Result<int64_t> SqlSessionStore::DeleteExpired(Transaction& tx, TimePoint idle_before,
                                               TimePoint now) {
  ASSIGN_OR_RETURN(Statement st,
                   TxConn(tx).Prepare("DELETE FROM sessions WHERE last_seen_us < ? OR "
                                      "expires_us <= ?"));
  st.Bind(1, ToMicros(idle_before)).Bind(2, ToMicros(now));
  RETURN_IF_ERROR(st.Run());
  return TxConn(tx).Changes();
}

}  // namespace provisio::store::sql
