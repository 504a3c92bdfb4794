#include <string>

#include "store/sql/sql_admin_api_stores.h"
#include "store/sql/sql_store.h"

namespace provisio::store::sql {
namespace {

const std::string kSelectApp =
    "SELECT id, template, name, description, capabilities, connection_id, settings, mappings, "
    "state, created_us, updated_us FROM applications ";

ApplicationRow RowToApplication(const Statement& s) {
  ApplicationRow a;
  a.id = s.String(0);
  a.template_id = s.String(1);
  a.name = s.String(2);
  a.description = s.String(3);
  a.capabilities = s.String(4);
  a.connection_id = s.OptString(5);
  a.settings = s.String(6);
  a.mappings = s.String(7);
  a.state = s.String(8);
  a.created = FromMicros(s.Int(9));
  a.updated = FromMicros(s.Int(10));
  return a;
}

Error AppNameTaken(const ApplicationRow& a) {
  return Error(Code::kUniqueness, "an application named '" + a.name + "' already exists",
               {{"field", "name"}});
}

template <typename Row>
Result<std::vector<Row>> Collect(Statement& s, Row (*to_row)(const Statement&)) {
  std::vector<Row> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(to_row(s));
  }
  return out;
}

const std::string kSelectAssignment =
    "SELECT id, application_id, principal_type, principal_id, entitlements, created_us, "
    "updated_us FROM assignments ";

AssignmentRow RowToAssignment(const Statement& s) {
  AssignmentRow a;
  a.id = s.String(0);
  a.application_id = s.String(1);
  a.principal_type = s.String(2);
  a.principal_id = s.String(3);
  a.entitlements = s.String(4);
  a.created = FromMicros(s.Int(5));
  a.updated = FromMicros(s.Int(6));
  return a;
}

}  // namespace

Status SqlApplicationStore::Insert(Transaction& tx, const ApplicationRow& a) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO applications (id, template, name, description, "
                                      "capabilities, connection_id, settings, mappings, state, "
                                      "created_us, updated_us) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, a.id).Bind(2, a.template_id).Bind(3, a.name).Bind(4, a.description);
  s.Bind(5, a.capabilities).Bind(6, a.connection_id).Bind(7, a.settings).Bind(8, a.mappings);
  s.Bind(9, a.state).Bind(10, ToMicros(a.created)).Bind(11, ToMicros(a.updated));
  auto st = s.Run();
  if (!st.ok() && st.error().code() == Code::kUniqueness) return AppNameTaken(a);
  return st;
}

Status SqlApplicationStore::Update(Transaction& tx, const ApplicationRow& a) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("UPDATE applications SET template = ?, name = ?, "
                                      "description = ?, capabilities = ?, connection_id = ?, "
                                      "settings = ?, mappings = ?, state = ?, updated_us = ? "
                                      "WHERE id = ?"));
  s.Bind(1, a.template_id).Bind(2, a.name).Bind(3, a.description).Bind(4, a.capabilities);
  s.Bind(5, a.connection_id).Bind(6, a.settings).Bind(7, a.mappings).Bind(8, a.state);
  s.Bind(9, ToMicros(a.updated)).Bind(10, a.id);
  auto st = s.Run();
  if (!st.ok() && st.error().code() == Code::kUniqueness) return AppNameTaken(a);
  RETURN_IF_ERROR(st);
  if (TxConn(tx).Changes() == 0) return Error::NotFound("no application " + a.id);
  return Ok();
}

Status SqlApplicationStore::Delete(Transaction& tx, std::string_view id) {
  // Assignments go by ON DELETE CASCADE.
  ASSIGN_OR_RETURN(Statement s, TxConn(tx).Prepare("DELETE FROM applications WHERE id = ?"));
  s.Bind(1, id);
  RETURN_IF_ERROR(s.Run());
  if (TxConn(tx).Changes() == 0) return Error::NotFound("no application " + std::string(id));
  return Ok();
}

