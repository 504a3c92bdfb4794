// Applications: a catalog template made concrete, with its capabilities, the connection it
// uses, settings and attribute mappings. Assignments are their own aggregate
// (assignment_store.h) and go with their application.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct ApplicationRow {
  std::string id;
  std::string template_id;  // catalog template: "scim2", "salesforce", ...
  std::string name;         // unique, case-insensitively
  std::string description;
  std::string capabilities;  // JSON array of strings
  std::optional<std::string> connection_id;
  std::string settings;  // JSON object
  std::string mappings;  // JSON array of {target, source, strength}
  std::string state;     // "draft" | "active" | "paused" | "quarantined"
  TimePoint created;
  TimePoint updated;
};

class ApplicationStore {
 public:
  virtual ~ApplicationStore() = default;
  // kUniqueness when the name is taken.
  virtual Status Insert(Transaction& tx, const ApplicationRow& application) = 0;
  // kNotFound when the id does not exist.
  virtual Status Update(Transaction& tx, const ApplicationRow& application) = 0;
  // Removes its assignments too. kNotFound when the id does not exist.
  virtual Status Delete(Transaction& tx, std::string_view id) = 0;
  virtual Result<std::optional<ApplicationRow>> Get(Transaction* tx, std::string_view id) = 0;
  // Every application, by name.
  virtual Result<std::vector<ApplicationRow>> List(Transaction* tx) = 0;
  // The applications bound to a connection, by name.
  virtual Result<std::vector<ApplicationRow>> ListUsingConnection(
      Transaction* tx, std::string_view connection_id) = 0;
};

}  // namespace provisio::store
