// What a handler works with: the request, the authenticated caller, and the dependencies.
#pragma once

#include <optional>

#include "api/routes.h"
#include "http/request.h"
#include "security/bearer_auth.h"
#include "security/session_throttle.h"

namespace provisio::api {

struct ApiContext {
  explicit ApiContext(const ApiDeps& d) : deps(d), throttle(d.clock, d.throttle_policy) {}
  ApiDeps deps;
  security::LoginThrottle throttle;
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
