// Source links: which account of an import source stands for which portal user or group,
// with the hash of the representation last imported (unchanged records are skipped) and
// the run that last saw it (accounts a full listing no longer returns are gone).
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"
#include "store/user_store.h"

namespace provisio::store {

struct SourceLinkRow {
  std::string application_id;
  std::string kind;         // "user" | "group"
  std::string source_id;    // the source's stable id (entryUUID, SCIM id)
  std::string source_name;  // a second name members refer to (an LDAP DN), "" when none
  std::string subject_id;   // the portal user or group ("" while held)
  std::string state;        // "active" | "held" | "gone"
  std::string hash;         // of the mapped representation last imported
  std::string seen_run;     // the run that last read it
  std::string detail;       // JSON object: why it is held, candidates
  TimePoint updated;
};

class SourceLinkStore {
 public:
  virtual ~SourceLinkStore() = default;
  virtual Status Upsert(Transaction& tx, const SourceLinkRow& link) = 0;
  virtual Status Delete(Transaction& tx, std::string_view application_id, std::string_view kind,
                        std::string_view source_id) = 0;
  virtual Result<std::optional<SourceLinkRow>> Get(Transaction* tx, std::string_view application_id,
                                                   std::string_view kind,
                                                   std::string_view source_id) = 0;
  // By source_name, case-insensitively (DNs are).
  virtual Result<std::optional<SourceLinkRow>> FindByName(Transaction* tx,
                                                          std::string_view application_id,
                                                          std::string_view kind,
                                                          std::string_view source_name) = 0;
  // The active link to a portal subject, if any.
  virtual Result<std::optional<SourceLinkRow>> FindBySubject(Transaction* tx,
                                                             std::string_view application_id,
                                                             std::string_view kind,
                                                             std::string_view subject_id) = 0;
  // An application's links of a kind in source-id order, resuming after `after_source_id`.
  virtual Status Scan(std::string_view application_id, std::string_view kind,
                      std::string_view after_source_id, const Visitor<SourceLinkRow>& visit) = 0;
  virtual Status DeleteAll(Transaction& tx, std::string_view application_id) = 0;
};

}  // namespace provisio::store
