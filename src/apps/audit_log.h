// The audit log: who changed what, when, from where, with before/after (secrets redacted).
// Each row stores sha256(prev_hash || canonical row), so editing or removing a row breaks
// the chain that VerifyAuditChain walks; the keyed checkpoint (audit_checkpoint.h) written
// with every append finds rows removed from the tail.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "security/mac_key.h"
#include "store/store.h"

namespace provisio::apps {

struct AuditEntry {
  std::string actor_kind;  // "session" | "api_token" | "anonymous"
  std::string actor_id;
  std::string actor_name;
  std::string source_address;
  std::string action;  // "connection.create", "session.login_failed", ...
  std::string object_type;
  std::string object_id;
  std::string outcome = "success";
  std::optional<boost::json::value> before;
  std::optional<boost::json::value> after;
};

// Appends inside `tx`, so the row commits (or not) with the change it describes, and
// advances the checkpoint sealed with `checkpoint_key` (AuditCheckpointKey) in the same
// transaction. before/after pass through security::Redact first. `previous_key`: the key
// the committed checkpoint is sealed with when it is not `checkpoint_key` (key rotation).
Status AppendAudit(store::Store& store, store::Transaction& tx, const Clock& clock,
                   const security::MacKey& checkpoint_key, const AuditEntry& entry,
                   const security::MacKey* previous_key = nullptr);

// sha256(prev_hash || canonical form of every other column), lowercase hex.
std::string AuditRowHash(const store::AuditRow& row);

struct ChainCheck {
  bool ok = true;
  int64_t checked = 0;
  std::optional<int64_t> first_bad_id;  // the first row the chain does not vouch for
  int64_t last_id = 0;                  // the newest row read
  // "ok"; "none" (empty log, no checkpoint yet); "missing" (rows but no checkpoint);
  // "forged" (its MAC does not verify under the master key); "truncated" (rows up to
  // checkpoint_last_id are gone); "mismatch" (row checkpoint_last_id is not the one sealed);
  // "unsealed_rows" (rows after the checkpoint that no append sealed).
  std::string checkpoint = "ok";
  int64_t checkpoint_last_id = 0;
  int64_t checkpoint_since_id = 0;
  // Tampering that appends noticed and sealed into the checkpoint, oldest first.
  boost::json::array anomalies;
  bool truncated = false;  // now, or noticed earlier (an anomaly of kind "truncated")
};

// Walks the whole chain oldest first (ids consecutive from 1, each prev_hash equal to the
// previous row's hash, each hash recomputed), then holds the tail against the checkpoint.
// ok only when the chain, the checkpoint and its anomaly record are all clean.
Result<ChainCheck> VerifyAuditChain(store::Store& store, const security::MacKey& checkpoint_key);

// The verify answer of the API: {"ok","checked","first_bad_id"?,"checkpoint":{...},
// "truncation"?:{...},"anomalies"?:[...]}.
boost::json::object ChainCheckJson(const ChainCheck& check);

boost::json::object AuditJson(const store::AuditRow& row);

}  // namespace provisio::apps
