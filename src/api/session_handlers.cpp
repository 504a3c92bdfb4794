#include <spdlog/spdlog.h>

#include "api/audit.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "apps/input.h"
#include "security/password.h"
#include "security/session.h"
#include "security/shared_lockout.h"

namespace provisio::api {
namespace {

using apps::Reject;

// Verifying against this when the email is unknown makes both answers take as long.
const std::string& DummyHash(const security::PasswordParams& params) {
  static const std::string hash = [&] {
    auto h = security::HashPassword("provisio: no such administrator", params);
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

http::Response Throttled(std::chrono::seconds wait) {
  http::Response r = ErrorResponse(Reject(
      Code::kRateLimited, "too_many_attempts",
      "too many failed sign-in attempts; try again in " + std::to_string(wait.count()) + " seconds",
      {{"retry_after_seconds", wait.count()}}));
  r.SetHeader("Retry-After", std::to_string(wait.count()));
  return r;
}

Status AuditLoginFailure(Call& call, std::string_view action, const std::string& email,
                         const std::string& admin_id) {
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  RETURN_IF_ERROR(Audit(call, *tx, action, "admin", admin_id, std::nullopt,
                        boost::json::object{{"email", email}}, "failure"));
  return tx->Commit();
}

}  // namespace

HandlerResult SignIn(Call& call) {
  const auto& deps = call.ctx.deps;
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  RETURN_IF_ERROR(body.AllowOnly({"email", "password"}));
  ASSIGN_OR_RETURN(std::string email, body.String("email", 254));
  ASSIGN_OR_RETURN(std::string password, body.String("password", security::kMaxPasswordChars));
  const std::string& address = call.request.remote_address;
  // Read first: it applies the lockout settings in force to the throttle.
  const security::SessionPolicy policy = call.ctx.SessionPolicy();
  if (auto wait = call.ctx.throttle.Check(email, address)) {
    spdlog::warn("api: sign-in refused while locked out (source {})", address);
    return Throttled(*wait);
  }
  ASSIGN_OR_RETURN(auto admin, call.store().admins().FindByEmail(email));
  // An administrator's failures count in the store, so a lockout holds on every node.
  if (admin) {
    ASSIGN_OR_RETURN(auto locked,
                     security::SharedLockoutFor(call.store(), admin->id, call.clock().Now()));
    if (locked) {
      spdlog::warn("api: sign-in refused while locked out (source {})", address);
      return Throttled(*locked);
    }
  }
  bool verified =
      admin ? security::VerifyPassword(admin->password_hash, password)
            : (security::VerifyPassword(DummyHash(deps.password_params), password), false);
  if (!verified || admin->disabled) {
    call.ctx.throttle.RecordFailure(email, address);
    std::optional<std::chrono::seconds> shared;
    if (admin) {
      ASSIGN_OR_RETURN(
          shared, security::RecordSharedFailure(call.store(), admin->id, call.ctx.throttle.policy(),
                                                call.clock().Now()));
    }
    RETURN_IF_ERROR(AuditLoginFailure(call, "session.login", email, admin ? admin->id : ""));
    if (auto wait = call.ctx.throttle.Check(email, address)) return Throttled(*wait);
    if (shared) return Throttled(*shared);
    return Reject(Code::kUnauthenticated, "invalid_credentials", "wrong email or password");
  }
  call.ctx.throttle.RecordSuccess(email);
  RETURN_IF_ERROR(security::ClearSharedFailures(call.store(), admin->id));
  if (security::PasswordNeedsRehash(admin->password_hash, deps.password_params)) {
    ASSIGN_OR_RETURN(admin->password_hash, security::HashPassword(password, deps.password_params));
  }
  call.principal.kind = security::Principal::Kind::kSession;
  call.principal.id = call.principal.admin_id = admin->id;
  call.principal.role = admin->role;
  call.principal.name = admin->email;
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(auto session, security::StartSession(call.store(), *tx, call.clock(), policy,
                                                        admin->id, address));
  RETURN_IF_ERROR(call.store().admins().Update(*tx, *admin));
  RETURN_IF_ERROR(Audit(call, *tx, "session.login", "admin", admin->id, std::nullopt,
                        boost::json::object{{"email", admin->email}}));
  RETURN_IF_ERROR(tx->Commit());
  auto idle = std::chrono::duration_cast<std::chrono::seconds>(policy.idle);
  http::Response r =
      JsonResponse(200, boost::json::object{{"csrf_token", session.csrf_token},
                                            {"admin", AdminJson(*admin)},
                                            {"expires", FormatRfc3339(session.row.expires)},
                                            {"idle_timeout_seconds", idle.count()}});
  r.AddHeader("Set-Cookie",
              security::SessionCookie(session.session_id, call.request.secure, policy.absolute));
  return r;
}

HandlerResult WhoAmI(Call& call) {
  const auto& p = call.principal;
  boost::json::object out;
  out["role"] = p.role;
  if (call.session) {
    out["kind"] = "session";
    out["expires"] = FormatRfc3339(call.session->expires);
  } else {
    out["kind"] = "api_token";
    out["token"] = {{"id", p.id}, {"name", p.name}};
  }
  if (!p.admin_id.empty()) {
    ASSIGN_OR_RETURN(auto admin, call.store().admins().FindById(p.admin_id));
    if (admin) out["admin"] = AdminJson(*admin);
  }
  return JsonResponse(200, out);
}

HandlerResult SignOut(Call& call) {
  if (!call.session) {
    return Reject(Code::kInvalidArgument, "session_required",
                  "sign-out ends a cookie session; revoke an API token with DELETE "
                  "/api/v1/api-tokens/{id}");
  }
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  RETURN_IF_ERROR(call.store().sessions().Delete(*tx, call.session->id_hash));
  RETURN_IF_ERROR(Audit(call, *tx, "session.logout", "admin", call.principal.admin_id, std::nullopt,
                        std::nullopt));
  RETURN_IF_ERROR(tx->Commit());
  http::Response r = http::Response::NoContent();
  r.AddHeader("Set-Cookie", security::ClearedSessionCookie(call.request.secure));
  return r;
}

HandlerResult ChangePassword(Call& call) {
  const auto& deps = call.ctx.deps;
  if (!call.session) {
    return Reject(Code::kPermissionDenied, "session_required",
                  "a password is changed from a signed-in session, not with an API token");
  }
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  RETURN_IF_ERROR(body.AllowOnly({"current_password", "new_password"}));
  ASSIGN_OR_RETURN(std::string current,
                   body.String("current_password", security::kMaxPasswordChars));
  ASSIGN_OR_RETURN(std::string next, body.String("new_password", security::kMaxPasswordChars));
  ASSIGN_OR_RETURN(auto admin, call.store().admins().FindById(call.principal.admin_id));
  if (!admin) return Error::NotFound("the signed-in administrator no longer exists");
  const security::SecuritySettings settings = call.ctx.SecuritySettings();
  const std::string& address = call.request.remote_address;
  if (auto wait = call.ctx.throttle.Check(admin->email, address)) return Throttled(*wait);
  if (!security::VerifyPassword(admin->password_hash, current)) {
    call.ctx.throttle.RecordFailure(admin->email, address);
    RETURN_IF_ERROR(AuditLoginFailure(call, "admin.password_change", admin->email, admin->id));
    return Reject(Code::kPermissionDenied, "wrong_password", "current_password is not right",
                  {{"field", "current_password"}});
  }
  if (auto st =
          security::CheckPasswordPolicy(next, static_cast<size_t>(settings.min_password_length));
      !st.ok()) {
    boost::json::object details = st.error().details();  // min_length or max_length
    details["field"] = "new_password";
    return Reject(Code::kInvalidValue, "weak_password", st.error().message(), std::move(details));
  }
  if (next == current) {
    return Reject(Code::kInvalidValue, "password_unchanged",
                  "new_password must differ from current_password", {{"field", "new_password"}});
  }
  ASSIGN_OR_RETURN(admin->password_hash, security::HashPassword(next, deps.password_params));
  admin->updated = call.clock().Now();
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  RETURN_IF_ERROR(call.store().admins().Update(*tx, *admin));
  // Every other session of this admin ends: whoever knew the old password is signed out.
  ASSIGN_OR_RETURN(int64_t ended,
                   call.store().sessions().DeleteForAdmin(*tx, admin->id, call.session->id_hash));
  RETURN_IF_ERROR(Audit(call, *tx, "admin.password_change", "admin", admin->id, std::nullopt,
                        boost::json::object{{"other_sessions_ended", ended}}));
  RETURN_IF_ERROR(tx->Commit());
  return http::Response::NoContent();
}

}  // namespace provisio::api
