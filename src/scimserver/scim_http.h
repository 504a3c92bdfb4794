// HTTP plumbing of the SCIM endpoints: SCIM error bodies, content types, base URLs,
// bearer authentication and the permission a principal has here.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "http/request.h"
#include "http/response.h"
#include "security/bearer_auth.h"
#include "store/store.h"

namespace provisio::scimserver {

inline constexpr std::string_view kScimContentType = "application/scim+json";

http::Response ScimJson(int status, const boost::json::value& body);
http::Response ScimError(const Error& error);

// "http(s)://host/scim/v2", from the request's Host header.
std::string BaseUrl(const http::Request& request, std::string_view prefix);

// The request body as JSON; kInvalidSyntax when it is not JSON or not an object.
Result<boost::json::value> ParseBody(const http::Request& request);

// SCIM clients authenticate with a SCIM token (full access) or an admin API token: Super
// Admin and Admin may write, Operator may only read.
Result<security::Principal> Authorize(store::Store& store, const Clock& clock,
                                      const http::Request& request, bool write);

}  // namespace provisio::scimserver
