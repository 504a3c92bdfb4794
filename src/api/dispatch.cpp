#include "api/endpoints.h"
#include "api/respond.h"
#include "apps/input.h"
#include "security/session.h"

namespace provisio::api {
namespace {

using security::Principal;

bool IsSafeMethod(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

Status AuthenticateToken(Call& call, std::string_view authorization) {
  auto p = security::AuthenticateBearer(call.store(), call.clock(), authorization);
  if (!p.ok()) return apps::Reject(Code::kUnauthenticated, "unauthenticated", p.error().message());
  if (p->kind == Principal::Kind::kScimToken) {
    return apps::Reject(Code::kPermissionDenied, "scim_token_refused",
                        "SCIM tokens are for /scim/v2; use an API token or sign in");
  }
  // A token acts for the admin who made it: never beyond that admin's present role, and not
  // at all once the admin is disabled or deleted.
  if (!p->admin_id.empty()) {
    ASSIGN_OR_RETURN(auto owner, call.store().admins().FindById(p->admin_id));
    if (!owner || owner->disabled) {
      return apps::Reject(Code::kUnauthenticated, "unauthenticated",
                          "the administrator who created this token is no longer active");
    }
    if (security::RoleRank(owner->role) < security::RoleRank(p->role)) p->role = owner->role;
  }
  call.principal = std::move(p).value();
  return Ok();
}

Status Authenticate(Call& call) {
  if (auto authorization = call.request.Header("Authorization")) {
    return AuthenticateToken(call, *authorization);
  }
  auto cookie = call.request.Cookie(security::kSessionCookieName);
  if (!cookie) {
    return apps::Reject(Code::kUnauthenticated, "unauthenticated",
                        "sign in (POST /api/v1/session) or send 'Authorization: Bearer <token>'");
  }
  auto s = security::ResumeSession(call.store(), call.clock(), call.ctx.SessionPolicy(), *cookie);
  if (!s.ok()) {
    return apps::Reject(Code::kUnauthenticated, "session_expired", s.error().message());
  }
  call.principal.kind = Principal::Kind::kSession;
  call.principal.id = s->admin.id;
  call.principal.admin_id = s->admin.id;
  call.principal.role = s->admin.role;
  call.principal.name = s->admin.email;
  call.session = std::move(s->row);
  if (!IsSafeMethod(call.request.method)) {
    auto csrf = call.request.Header("X-CSRF-Token");
    if (!csrf || !security::CsrfMatches(*call.session, *csrf)) {
      return apps::Reject(Code::kPermissionDenied, "csrf_failed",
                          "state-changing requests with a session cookie need the "
                          "X-CSRF-Token header from sign-in");
    }
  }
  return Ok();
}

}  // namespace

security::SecuritySettings ApiContext::SecuritySettings() {
  std::lock_guard lock(settings_mu_);
  TimePoint now = deps.clock.Now();
  if (!settings_ || now - settings_read_ >= kSettingsRefresh || now < settings_read_) {
    auto loaded = security::LoadSecuritySettings(deps.store);
    // A store that cannot be read keeps what is in force (or the defaults at first).
    security::SecuritySettings next =
        loaded.ok() ? *loaded : settings_.value_or(security::SecuritySettings{});
    if (!settings_ || *settings_ != next) {
      throttle.SetPolicy(security::ThrottlePolicyFor(next, deps.throttle_policy));
    }
    settings_ = next;
    settings_read_ = now;
  }
  return *settings_;
}

void ApiContext::InstallSecuritySettings(const security::SecuritySettings& settings) {
  std::lock_guard lock(settings_mu_);
  throttle.SetPolicy(security::ThrottlePolicyFor(settings, deps.throttle_policy));
  settings_ = settings;
  settings_read_ = deps.clock.Now();
}

http::Response Dispatch(const Endpoint& endpoint, ApiContext& ctx, http::Request& request) {
  Call call{request, ctx, {}, std::nullopt};
  if (endpoint.action) {
    if (auto st = Authenticate(call); !st.ok()) {
      http::Response r = ErrorResponse(st.error());
      if (request.Cookie(security::kSessionCookieName) && !request.Header("Authorization") &&
          st.error().code() == Code::kUnauthenticated) {
        r.AddHeader("Set-Cookie", security::ClearedSessionCookie(request.secure));
      }
      return r;
    }
    if (auto st = security::Authorize(call.principal.role, *endpoint.action); !st.ok()) {
      return ErrorResponse(st.error());
    }
  }
  auto result = endpoint.fn(call);
  if (!result.ok()) return ErrorResponse(result.error());
  return std::move(result).value();
}

}  // namespace provisio::api
