#include "apps/audit_log.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

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
                   const AuditEntry& e) {
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
  return store.audit().Append(tx, r);
}

Result<ChainCheck> VerifyAuditChain(store::Store& store) {
  ChainCheck check;
  std::string prev_hash;
  int64_t expected_id = 1;
  constexpr size_t kPage = 1000;
  for (int64_t after = 0;;) {
    ASSIGN_OR_RETURN(auto rows, store.audit().Scan(after, kPage));
    for (const store::AuditRow& r : rows) {
      ++check.checked;
      if (r.id != expected_id || r.prev_hash != prev_hash || AuditRowHash(r) != r.hash) {
        check.ok = false;
        check.first_bad_id = r.id != expected_id ? std::min(r.id, expected_id) : r.id;
        return check;
      }
      prev_hash = r.hash;
      ++expected_id;
      after = r.id;
    }
    if (rows.size() < kPage) return check;
  }
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
