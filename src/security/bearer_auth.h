// Who is calling: the principal behind a bearer token (admin API token or SCIM client
// token). Sessions (cookies) resolve to the same Principal in the admin API.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace provisio::security {

struct Principal {
  enum class Kind { kSession, kApiToken, kScimToken };
  Kind kind = Kind::kApiToken;
  std::string id;        // admin id (sessions) or token id
  std::string role;      // "super-admin" | "admin" | "operator"; "scim-client" for SCIM tokens
  std::string name;      // admin email or token name, for the audit log
  std::string admin_id;  // the admin acting (sessions) or who created the token
};

inline constexpr std::string_view kRoleScimClient = "scim-client";

// Resolves "Bearer <secret>" (the Authorization header's value) to the token's principal.
// kUnauthenticated when the header is malformed, the token unknown, or revoked.
Result<Principal> AuthenticateBearer(store::Store& store, const Clock& clock,
                                     std::string_view authorization);

// Creates a bearer token of `kind` ("api" or "scim") and stores its hash. The secret in
// the result is shown to its owner once and never again.
struct NewToken {
  std::string id;
  std::string secret;
};
Result<NewToken> CreateToken(store::Store& store, const Clock& clock, std::string_view kind,
                             std::string_view name, std::string_view role,
                             std::string_view created_by);

}  // namespace provisio::security
