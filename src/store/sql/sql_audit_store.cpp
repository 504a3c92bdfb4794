#include <string>

#include "store/sql/sql_admin_api_stores.h"
#include "store/sql/sql_store.h"

namespace provisio::store::sql {
namespace {

const std::string kSelect =
    "SELECT id, at_us, actor_kind, actor_id, actor_name, source_address, action, object_type, "
    "object_id, outcome, before_json, after_json, prev_hash, hash FROM audit_log ";

AuditRow RowToAudit(const Statement& s) {
  AuditRow r;
  r.id = s.Int(0);
  r.at = FromMicros(s.Int(1));
  r.actor_kind = s.String(2);
  r.actor_id = s.String(3);
  r.actor_name = s.String(4);
  r.source_address = s.String(5);
  r.action = s.String(6);
  r.object_type = s.String(7);
  r.object_id = s.String(8);
  r.outcome = s.String(9);
  r.before = s.OptString(10);
  r.after = s.OptString(11);
  r.prev_hash = s.String(12);
  r.hash = s.String(13);
  return r;
}

Result<std::vector<AuditRow>> Collect(Statement& s) {
  std::vector<AuditRow> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(RowToAudit(s));
  }
  return out;
}

}  // namespace

Result<std::optional<AuditRow>> SqlAuditStore::Last(Transaction& tx) {
  // The caller appends the row that extends this one: hold other nodes' appends until then.
  if (!store_.dialect().serialize_audit.empty()) {
    RETURN_IF_ERROR(TxConn(tx).Exec(store_.dialect().serialize_audit));
  }
  ASSIGN_OR_RETURN(Statement s, TxConn(tx).Prepare(kSelect + "ORDER BY id DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<AuditRow>();
  return std::optional<AuditRow>(RowToAudit(s));
}

Status SqlAuditStore::Append(Transaction& tx, const AuditRow& r) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO audit_log (id, at_us, actor_kind, actor_id, "
                                      "actor_name, source_address, action, object_type, "
                                      "object_id, outcome, before_json, after_json, prev_hash, "
                                      "hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, r.id).Bind(2, ToMicros(r.at)).Bind(3, r.actor_kind).Bind(4, r.actor_id);
  s.Bind(5, r.actor_name).Bind(6, r.source_address).Bind(7, r.action).Bind(8, r.object_type);
  s.Bind(9, r.object_id).Bind(10, r.outcome).Bind(11, r.before).Bind(12, r.after);
  s.Bind(13, r.prev_hash).Bind(14, r.hash);
  auto st = s.Run();
  if (!st.ok() && st.error().code() == Code::kUniqueness) {
    return Error::Conflict("audit row " + std::to_string(r.id) + " exists already");
  }
  return st;
}

Result<std::vector<AuditRow>> SqlAuditStore::Query(const AuditQuery& q) {
  std::string sql = kSelect + "WHERE 1=1";
  if (!q.actor_id.empty()) sql += " AND actor_id = ?";
  if (!q.object_id.empty()) sql += " AND object_id = ?";
  if (q.before_id > 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare(sql));
  int i = 1;
  if (!q.actor_id.empty()) s.Bind(i++, q.actor_id);
  if (!q.object_id.empty()) s.Bind(i++, q.object_id);
  if (q.before_id > 0) s.Bind(i++, q.before_id);
  s.Bind(i++, static_cast<int64_t>(q.limit));
  return Collect(s);
}

Result<std::vector<AuditRow>> SqlAuditStore::Scan(int64_t after_id, size_t limit) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare(kSelect + "WHERE id > ? ORDER BY id LIMIT ?"));
  s.Bind(1, after_id).Bind(2, static_cast<int64_t>(limit));
  return Collect(s);
}

}  // namespace provisio::store::sql
