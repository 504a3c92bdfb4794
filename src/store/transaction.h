// A write transaction: the scoped object every multi-statement write goes through.
// Destroying one that was not committed rolls it back, so an early return loses nothing
// and leaves nothing half-written.
#pragma once

#include "core/result.h"

namespace provisio::store {

class Transaction {
 public:
  virtual ~Transaction() = default;
  // Makes every write in the transaction durable at once and ends it (other writers may
  // proceed); afterwards the object is spent.
  virtual Status Commit() = 0;

  // Nested scopes inside the transaction: a failed step (one operation of a SCIM Bulk
  // request) rolls back to its savepoint without losing the steps before it.
  virtual Status Savepoint() = 0;
  virtual Status ReleaseSavepoint() = 0;
  virtual Status RollbackToSavepoint() = 0;
};

// Runs `fn()` inside a savepoint of `tx`: kept when it returns ok, undone otherwise.
template <typename F>
auto WithSavepoint(Transaction& tx, F&& fn) -> decltype(fn()) {
  RETURN_IF_ERROR(tx.Savepoint());
  auto result = fn();
  if (result.ok()) {
    RETURN_IF_ERROR(tx.ReleaseSavepoint());
  } else {
    (void)tx.RollbackToSavepoint();
  }
  return result;
}

}  // namespace provisio::store
