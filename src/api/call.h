// What a handler works with: the request, the authenticated caller, and the dependencies.
#pragma once

#include <mutex>
#include <optional>

#include "api/routes.h"
#include "apps/audit_checkpoint.h"
#include "http/request.h"
#include "security/bearer_auth.h"
#include "security/security_settings.h"
#include "security/session_throttle.h"

namespace provisio::api {

struct ApiContext {
  explicit ApiContext(const ApiDeps& d)
      : deps(d),
        throttle(d.clock, d.throttle_policy),
        audit_key(apps::AuditCheckpointKey(d.secrets)) {}
  ApiDeps deps;
  security::LoginThrottle throttle;
  // Seals the audit log's checkpoint (derived from the master key once, here).
  const security::MacKey audit_key;

  // The portal-wide security settings in force, applied to the throttle on the way. Read
  // from the store at most every kSettingsRefresh (so a change made by another process or
  // node arrives without a restart); a PUT here installs its value at once.
  security::SecuritySettings SecuritySettings();
  void InstallSecuritySettings(const security::SecuritySettings& settings);
  security::SessionPolicy SessionPolicy() {
    return security::SessionPolicyFor(SecuritySettings(), deps.session_policy);
  }

  static constexpr std::chrono::seconds kSettingsRefresh{5};

 private:
  std::mutex settings_mu_;
  std::optional<security::SecuritySettings> settings_;  // guarded by settings_mu_
  TimePoint settings_read_{};                           // guarded by settings_mu_
};

struct Call {
  http::Request& request;
  ApiContext& ctx;
  security::Principal principal;             // empty id on public endpoints
  std::optional<store::SessionRow> session;  // set when a session cookie authenticated

  store::Store& store() const { return ctx.deps.store; }
  const Clock& clock() const { return ctx.deps.clock; }
};

}  // namespace provisio::api
