// The audit log: who changed what, when, from where, with before/after (secrets redacted).
// Each row stores sha256(prev_hash || canonical row), so editing or removing a row breaks
// the chain that VerifyAuditChain walks.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
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

// Appends inside `tx`, so the row commits (or not) with the change it describes.
// before/after pass through security::Redact first.
Status AppendAudit(store::Store& store, store::Transaction& tx, const Clock& clock,
                   const AuditEntry& entry);

// sha256(prev_hash || canonical form of every other column), lowercase hex.
std::string AuditRowHash(const store::AuditRow& row);

struct ChainCheck {
  bool ok = true;
  int64_t checked = 0;
  std::optional<int64_t> first_bad_id;
};

// Walks the whole chain oldest first: ids consecutive from 1, each prev_hash equal to the
// previous row's hash, each hash recomputed.
Result<ChainCheck> VerifyAuditChain(store::Store& store);

boost::json::object AuditJson(const store::AuditRow& row);

}  // namespace provisio::apps
