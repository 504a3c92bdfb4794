#include "api/audit.h"

#include "apps/audit_log.h"

namespace provisio::api {

Status Audit(const Call& call, store::Transaction& tx, std::string_view action,
             std::string_view object_type, std::string_view object_id,
             std::optional<boost::json::value> before, std::optional<boost::json::value> after,
             std::string_view outcome) {
  apps::AuditEntry e;
  using Kind = security::Principal::Kind;
  if (call.principal.id.empty()) {
    e.actor_kind = "anonymous";
  } else {
    e.actor_kind = call.principal.kind == Kind::kSession ? "session" : "api_token";
  }
  e.actor_id = call.principal.kind == Kind::kSession ? call.principal.admin_id : call.principal.id;
  e.actor_name = call.principal.name;
  e.source_address = call.request.remote_address;
  e.action = std::string(action);
  e.object_type = std::string(object_type);
  e.object_id = std::string(object_id);
  e.outcome = std::string(outcome);
  e.before = std::move(before);
  e.after = std::move(after);
  return apps::AppendAudit(call.store(), tx, call.clock(), call.ctx.audit_key, e);
}

}  // namespace provisio::api
