// The directory's change feed: a durable, ordered outbox written in the same transaction
// as the change it describes, read by consumers (provisioning) that keep their own cursor.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct ChangeEvent {
  int64_t seq = 0;            // assigned by the store, strictly increasing
  std::string resource_type;  // "User" | "Group"
  std::string resource_id;
  std::string op;  // "create" | "update" | "delete" | "members"
  int64_t version = 0;
  TimePoint at;
  std::string detail;  // JSON: e.g. {"added":[ids],"removed":[ids]} for "members"
};

class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
  // Returns the sequence number given to the event.
  virtual Result<int64_t> Append(Transaction& tx, const ChangeEvent& event) = 0;
  // Events with seq > after_seq, oldest first, at most `limit`.
  virtual Result<std::vector<ChangeEvent>> Read(int64_t after_seq, size_t limit) = 0;
  virtual Result<int64_t> LastSeq() = 0;
  // A consumer's cursor: the last seq it has fully handled (0 when new).
  virtual Result<int64_t> Cursor(std::string_view consumer) = 0;
  // Moves the consumer's cursor forward to `seq` (never back: two nodes may race).
  virtual Status SetCursor(Transaction& tx, std::string_view consumer, int64_t seq) = 0;
};

}  // namespace provisio::store
