// Portal users as stored: the SCIM resource as JSON text plus the columns that are indexed
// (userName, externalId, displayName, emails.value, lastModified). The directory owns the
// meaning; the store only keeps rows and answers indexed lookups.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct UserRow {
  std::string id;
  std::string user_name;  // unique, case-insensitively
  std::optional<std::string> external_id;
  std::string display_name;
  bool active = true;
  std::vector<std::string> emails;  // every emails[].value, for the index
  int64_t version = 1;              // bumped on every write; the ETag
  TimePoint created;
  TimePoint updated;
  std::string resource;  // SCIM JSON without id, meta and groups (those are derived)
};

// What a scan may be narrowed by. The rows a scan visits are a superset of the rows the
// caller's full filter matches; the caller evaluates the filter on each.
struct ScanSpec {
  enum class Field { kId, kUserName, kExternalId, kEmail, kDisplayName };
  struct Lookup {
    Field field;
    std::string value;  // compared case-insensitively except kId and kExternalId
  };
  std::optional<Lookup> lookup;
  std::optional<TimePoint> modified_after;  // updated > t (or >= t when inclusive)
  bool modified_inclusive = false;
  std::string after_id;  // resume after this id (rows come in id order)
  size_t offset = 0;     // skip this many rows first (SCIM startIndex without a filter)
  size_t page_size = 512;
};

// Called per row; return false to stop the scan.
template <typename Row>
using Visitor = std::function<bool(const Row&)>;

class UserStore {
 public:
  virtual ~UserStore() = default;
  // kUniqueness when userName is taken.
  virtual Status Insert(Transaction& tx, const UserRow& user) = 0;
  // Writes every column of `user`; kNotFound when the id does not exist.
  virtual Status Update(Transaction& tx, const UserRow& user) = 0;
  virtual Status Delete(Transaction& tx, std::string_view id) = 0;
  // With a transaction the read sees its uncommitted writes (read-modify-write).
  virtual Result<std::optional<UserRow>> Get(Transaction* tx, std::string_view id) = 0;
  virtual Status Scan(const ScanSpec& spec, const Visitor<UserRow>& visit) = 0;
  virtual Result<int64_t> Count() = 0;
};

}  // namespace provisio::store
