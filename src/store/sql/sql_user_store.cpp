#include <string>

#include "store/sql/sql_directory_stores.h"
#include "store/sql/sql_scan.h"
#include "store/sql/sql_store.h"

namespace provisio::store::sql {
namespace {

constexpr std::string_view kUserColumns =
    "id, user_name, external_id, display_name, active, version, created_us, updated_us, resource";

UserRow RowToUser(const Statement& s) {
  UserRow u;
  u.id = s.String(0);
  u.user_name = s.String(1);
  u.external_id = s.OptString(2);
  u.display_name = s.String(3);
  u.active = s.Int(4) != 0;
  u.version = s.Int(5);
  u.created = FromMicros(s.Int(6));
  u.updated = FromMicros(s.Int(7));
  u.resource = s.String(8);
  return u;
}

Status WriteEmails(Connection& c, const UserRow& u) {
  ASSIGN_OR_RETURN(Statement del, c.Prepare("DELETE FROM user_emails WHERE user_id = ?"));
  del.Bind(1, u.id);
  RETURN_IF_ERROR(del.Run());
  if (u.emails.empty()) return Ok();
  ASSIGN_OR_RETURN(Statement ins,
                   c.Prepare("INSERT INTO user_emails (user_id, value) VALUES (?, ?)"));
  for (const auto& e : u.emails) {
    ins.Reset();
    ins.Bind(1, u.id).Bind(2, e);
    RETURN_IF_ERROR(ins.Run());
  }
  return Ok();
}

Status UniquenessMessage(Status st, const UserRow& u) {
  if (!st.ok() && st.error().code() == Code::kUniqueness) {
    return Error(Code::kUniqueness, "userName '" + u.user_name + "' is already taken",
                 {{"attribute", "userName"}});
  }
  return st;
}

}  // namespace

Status SqlUserStore::Insert(Transaction& tx, const UserRow& u) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(Statement s, c.Prepare("INSERT INTO users (id, user_name, external_id, "
                                          "display_name, active, version, created_us, "
                                          "updated_us, resource) VALUES (?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, u.id).Bind(2, u.user_name).Bind(3, u.external_id).Bind(4, u.display_name);
  s.Bind(5, u.active).Bind(6, u.version).Bind(7, ToMicros(u.created));
  s.Bind(8, ToMicros(u.updated)).Bind(9, u.resource);
  RETURN_IF_ERROR(UniquenessMessage(s.Run(), u));
  return WriteEmails(c, u);
}

Status SqlUserStore::Update(Transaction& tx, const UserRow& u) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(Statement s, c.Prepare("UPDATE users SET user_name = ?, external_id = ?, "
                                          "display_name = ?, active = ?, version = ?, "
                                          "updated_us = ?, resource = ? WHERE id = ?"));
  s.Bind(1, u.user_name).Bind(2, u.external_id).Bind(3, u.display_name).Bind(4, u.active);
  s.Bind(5, u.version).Bind(6, ToMicros(u.updated)).Bind(7, u.resource).Bind(8, u.id);
  RETURN_IF_ERROR(UniquenessMessage(s.Run(), u));
  if (c.Changes() == 0) return Error::NotFound("no user " + u.id);
  return WriteEmails(c, u);
}

Status SqlUserStore::Delete(Transaction& tx, std::string_view id) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(Statement s, c.Prepare("DELETE FROM users WHERE id = ?"));
  s.Bind(1, id);
  RETURN_IF_ERROR(s.Run());
  if (c.Changes() == 0) return Error::NotFound("no user " + std::string(id));
  ASSIGN_OR_RETURN(Statement m, c.Prepare("DELETE FROM group_members WHERE member_id = ?"));
  m.Bind(1, id);
  return m.Run();
}

Result<std::optional<UserRow>> SqlUserStore::Get(Transaction* tx, std::string_view id) {
  return store_.WithConn(tx, [&](Connection& c) -> Result<std::optional<UserRow>> {
    ASSIGN_OR_RETURN(Statement s,
                     c.Prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE id = ?" +
                               std::string(tx ? store_.dialect().lock_rows : "")));
    s.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<UserRow>();
    UserRow u = RowToUser(s);
    ASSIGN_OR_RETURN(Statement e, c.Prepare("SELECT value FROM user_emails WHERE user_id = ? "
                                            "ORDER BY rowid"));
    e.Bind(1, id);
    for (;;) {
      ASSIGN_OR_RETURN(bool more, e.Step());
      if (!more) break;
      u.emails.push_back(e.String(0));
    }
    return std::optional<UserRow>(std::move(u));
  });
}

Status SqlUserStore::Scan(const ScanSpec& spec, const Visitor<UserRow>& visit) {
  return ScanTable<UserRow>(store_, "users", kUserColumns, &RowToUser, spec, true, visit);
}

Result<int64_t> SqlUserStore::Count() {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare("SELECT count(*) FROM users"));
  ASSIGN_OR_RETURN(bool row, s.Step());
  (void)row;
  return s.Int(0);
}

}  // namespace provisio::store::sql
