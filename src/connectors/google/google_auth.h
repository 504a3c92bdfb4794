// Service account credentials with domain-wide delegation as an AuthProvider: a fresh RS256
// assertion (sub = the admin to act as) is exchanged at the key's token_uri; the access token
// is cached until shortly before it expires and dropped when the Directory API answers 401.
#pragma once

#include <chrono>
#include <string>

#include "connectors/auth/cached_token_auth.h"
#include "connectors/google/service_account.h"

namespace provisio::connectors::google {

// What the connector asks for: users and groups read-write, org units read, admin roles
// read-write (role assignments).
inline constexpr std::string_view kDirectoryScopes =
    "https://www.googleapis.com/auth/admin.directory.user "
    "https://www.googleapis.com/auth/admin.directory.group "
    "https://www.googleapis.com/auth/admin.directory.orgunit.readonly "
    "https://www.googleapis.com/auth/admin.directory.rolemanagement";

struct ServiceAccountAuthOptions {
  ServiceAccountKey key;
  std::string admin_email;  // sub
  std::string scope = std::string(kDirectoryScopes);
  std::chrono::seconds assertion_lifetime{3600};
  std::chrono::seconds expiry_margin{60};  // refresh this long before expires_in ends
  std::chrono::milliseconds timeout{30000};
  bool insecure_skip_verify = false;
};

class ServiceAccountAuth final : public CachedTokenAuth {
 public:
  ServiceAccountAuth(ServiceAccountAuthOptions options, http::Client& http, const Clock& clock)
      : CachedTokenAuth(clock), options_(std::move(options)), http_(http) {}

 private:
  Result<Token> Fetch() override;

  ServiceAccountAuthOptions options_;
  http::Client& http_;
};

// From a connection's auth object {"kind":"google_service_account","service_account_json"
// (text or object),"admin_email","customer_id"?}. kInvalidArgument when a field is missing.
Result<std::unique_ptr<ServiceAccountAuth>> MakeServiceAccountAuth(
    const boost::json::object& auth, http::Client& http, const Clock& clock,
    std::chrono::milliseconds timeout, bool insecure_skip_verify);

}  // namespace provisio::connectors::google
