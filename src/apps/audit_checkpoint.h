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

// Inside `tx`, after `appended` was written there: compares the committed checkpoint with the
// committed tail (anything wrong becomes an anomaly) and stores the checkpoint naming
// `appended`. Several appends in one transaction each see the same committed state.
Status AdvanceAuditCheckpoint(store::Store& store, store::Transaction& tx,
                              const security::MacKey& key, const store::AuditRow& appended);

// Master key rotation: the checkpoint sealed again under `new_key`, inside `tx`. One that
// does not verify under `old_key` is not laundered: it is resealed with a
// "checkpoint_forged" anomaly.
Status ResealAuditCheckpoint(store::Store& store, store::Transaction& tx,
                             const security::MacKey& old_key, const security::MacKey& new_key);

}  // namespace provisio::apps
