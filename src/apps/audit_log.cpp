#include "apps/audit_log.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "apps/audit_checkpoint.h"
#include "security/redact.h"
#include "security/token.h"

namespace provisio::apps {
namespace {

boost::json::value OptJson(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  auto v = boost::json::parse(*text, ec);
  return ec ? boost::json::value(*text) : v;
}

}  // namespace

std::string AuditRowHash(const store::AuditRow& r) {
  // A JSON array fixes the order and escapes every field, so no two rows share a form.
  boost::json::array canonical = {r.id,
                                  ToMicros(r.at),
                                  r.actor_kind,
                                  r.actor_id,
                                  r.actor_name,
                                  r.source_address,
                                  r.action,
                                  r.object_type,
                                  r.object_id,
                                  r.outcome,
                                  r.before ? boost::json::value(*r.before) : nullptr,
                                  r.after ? boost::json::value(*r.after) : nullptr};
  return security::HashToken(r.prev_hash + boost::json::serialize(canonical));
}

Status AppendAudit(store::Store& store, store::Transaction& tx, const Clock& clock,
                   const security::MacKey& checkpoint_key, const AuditEntry& e,
                   const security::MacKey* previous_key) {
  ASSIGN_OR_RETURN(auto last, store.audit().Last(tx));
  store::AuditRow r;
  r.id = last ? last->id + 1 : 1;
  r.at = clock.Now();
  r.actor_kind = e.actor_kind;
  r.actor_id = e.actor_id;
  r.actor_name = e.actor_name;
  r.source_address = e.source_address;
  r.action = e.action;
  r.object_type = e.object_type;
  r.object_id = e.object_id;
  r.outcome = e.outcome;
  if (e.before) r.before = security::RedactJson(*e.before);
  if (e.after) r.after = security::RedactJson(*e.after);
  r.prev_hash = last ? last->hash : "";
  r.hash = AuditRowHash(r);
  RETURN_IF_ERROR(store.audit().Append(tx, r));
  return AdvanceAuditCheckpoint(store, tx, previous_key ? *previous_key : checkpoint_key,
                                checkpoint_key, r);
}

Result<ChainCheck> VerifyAuditChain(store::Store& store, const security::MacKey& checkpoint_key) {
  using State = LoadedCheckpoint::State;
  // Read before the walk: every row it names was committed before the walk began.
  ASSIGN_OR_RETURN(LoadedCheckpoint before, LoadAuditCheckpoint(store, checkpoint_key));
  ChainCheck check;
  std::string prev_hash;
  int64_t expected_id = 1;
  std::optional<std::string> hash_at_checkpoint;
  constexpr size_t kPage = 1000;
  for (int64_t after = 0;;) {
    ASSIGN_OR_RETURN(auto rows, store.audit().Scan(after, kPage));
    for (const store::AuditRow& r : rows) {
      ++check.checked;
      if (!check.first_bad_id &&
          (r.id != expected_id || r.prev_hash != prev_hash || AuditRowHash(r) != r.hash)) {
        check.ok = false;
        check.first_bad_id = r.id != expected_id ? std::min(r.id, expected_id) : r.id;
      }
      if (before.state == State::kValid && r.id == before.checkpoint.last_id) {
        hash_at_checkpoint = r.hash;
      }
      prev_hash = r.hash;
      expected_id = r.id + 1;
      after = r.id;
      check.last_id = r.id;
    }
    if (rows.size() < kPage) break;
  }
  // Read after the walk: appends that committed meanwhile sealed their rows in it.
  ASSIGN_OR_RETURN(LoadedCheckpoint now, LoadAuditCheckpoint(store, checkpoint_key));
  if (before.state == State::kMissing) before = now;
  auto fail = [&](std::string state) {
    check.ok = false;
    if (check.checkpoint == "ok") check.checkpoint = std::move(state);
  };
  if (before.state == State::kMissing && now.state == State::kMissing) {
    if (check.last_id == 0) {
      check.checkpoint = "none";
    } else {
      fail("missing");
    }
    return check;
  }
  if (before.state == State::kForged || now.state == State::kForged) {
    fail("forged");
    return check;
  }
  check.checkpoint_last_id = now.checkpoint.last_id;
  check.checkpoint_since_id = now.checkpoint.since_id;
  check.anomalies = now.checkpoint.anomalies;
  if (check.last_id < before.checkpoint.last_id) {
    check.truncated = true;
    check.checkpoint_last_id = before.checkpoint.last_id;
    fail("truncated");
  } else if (before.checkpoint.last_id > 0 && hash_at_checkpoint != before.checkpoint.last_hash) {
    if (!check.first_bad_id || *check.first_bad_id > before.checkpoint.last_id) {
      check.first_bad_id = before.checkpoint.last_id;
    }
    fail("mismatch");
  } else if (check.last_id > now.checkpoint.last_id) {
    fail("unsealed_rows");
  }
  for (const auto& a : check.anomalies) {
    check.ok = false;
    const auto* kind = a.is_object() ? a.as_object().if_contains("kind") : nullptr;
    if (kind && *kind == "truncated") check.truncated = true;
  }
  return check;
}

boost::json::object ChainCheckJson(const ChainCheck& c) {
  boost::json::object out{{"ok", c.ok}, {"checked", c.checked}};
  if (c.first_bad_id) out["first_bad_id"] = *c.first_bad_id;
  boost::json::object checkpoint{{"state", c.checkpoint}};
  if (c.checkpoint_last_id > 0) checkpoint["last_id"] = c.checkpoint_last_id;
  if (c.checkpoint_since_id > 0) checkpoint["since_id"] = c.checkpoint_since_id;
  out["checkpoint"] = std::move(checkpoint);
  out["truncated"] = c.truncated;
  if (c.checkpoint == "truncated") {
    out["truncation"] = {{"expected_last_id", c.checkpoint_last_id}, {"found_last_id", c.last_id}};
  }
  if (!c.anomalies.empty()) out["anomalies"] = c.anomalies;
  return out;
}

boost::json::object AuditJson(const store::AuditRow& r) {
  boost::json::object o;
  o["id"] = r.id;
  o["at"] = FormatRfc3339(r.at);
  o["actor"] = {{"kind", r.actor_kind}, {"id", r.actor_id}, {"name", r.actor_name}};
  o["source_address"] = r.source_address;
  o["action"] = r.action;
  o["object"] = {{"type", r.object_type}, {"id", r.object_id}};
  o["outcome"] = r.outcome;
  o["before"] = OptJson(r.before);
  o["after"] = OptJson(r.after);
  o["hash"] = r.hash;
  return o;
}

}  // namespace provisio::apps
