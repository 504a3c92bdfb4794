// The audit log as stored: append-only rows, each carrying the hash that chains it to the
// row before. The store keeps and returns rows; apps/audit_log.h computes and checks hashes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct AuditRow {
  int64_t id = 0;  // 1, 2, 3, ... in append order
  TimePoint at;
  std::string actor_kind;  // "session" | "api_token" | "anonymous" | "system"
  std::string actor_id;
  std::string actor_name;
  std::string source_address;
  std::string action;  // "connection.create", "session.login_failed", ...
  std::string object_type;
  std::string object_id;
  std::string outcome;                // "success" | "failure"
  std::optional<std::string> before;  // JSON, secrets redacted
  std::optional<std::string> after;
  std::string prev_hash;  // hash of row id-1 ("" for the first row)
  std::string hash;
};

struct AuditQuery {
  std::string actor_id;   // "" = any
  std::string object_id;  // "" = any
  int64_t before_id = 0;  // > 0: only rows older than this id (paging)
  size_t limit = 100;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // The newest row, read inside the writing transaction so appends chain without gaps.
  virtual Result<std::optional<AuditRow>> Last(Transaction& tx) = 0;
  // kConflict when the id is taken.
  virtual Status Append(Transaction& tx, const AuditRow& row) = 0;
  // Newest first.
  virtual Result<std::vector<AuditRow>> Query(const AuditQuery& query) = 0;
  // Rows with id > after_id, oldest first, at most `limit` (for chain verification).
  virtual Result<std::vector<AuditRow>> Scan(int64_t after_id, size_t limit) = 0;
};

}  // namespace provisio::store
