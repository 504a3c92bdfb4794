// Entitlements imported from an application: its roles, profiles, licences and groups, so an
// admin can assign them in Provisio afterwards.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct EntitlementRow {
  std::string application_id;
  std::string entitlement_id;  // the application's id for it
  std::string kind;            // "role" | "profile" | "license" | "group" | ...
  std::string display_name;
  std::string attributes;  // JSON object as the application describes it
  std::string seen_run;    // the import run that last read it
  TimePoint updated;
};

class EntitlementStore {
 public:
  virtual ~EntitlementStore() = default;
  virtual Status Upsert(Transaction& tx, const EntitlementRow& entitlement) = 0;
  // Removes an application's entitlements of `kind` that run `run_id` did not see.
  virtual Status DeleteUnseen(Transaction& tx, std::string_view application_id,
                              std::string_view kind, std::string_view run_id) = 0;
  // An application's entitlements by kind, then id.
  virtual Result<std::vector<EntitlementRow>> List(std::string_view application_id) = 0;
  virtual Status DeleteAll(Transaction& tx, std::string_view application_id) = 0;
};

}  // namespace provisio::store