Result<std::optional<ApplicationRow>> SqlApplicationStore::Get(Transaction* tx,
                                                               std::string_view id) {
  return store_.WithConn(tx, [&](Connection& conn) -> Result<std::optional<ApplicationRow>> {
    ASSIGN_OR_RETURN(Statement s, conn.Prepare(kSelectApp + "WHERE id = ?"));
    s.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<ApplicationRow>();
    return std::optional<ApplicationRow>(RowToApplication(s));
  });
}

Result<std::vector<ApplicationRow>> SqlApplicationStore::List(Transaction* tx) {
  return store_.WithConn(tx, [&](Connection& conn) -> Result<std::vector<ApplicationRow>> {
    ASSIGN_OR_RETURN(Statement s, conn.Prepare(kSelectApp + "ORDER BY name COLLATE NOCASE, id"));
    return Collect(s, RowToApplication);
  });
}

Result<std::vector<ApplicationRow>> SqlApplicationStore::ListUsingConnection(
    Transaction* tx, std::string_view connection_id) {
  return store_.WithConn(tx, [&](Connection& conn) -> Result<std::vector<ApplicationRow>> {
    ASSIGN_OR_RETURN(Statement s, conn.Prepare(kSelectApp + "WHERE connection_id = ? "
                                                            "ORDER BY name COLLATE NOCASE, id"));
    s.Bind(1, connection_id);
    return Collect(s, RowToApplication);
  });
}

Status SqlAssignmentStore::Insert(Transaction& tx, const AssignmentRow& a) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO assignments (id, application_id, "
                                      "principal_type, principal_id, entitlements, created_us, "
                                      "updated_us) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, a.id).Bind(2, a.application_id).Bind(3, a.principal_type).Bind(4, a.principal_id);
  s.Bind(5, a.entitlements).Bind(6, ToMicros(a.created)).Bind(7, ToMicros(a.updated));
  auto st = s.Run();
  if (!st.ok() && st.error().code() == Code::kUniqueness) {
    return Error(Code::kUniqueness,
                 "that " + a.principal_type + " is already assigned to the application",
                 {{"field", a.principal_type + "_id"}});
  }
  return st;
}

Status SqlAssignmentStore::Update(Transaction& tx, const AssignmentRow& a) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("UPDATE assignments SET entitlements = ?, updated_us = ? "
                                      "WHERE id = ? AND application_id = ?"));
  s.Bind(1, a.entitlements).Bind(2, ToMicros(a.updated)).Bind(3, a.id).Bind(4, a.application_id);
  RETURN_IF_ERROR(s.Run());
  if (TxConn(tx).Changes() == 0) return Error::NotFound("no assignment " + a.id);
  return Ok();
}

Status SqlAssignmentStore::Delete(Transaction& tx, std::string_view application_id,
                                  std::string_view id) {
  ASSIGN_OR_RETURN(Statement s, TxConn(tx).Prepare(
                                    "DELETE FROM assignments WHERE id = ? AND application_id = ?"));
  s.Bind(1, id).Bind(2, application_id);
  RETURN_IF_ERROR(s.Run());
  if (TxConn(tx).Changes() == 0) return Error::NotFound("no assignment " + std::string(id));
  return Ok();
}

Result<std::optional<AssignmentRow>> SqlAssignmentStore::Get(Transaction* tx,
                                                             std::string_view application_id,
                                                             std::string_view id) {
  return store_.WithConn(tx, [&](Connection& conn) -> Result<std::optional<AssignmentRow>> {
    ASSIGN_OR_RETURN(Statement s,
                     conn.Prepare(kSelectAssignment + "WHERE id = ? AND application_id = ?"));
    s.Bind(1, id).Bind(2, application_id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<AssignmentRow>();
    return std::optional<AssignmentRow>(RowToAssignment(s));
  });
}

Result<std::vector<AssignmentRow>> SqlAssignmentStore::List(Transaction* tx,
                                                            std::string_view application_id) {
  return store_.WithConn(tx, [&](Connection& conn) -> Result<std::vector<AssignmentRow>> {
    ASSIGN_OR_RETURN(Statement s, conn.Prepare(kSelectAssignment + "WHERE application_id = ? "
                                                                   "ORDER BY created_us, id"));
    s.Bind(1, application_id);
    return Collect(s, RowToAssignment);
  });
}

}  // namespace provisio::store::sql
