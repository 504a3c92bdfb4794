// The one list of endpoints: it drives route registration, authorization, the OpenAPI
// document and the RBAC matrix test, so none of them can drift from the others.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "api/call.h"
#include "core/result.h"
#include "http/response.h"
#include "security/rbac.h"

namespace provisio::api {

using EndpointFn = Result<http::Response> (*)(Call&);

struct Endpoint {
  std::string_view method;
  std::string_view pattern;                // router pattern, "{id}" for parameters
  std::optional<security::Action> action;  // nullopt: public (no credentials needed)
  EndpointFn fn;
  std::string_view tag;
  std::string_view summary;
  int success_status = 200;
  std::string_view request_schema;  // OpenAPI component for the body; "" when none
};

std::span<const Endpoint> Endpoints();

// Authenticates, checks CSRF and the RBAC table, runs the endpoint, renders errors.
http::Response Dispatch(const Endpoint& endpoint, ApiContext& ctx, http::Request& request);

}  // namespace provisio::api
