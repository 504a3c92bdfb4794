// A write transaction: the scoped object every multi-statement write goes through.
// Destroying one that was not committed rolls it back, so an early return loses nothing
// and leaves nothing half-written.
#pragma once

#include "core/result.h"

namespace provisio::store {

class Transaction {
 public:
  virtual ~Transaction() = default;
  // Makes every write in the transaction durable at once; afterwards the object is spent.
  virtual Status Commit() = 0;
};

}  // namespace provisio::store
