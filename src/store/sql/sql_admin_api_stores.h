// Backend-neutral SQL implementations of the admin API's aggregates: sessions, connections,
// applications, assignments and the audit log.
#pragma once

#include "store/application_store.h"
#include "store/assignment_store.h"
#include "store/audit_store.h"
#include "store/connection_store.h"
#include "store/session_store.h"

namespace provisio::store::sql {

class SqlStore;

class SqlSessionStore final : public SessionStore {
 public:
  explicit SqlSessionStore(SqlStore& store) : store_(store) {}
  Status Insert(Transaction& tx, const SessionRow& session) override;
  Result<std::optional<SessionRow>> FindByHash(std::string_view id_hash) override;
  Status Touch(Transaction& tx, std::string_view id_hash, TimePoint at) override;
  Status Delete(Transaction& tx, std::string_view id_hash) override;
  Result<int64_t> DeleteForAdmin(Transaction& tx, std::string_view admin_id,
                                 std::string_view keep_hash) override;
  Result<int64_t> DeleteExpired(Transaction& tx, TimePoint idle_before, TimePoint now) override;

 private:
  SqlStore& store_;
};

class SqlConnectionStore final : public ConnectionStore {
 public:
  explicit SqlConnectionStore(SqlStore& store) : store_(store) {}
  Status Insert(Transaction& tx, const ConnectionRow& connection) override;
  Status Update(Transaction& tx, const ConnectionRow& connection) override;
  Status Delete(Transaction& tx, std::string_view id) override;
  Result<std::optional<ConnectionRow>> Get(Transaction* tx, std::string_view id) override;
  Result<std::vector<ConnectionRow>> List(Transaction* tx) override;

 private:
  SqlStore& store_;
};

class SqlApplicationStore final : public ApplicationStore {
 public:
  explicit SqlApplicationStore(SqlStore& store) : store_(store) {}
  Status Insert(Transaction& tx, const ApplicationRow& application) override;
  Status Update(Transaction& tx, const ApplicationRow& application) override;
  Status Delete(Transaction& tx, std::string_view id) override;
  Result<std::optional<ApplicationRow>> Get(Transaction* tx, std::string_view id) override;
  Result<std::vector<ApplicationRow>> List(Transaction* tx) override;
  Result<std::vector<ApplicationRow>> ListUsingConnection(Transaction* tx,
                                                          std::string_view connection_id) override;

 private:
  SqlStore& store_;
};

class SqlAssignmentStore final : public AssignmentStore {
 public:
  explicit SqlAssignmentStore(SqlStore& store) : store_(store) {}
  Status Insert(Transaction& tx, const AssignmentRow& assignment) override;
  Status Update(Transaction& tx, const AssignmentRow& assignment) override;
  Status Delete(Transaction& tx, std::string_view application_id, std::string_view id) override;
  Result<std::optional<AssignmentRow>> Get(Transaction* tx, std::string_view application_id,
                                           std::string_view id) override;
  Result<std::vector<AssignmentRow>> List(Transaction* tx,
                                          std::string_view application_id) override;

 private:
  SqlStore& store_;
};

class SqlAuditStore final : public AuditStore {
 public:
  explicit SqlAuditStore(SqlStore& store) : store_(store) {}
  Result<std::optional<AuditRow>> Last(Transaction& tx) override;
  Status Append(Transaction& tx, const AuditRow& row) override;
  Result<std::vector<AuditRow>> Query(const AuditQuery& query) override;
  Result<std::vector<AuditRow>> Scan(int64_t after_id, size_t limit) override;

 private:
  SqlStore& store_;
};

}  // namespace provisio::store::sql
