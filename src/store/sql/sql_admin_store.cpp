#include "store/sql/sql_admin_store.h"

#include <string>

#include "store/sql/sql_store.h"

namespace provisio::store::sql {
namespace {

const std::string kSelect =
    "SELECT id, email, role, password_hash, disabled, created_us, updated_us FROM admins ";

AdminRecord RowToAdmin(const Statement& s) {
  AdminRecord a;
  a.id = s.String(0);
  a.email = s.String(1);
  a.role = s.String(2);
  a.password_hash = s.String(3);
  a.disabled = s.Int(4) != 0;
  a.created = FromMicros(s.Int(5));
  a.updated = FromMicros(s.Int(6));
  return a;
}

Result<std::optional<AdminRecord>> FindOne(SqlStore& store, std::string_view where,
                                           std::string_view arg) {
  auto reader = store.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare(kSelect + std::string(where)));
  s.Bind(1, arg);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<AdminRecord>();
  return std::optional<AdminRecord>(RowToAdmin(s));
}

}  // namespace

Status SqlAdminStore::Insert(Transaction& tx, const AdminRecord& a) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO admins (id, email, role, password_hash, "
                                      "disabled, created_us, updated_us) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, a.id).Bind(2, a.email).Bind(3, a.role).Bind(4, a.password_hash).Bind(5, a.disabled);
  s.Bind(6, ToMicros(a.created)).Bind(7, ToMicros(a.updated));
  auto st = s.Run();
  if (!st.ok() && st.error().code() == Code::kUniqueness) {
    return Error(Code::kUniqueness, "an administrator with email " + a.email + " already exists");
  }
  return st;
}

Status SqlAdminStore::Update(Transaction& tx, const AdminRecord& a) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("UPDATE admins SET email = ?, role = ?, password_hash = ?, "
                                      "disabled = ?, updated_us = ? WHERE id = ?"));
  s.Bind(1, a.email).Bind(2, a.role).Bind(3, a.password_hash).Bind(4, a.disabled);
  s.Bind(5, ToMicros(a.updated)).Bind(6, a.id);
  RETURN_IF_ERROR(s.Run());
  if (TxConn(tx).Changes() == 0) return Error::NotFound("no administrator " + a.id);
  return Ok();
}

Status SqlAdminStore::Delete(Transaction& tx, std::string_view id) {
  ASSIGN_OR_RETURN(Statement s, TxConn(tx).Prepare("DELETE FROM admins WHERE id = ?"));
  s.Bind(1, id);
  RETURN_IF_ERROR(s.Run());
  if (TxConn(tx).Changes() == 0) return Error::NotFound("no administrator " + std::string(id));
  return Ok();
}

Result<std::optional<AdminRecord>> SqlAdminStore::FindById(std::string_view id) {
  return FindOne(store_, "WHERE id = ?", id);
}

Result<std::optional<AdminRecord>> SqlAdminStore::FindByEmail(std::string_view email) {
  return FindOne(store_, "WHERE email = ? COLLATE NOCASE", email);
}

Result<std::vector<AdminRecord>> SqlAdminStore::List() {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare(kSelect + "ORDER BY email COLLATE NOCASE"));
  std::vector<AdminRecord> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(RowToAdmin(s));
  }
  return out;
}

Result<int64_t> SqlAdminStore::Count() {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare("SELECT count(*) FROM admins"));
  ASSIGN_OR_RETURN(bool row, s.Step());
  (void)row;
  return s.Int(0);
}

}  // namespace provisio::store::sql
