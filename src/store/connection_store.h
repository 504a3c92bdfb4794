// Application connections: where a target lives and how to authenticate to it. Secret
// fields arrive here already sealed (security::SecretBox); the store never sees plaintext.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct ConnectionRow {
  std::string id;
  std::string name;  // unique, case-insensitively
  std::string type;  // a catalog connection type: "scim2", "salesforce", ...
  std::string base_url;
  std::string auth_kind;    // "bearer", "basic", ...
  std::string auth_fields;  // JSON object of the auth kind's non-secret fields
  std::string secrets;      // sealed JSON object of the secret fields ("" when none)
  std::string settings;     // JSON object (LDAP: base_dn, user_filter, group_filter)
  TimePoint created;
  TimePoint updated;
};

class ConnectionStore {
 public:
  virtual ~ConnectionStore() = default;
  // kUniqueness when the name is taken.
  virtual Status Insert(Transaction& tx, const ConnectionRow& connection) = 0;
  // kNotFound when the id does not exist; kUniqueness when the new name is taken.
  virtual Status Update(Transaction& tx, const ConnectionRow& connection) = 0;
  virtual Status Delete(Transaction& tx, std::string_view id) = 0;
  virtual Result<std::optional<ConnectionRow>> Get(Transaction* tx, std::string_view id) = 0;
  // Every connection, by name.
  virtual Result<std::vector<ConnectionRow>> List(Transaction* tx) = 0;
};

}  // namespace provisio::store
