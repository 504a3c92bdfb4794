// Backend-neutral SQL implementations of the provisioning engine's aggregates: account links, the
// work queue and the provisioning log.
#pragma once

#include "store/account_link_store.h"
#include "store/provisioning_log_store.h"
#include "store/work_queue.h"

namespace provisio::store::sql {

class SqlStore;

class SqlAccountLinkStore final : public AccountLinkStore {
 public:
  explicit SqlAccountLinkStore(SqlStore& store) : store_(store) {}
  Status Upsert(Transaction& tx, const AccountLinkRow& link) override;
  Status Delete(Transaction& tx, std::string_view application_id, std::string_view subject_type,
                std::string_view subject_id) override;
  Result<std::optional<AccountLinkRow>> Get(Transaction* tx, std::string_view application_id,
                                            std::string_view subject_type,
                                            std::string_view subject_id) override;
  Status Scan(std::string_view application_id, std::string_view subject_type,
              std::string_view after_subject_id, const Visitor<AccountLinkRow>& visit) override;
  Status ScanRange(std::string_view application_id, std::string_view subject_type,
                   std::string_view after_subject_id, std::string_view upto_subject_id,
                   const Visitor<AccountLinkRow>& visit) override;
  Result<std::vector<std::string>> WithHashSuffix(std::string_view application_id,
                                                  std::string_view subject_type,
                                                  std::string_view suffix) override;
  Status DeleteAll(Transaction& tx, std::string_view application_id) override;

 private:
  SqlStore& store_;
};

class SqlWorkQueue final : public WorkQueue {
 public:
  explicit SqlWorkQueue(SqlStore& store) : store_(store) {}
  Status Enqueue(Transaction& tx, const std::vector<WorkKey>& keys, std::string_view mode,
                 TimePoint now) override;
  Result<int64_t> EnqueueAbsent(Transaction& tx, const std::vector<WorkKey>& keys,
                                std::string_view mode, TimePoint now) override;
  Result<std::vector<WorkItem>> Lease(std::string_view owner, size_t max, TimePoint now,
                                      std::chrono::milliseconds lease) override;
  Status Complete(Transaction& tx, const WorkItem& item) override;
  Status Retry(Transaction& tx, const WorkItem& item, TimePoint not_before,
               std::string_view error) override;
  Status Defer(Transaction& tx, const WorkItem& item, TimePoint not_before,
               std::string_view reason) override;
  Result<int64_t> ReleaseLeases(Transaction& tx, std::string_view owner) override;
  Status Bury(Transaction& tx, const WorkItem& item, std::string_view error) override;
  Result<std::vector<WorkItem>> ListDead(std::string_view application_id,
                                         const std::optional<WorkKey>& after,
                                         size_t limit) override;
  Result<int64_t> Revive(Transaction& tx, std::string_view application_id, TimePoint now) override;
  Result<std::vector<QueueCounts>> Counts(TimePoint now) override;
  Status DeleteAll(Transaction& tx, std::string_view application_id) override;

 private:
  SqlStore& store_;
};

class SqlProvisioningLogStore final : public ProvisioningLogStore {
 public:
  explicit SqlProvisioningLogStore(SqlStore& store) : store_(store) {}
  Status Append(Transaction& tx, const ProvisioningLogEntry& entry) override;
  Result<std::vector<ProvisioningLogEntry>> Query(const LogQuery& query) override;

 private:
  SqlStore& store_;
};

}  // namespace provisio::store::sql
