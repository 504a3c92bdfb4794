// Admin console sessions, kept as hashes only: the cookie's secret never reaches the store,
// so a copy of the database opens no session.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct SessionRow {
  std::string id_hash;    // hex SHA-256 of the cookie's session id
  std::string admin_id;   // the admin signed in; the row goes when the admin does
  std::string csrf_hash;  // hex SHA-256 of the CSRF token handed out at sign-in
  std::string source_address;
  TimePoint created;
  TimePoint last_seen;  // for the idle expiry
  TimePoint expires;    // the absolute expiry
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual Status Insert(Transaction& tx, const SessionRow& session) = 0;
  virtual Result<std::optional<SessionRow>> FindByHash(std::string_view id_hash) = 0;
  virtual Status Touch(Transaction& tx, std::string_view id_hash, TimePoint at) = 0;
  // kNotFound when there is no such session.
  virtual Status Delete(Transaction& tx, std::string_view id_hash) = 0;
  // Ends every session of the admin except `keep_hash` (may be empty); returns how many.
  virtual Result<int64_t> DeleteForAdmin(Transaction& tx, std::string_view admin_id,
                                         std::string_view keep_hash) = 0;
  // Removes sessions idle since before `idle_before` or past their absolute expiry at `now`.
  virtual Result<int64_t> DeleteExpired(Transaction& tx, TimePoint idle_before, TimePoint now) = 0;
};

}  // namespace provisio::store
