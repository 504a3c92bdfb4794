// The provisioning log: one entry per action taken (or skipped) on a target account.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct ProvisioningLogEntry {
  int64_t id = 0;
  TimePoint at;
  std::string application_id;
  std::string subject_type;
  std::string subject_id;
  std::string
      action;  // "create" | "link" | "update" | "disable" | "enable" | "delete" | "noop" | "skip"
  std::string status;  // "success" | "failure" | "retrying" | "dry_run"
  std::string target_id;
  int64_t attempts = 1;
  int64_t duration_us = 0;
  std::string error;
  std::string detail;  // JSON
  std::string node;    // the node that did it (several nodes may share one database)
};

struct LogQuery {
  std::string application_id;  // "" for any
  std::string subject_id;
  std::string status;
  std::string action;     // "" for any
  int64_t before_id = 0;  // 0: newest first from the top
  size_t limit = 100;
};

class ProvisioningLogStore {
 public:
  virtual ~ProvisioningLogStore() = default;
  virtual Status Append(Transaction& tx, const ProvisioningLogEntry& entry) = 0;
  // Newest first.
  virtual Result<std::vector<ProvisioningLogEntry>> Query(const LogQuery& query) = 0;
};

}  // namespace provisio::store
