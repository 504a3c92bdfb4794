// The audit log's keyed checkpoint: the last row's id and hash, sealed with a MAC whose key
// is derived from the master key and stored (Store setting "audit.checkpoint") in the same
// transaction as every append. The hash chain finds rewritten rows; the checkpoint finds
// rows removed from the tail, which the chain alone cannot, and tampering it notices while
// appending is kept in it for good, so later appends do not hide it.
#pragma once

#include <boost/json/array.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "security/secret_box.h"
#include "store/store.h"

namespace provisio::apps {

inline constexpr std::string_view kAuditCheckpointKey = "audit.checkpoint";

struct AuditCheckpoint {
  int64_t last_id = 0;
  std::string last_hash;
  int64_t since_id = 1;          // the first row the checkpoint has covered
  boost::json::array anomalies;  // what appends found wrong: {"kind":"truncated",...}
};

// The checkpoint's MAC key, derived from the master key (crypto_kdf, its own subkey id).
security::MacKey AuditCheckpointKey(const security::SecretBox& box);

struct LoadedCheckpoint {
  enum class State { kMissing, kValid, kForged } state = State::kMissing;
  AuditCheckpoint checkpoint;  // meaningful when kValid
};

// The committed checkpoint; kForged when its MAC does not verify under `key` or it does not
// parse.
Result<LoadedCheckpoint> LoadAuditCheckpoint(store::Store& store, const security::MacKey& key);

// Inside `tx`, after `appended` was written there: checks the committed checkpoint under
// `committed_key` and holds it against the committed tail (anything wrong becomes an
// anomaly), then stores the checkpoint naming `appended` sealed with `key`. Several appends
// in one transaction each see the same committed state. `committed_key` differs from `key`
// only while the master key is rotated.
Status AdvanceAuditCheckpoint(store::Store& store, store::Transaction& tx,
                              const security::MacKey& committed_key, const security::MacKey& key,
                              const store::AuditRow& appended);

}  // namespace provisio::apps
