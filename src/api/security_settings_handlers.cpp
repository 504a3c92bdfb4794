// GET and PUT /api/v1/security-settings: the portal-wide session, lockout and password
// settings. A PUT is checked whole, stored and audited in one transaction, and in force for
// the next request (ApiContext::InstallSecuritySettings).
#include "api/audit.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "apps/input.h"
#include "security/security_settings.h"

namespace provisio::api {

HandlerResult GetSecuritySettings(Call& call) {
  return JsonResponse(200, security::SecuritySettingsJson(call.ctx.SecuritySettings()));
}

HandlerResult ReplaceSecuritySettings(Call& call) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  const auto fields = security::SecuritySettingFields();
  for (const auto& kv : body.object()) {
    bool known = false;
    for (const auto& f : fields) known = known || kv.key() == f.name;
    if (!known) {
      boost::json::array names;
      for (const auto& f : fields) names.emplace_back(f.name);
      return apps::Reject(Code::kInvalidArgument, "unknown_field",
                          "unknown field '" + std::string(kv.key()) + "'",
                          {{"field", kv.key()}, {"allowed", std::move(names)}});
    }
  }
  // PUT replaces the whole document: every field is required, so nothing is left implied.
  security::SecuritySettings next;
  for (const auto& f : fields) {
    ASSIGN_OR_RETURN(next.*f.member, body.Integer(f.name));
  }
  RETURN_IF_ERROR(security::CheckSecuritySettings(next));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  // Read while this transaction holds the write lock: no other change can slip in between.
  ASSIGN_OR_RETURN(security::SecuritySettings before, security::LoadSecuritySettings(call.store()));
  RETURN_IF_ERROR(security::SaveSecuritySettings(call.store(), *tx, next));
  RETURN_IF_ERROR(Audit(call, *tx, "security_settings.update", "security_settings", "portal",
                        security::SecuritySettingsJson(before),
                        security::SecuritySettingsJson(next)));
  RETURN_IF_ERROR(tx->Commit());
  call.ctx.InstallSecuritySettings(next);
  return JsonResponse(200, security::SecuritySettingsJson(next));
}

}  // namespace provisio::api
