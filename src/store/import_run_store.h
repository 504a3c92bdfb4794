// Import runs: one record per run of the import engine (importsync/), with its state, its
// counts, the first errors, and the cursor of the last committed page so a run interrupted
// by a crash resumes where it stopped.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct ImportRunRow {
  std::string id;
  std::string application_id;
  std::string state;  // "queued" | "running" | "succeeded" | "failed"
  std::string mode;   // "full" | "incremental"
  bool dry_run = false;
  std::string options;     // JSON object: the policies this run applies
  std::string phase;       // where a resumed run continues: "users" | "groups" | ... | "done"
  std::string cursor;      // the source's cursor after the last committed page of `phase`
  std::string high_water;  // the largest change marker seen (LDAP modifyTimestamp)
  std::string since;       // the marker an incremental run reads from ("" when full)
  std::string counts;      // JSON object {"read":N,...}
  std::string errors;      // JSON array of the first errors [{"source_id","message"}]
  std::string message;     // why a failed run failed
  TimePoint created;
  std::optional<TimePoint> started;
  std::optional<TimePoint> finished;
};

class ImportRunStore {
 public:
  virtual ~ImportRunStore() = default;
  virtual Status Insert(Transaction& tx, const ImportRunRow& run) = 0;
  // Writes every column; kNotFound when the id does not exist.
  virtual Status Update(Transaction& tx, const ImportRunRow& run) = 0;
  virtual Result<std::optional<ImportRunRow>> Get(Transaction* tx, std::string_view id) = 0;
  // An application's runs, newest first.
  virtual Result<std::vector<ImportRunRow>> ListByApplication(std::string_view application_id,
                                                              size_t limit) = 0;
  // Runs in a state, oldest first (the importer's queue: "queued" and "running").
  virtual Result<std::vector<ImportRunRow>> ListByState(std::string_view state) = 0;
  // The newest succeeded, non-dry run of an application (its high-water mark).
  virtual Result<std::optional<ImportRunRow>> LastSucceeded(std::string_view application_id) = 0;
  virtual Status DeleteAll(Transaction& tx, std::string_view application_id) = 0;
};

}  // namespace provisio::store
