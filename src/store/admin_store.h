// Administrator accounts of the console and the REST API (not directory users).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct AdminRecord {
  std::string id;
  std::string email;          // unique, compared case-insensitively
  std::string role;           // "super-admin" | "admin" | "operator"
  std::string password_hash;  // Argon2id encoded string; never leaves the server
  bool disabled = false;
  TimePoint created;
  TimePoint updated;
};

class AdminStore {
 public:
  virtual ~AdminStore() = default;
  // kUniqueness when the email is taken.
  virtual Status Insert(Transaction& tx, const AdminRecord& admin) = 0;
  virtual Status Update(Transaction& tx, const AdminRecord& admin) = 0;
  virtual Status Delete(Transaction& tx, std::string_view id) = 0;
  virtual Result<std::optional<AdminRecord>> FindById(std::string_view id) = 0;
  virtual Result<std::optional<AdminRecord>> FindByEmail(std::string_view email) = 0;
  virtual Result<std::vector<AdminRecord>> List() = 0;
  virtual Result<int64_t> Count() = 0;
};

}  // namespace provisio::store
