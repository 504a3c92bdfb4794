// The provisioning work queue: one item per (application, subject) that needs reconciling.
// Items are leased in batches with an expiry, so a process that dies hands its work on,
// and re-marking an item while it is leased is never lost (its generation moves on).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/transaction.h"

namespace provisio::store {

struct WorkKey {
  std::string application_id;
  std::string subject_type;  // "user" | "group"
  std::string subject_id;
};

struct WorkItem {
  WorkKey key;
  std::string mode;  // "incremental" | "full" (full also checks the target)
  int64_t attempts = 0;
  int64_t generation = 0;  // bumped by every Enqueue; Complete only removes its own
  // Until when this lease holds: it identifies the lease. A worker whose lease lapsed and was
  // taken by another can hold the same generation as a mark made since (a completed item's
  // next mark starts again at 1), so Complete, Retry, Defer and Bury act only while the item
  // is still leased with this value.
  TimePoint lease_until;
  TimePoint not_before;
  TimePoint enqueued;
  std::string last_error;
};

struct QueueCounts {
  std::string application_id;
  int64_t queued = 0;  // waiting (including backing off)
  int64_t leased = 0;  // in flight
  int64_t dead = 0;    // gave up after too many attempts
};

class WorkQueue {
 public:
  virtual ~WorkQueue() = default;
  // Marks subjects dirty: inserts them, or bumps the generation of those already queued
  // (a dead item comes back to life; "full" wins over "incremental").
  virtual Status Enqueue(Transaction& tx, const std::vector<WorkKey>& keys, std::string_view mode,
                         TimePoint now) = 0;
  // Marks only the subjects that have no item yet (queued, leased, backing off or dead ones
  // stay as they are); returns how many were added.
  virtual Result<int64_t> EnqueueAbsent(Transaction& tx, const std::vector<WorkKey>& keys,
                                        std::string_view mode, TimePoint now) = 0;
  // Up to `max` ready items not leased by anyone, leased to `owner` until now + lease.
  virtual Result<std::vector<WorkItem>> Lease(std::string_view owner, size_t max, TimePoint now,
                                              std::chrono::milliseconds lease) = 0;
  // Done: removes the item unless it was re-marked meanwhile (then it is released). Complete,
  // Retry, Defer and Bury change nothing when the item's lease is no longer this one (it
  // lapsed and another worker took the item, or finished it and it was marked again).
  virtual Status Complete(Transaction& tx, const WorkItem& item) = 0;
  // Try again later: attempts + 1, lease released, not before `not_before`.
  virtual Status Retry(Transaction& tx, const WorkItem& item, TimePoint not_before,
                       std::string_view error) = 0;
  // Not now, and not for a failure (the application is paused, or its rate limit has no turn
  // free): lease released, not before `not_before`, attempts unchanged.
  virtual Status Defer(Transaction& tx, const WorkItem& item, TimePoint not_before,
                       std::string_view reason) = 0;
  // Hands back the leases `owner` holds ("": every lease), for a node that starts again after
  // dying: its items are ready at once instead of after their lease. Returns how many.
  virtual Result<int64_t> ReleaseLeases(Transaction& tx, std::string_view owner) = 0;
  // Gave up: kept as dead, for an admin to see and retry.
  virtual Status Bury(Transaction& tx, const WorkItem& item, std::string_view error) = 0;
  // An application's dead items in (subject_type, subject_id) order after `after` (none: from
  // the start), at most `limit`.
  virtual Result<std::vector<WorkItem>> ListDead(std::string_view application_id,
                                                 const std::optional<WorkKey>& after,
                                                 size_t limit) = 0;
  // Brings every dead item of an application back: queued, ready at `now`, attempts starting
  // over, its last error kept until the next try. Returns how many.
  virtual Result<int64_t> Revive(Transaction& tx, std::string_view application_id,
                                 TimePoint now) = 0;
  virtual Result<std::vector<QueueCounts>> Counts(TimePoint now) = 0;
  virtual Status DeleteAll(Transaction& tx, std::string_view application_id) = 0;
};

}  // namespace provisio::store
