// Account links: which target account stands for which portal user (or group) in an
// application, and the hash of what was last pushed there, so a sync decides "nothing to
// do" from the store alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"
#include "store/user_store.h"

namespace provisio::store {

struct AccountLinkRow {
  std::string application_id;
  std::string subject_type;  // "user" | "group"
  std::string subject_id;
  std::string target_id;     // the target's id for the account ("" before it exists)
  std::string state;         // "active" | "disabled" | "deleted"
  std::string desired_hash;  // hash of the representation last pushed
  std::string desired;       // that representation (JSON), for minimal updates
  std::string last_error;
  TimePoint updated;
};

class AccountLinkStore {
 public:
  virtual ~AccountLinkStore() = default;
  virtual Status Upsert(Transaction& tx, const AccountLinkRow& link) = 0;
  virtual Status Delete(Transaction& tx, std::string_view application_id,
                        std::string_view subject_type, std::string_view subject_id) = 0;
  virtual Result<std::optional<AccountLinkRow>> Get(Transaction* tx,
                                                    std::string_view application_id,
                                                    std::string_view subject_type,
                                                    std::string_view subject_id) = 0;
  // An application's links in subject-id order, resuming after `after_subject_id`.
  virtual Status Scan(std::string_view application_id, std::string_view subject_type,
                      std::string_view after_subject_id, const Visitor<AccountLinkRow>& visit) = 0;
  // The links whose subject id is after `after_subject_id` and at most `upto_subject_id`, in
  // subject-id order (the store's own order, the same as UserStore::Scan's), for walking an
  // application's links beside a page of users.
  virtual Status ScanRange(std::string_view application_id, std::string_view subject_type,
                           std::string_view after_subject_id, std::string_view upto_subject_id,
                           const Visitor<AccountLinkRow>& visit) = 0;
  // The subjects whose desired_hash ends with `suffix` (a marker the engine appends while
  // something the push needed was missing), in subject-id order.
  virtual Result<std::vector<std::string>> WithHashSuffix(std::string_view application_id,
                                                          std::string_view subject_type,
                                                          std::string_view suffix) = 0;
  virtual Status DeleteAll(Transaction& tx, std::string_view application_id) = 0;
};

}  // namespace provisio::store
