// Backend-neutral SQL implementations of the import engine's aggregates: import runs, source links
// and imported entitlements.
#pragma once

#include "store/entitlement_store.h"
#include "store/import_run_store.h"
#include "store/source_link_store.h"

namespace provisio::store::sql {

class SqlStore;

class SqlImportRunStore final : public ImportRunStore {
 public:
  explicit SqlImportRunStore(SqlStore& store) : store_(store) {}
  Status Insert(Transaction& tx, const ImportRunRow& run) override;
  Status Update(Transaction& tx, const ImportRunRow& run) override;
  Result<std::optional<ImportRunRow>> Get(Transaction* tx, std::string_view id) override;
  Result<std::vector<ImportRunRow>> ListByApplication(std::string_view application_id,
                                                      size_t limit) override;
  Result<std::vector<ImportRunRow>> ListByState(std::string_view state) override;
  Result<std::optional<ImportRunRow>> LastSucceeded(std::string_view application_id) override;
  Status DeleteAll(Transaction& tx, std::string_view application_id) override;

 private:
  SqlStore& store_;
};

class SqlSourceLinkStore final : public SourceLinkStore {
 public:
  explicit SqlSourceLinkStore(SqlStore& store) : store_(store) {}
  Status Upsert(Transaction& tx, const SourceLinkRow& link) override;
  Status Delete(Transaction& tx, std::string_view application_id, std::string_view kind,
                std::string_view source_id) override;
  Result<std::optional<SourceLinkRow>> Get(Transaction* tx, std::string_view application_id,
                                           std::string_view kind,
                                           std::string_view source_id) override;
  Result<std::optional<SourceLinkRow>> FindByName(Transaction* tx, std::string_view application_id,
                                                  std::string_view kind,
                                                  std::string_view source_name) override;
  Result<std::optional<SourceLinkRow>> FindBySubject(Transaction* tx,
                                                     std::string_view application_id,
                                                     std::string_view kind,
                                                     std::string_view subject_id) override;
  Status Scan(std::string_view application_id, std::string_view kind,
              std::string_view after_source_id, const Visitor<SourceLinkRow>& visit) override;
  Status DeleteAll(Transaction& tx, std::string_view application_id) override;

 private:
  Result<std::optional<SourceLinkRow>> One(Transaction* tx, std::string_view where,
                                           std::string_view app, std::string_view kind,
                                           std::string_view value);
  SqlStore& store_;
};

class SqlEntitlementStore final : public EntitlementStore {
 public:
  explicit SqlEntitlementStore(SqlStore& store) : store_(store) {}
  Status Upsert(Transaction& tx, const EntitlementRow& entitlement) override;
  Status DeleteUnseen(Transaction& tx, std::string_view application_id, std::string_view kind,
                      std::string_view run_id) override;
  Result<std::vector<EntitlementRow>> List(std::string_view application_id) override;
  Status DeleteAll(Transaction& tx, std::string_view application_id) override;

 private:
  SqlStore& store_;
};

}  // namespace provisio::store::sql
