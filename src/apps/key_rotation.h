// Master key rotation, the part that touches the store: every connection's sealed secrets
// opened with the old key and sealed again with the new one, the audit checkpoint resealed,
// and an audit row, all in ONE transaction, so the database is either wholly under the old
// key or wholly under the new one. The key files are app/'s business (rotate_master_key.h).
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "core/result.h"
#include "security/secret_box.h"
#include "store/store.h"

namespace provisio::apps {

struct RotationReport {
  int64_t connections = 0;  // connections read
  int64_t reencrypted = 0;  // of them, those with secrets, now sealed under the new key
};

// Fails, changing nothing, when any secret does not open under `old_box` (the error names
// the connection by id and name, never a secret).
Result<RotationReport> ReencryptAllSecrets(store::Store& store, const Clock& clock,
                                           const security::SecretBox& old_box,
                                           const security::SecretBox& new_box);

// True when the store's state answers to `box`: every sealed secret opens and the audit
// checkpoint, if any, verifies. Tells which key an interrupted rotation left in force.
Result<bool> StoreOpensWith(store::Store& store, const security::SecretBox& box);

// Every node sharing a database must hold the key its secrets were sealed with: the first
// start seals a known value into the settings ("master_key_check"); later starts, other
// nodes and a rotation must open it. kInvalidArgument, naming the fix, when `box` cannot.
Status CheckMasterKey(store::Store& store, const security::SecretBox& box);

}  // namespace provisio::apps
