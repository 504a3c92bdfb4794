// The admin REST API under /api/v1: the one entry point the composition root calls.
#pragma once

#include "apps/connections.h"
#include "core/clock.h"
#include "http/router.h"
#include "security/password.h"
#include "security/secret_box.h"
#include "security/session.h"
#include "security/session_throttle.h"
#include "store/store.h"

namespace provisio::provisioning {
class Engine;
}
namespace provisio::importsync {
class Importer;
}

namespace provisio::api {

struct ApiDeps {
  store::Store& store;
  const Clock& clock;
  const security::SecretBox& secrets;
  // Connection checks per connection type; empty until connectors exist (then 501).
  apps::ConnectionTesters testers{};
  security::PasswordParams password_params{};
  security::SessionPolicy session_policy{};
  security::ThrottlePolicy throttle_policy{};
  // The provisioning engine: sync, on-demand provisioning, status. Null in tests that run
  // the API alone (those endpoints then answer 503).
  provisioning::Engine* engine = nullptr;
  // The import engine: import runs. Null when not running (those endpoints answer 503).
  importsync::Importer* importer = nullptr;
};

// Registers every endpoint of endpoints.h on `router`. `deps` is copied; the store, clock
// and secret box it refers to must outlive the router.
void RegisterApiRoutes(http::Router& router, const ApiDeps& deps);

}  // namespace provisio::api
