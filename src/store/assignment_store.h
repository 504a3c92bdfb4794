// Assignments: a user or a group given access to an application, with the entitlements
// (roles, profiles) selected for it there. One row per (application, principal).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct AssignmentRow {
  std::string id;
  std::string application_id;
  std::string principal_type;  // "user" | "group"
  std::string principal_id;
  std::string entitlements;  // JSON array of entitlement ids
  TimePoint created;
  TimePoint updated;
};

class AssignmentStore {
 public:
  virtual ~AssignmentStore() = default;
  // kUniqueness when the principal is already assigned to the application.
  virtual Status Insert(Transaction& tx, const AssignmentRow& assignment) = 0;
  virtual Status Update(Transaction& tx, const AssignmentRow& assignment) = 0;
  virtual Status Delete(Transaction& tx, std::string_view application_id, std::string_view id) = 0;
  virtual Result<std::optional<AssignmentRow>> Get(Transaction* tx, std::string_view application_id,
                                                   std::string_view id) = 0;
  // The application's assignments, oldest first.
  virtual Result<std::vector<AssignmentRow>> List(Transaction* tx,
                                                  std::string_view application_id) = 0;
};

}  // namespace provisio::store
