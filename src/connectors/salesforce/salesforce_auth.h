// Salesforce's OAuth 2.0 server-to-server flows: JWT bearer (RS256 assertion signed with the
// connection's private key), client credentials and username-password. The token is cached
// and fetched again when it is older than `token_lifetime` or the org answers 401. Every
// answer names the org's `instance_url`; requests whose url is a bare path
// ("/services/data/...") are sent there, so the connector never needs to know the host.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "connectors/auth/cached_token_auth.h"
#include "connectors/salesforce/jwt.h"

namespace provisio::connectors::salesforce {

enum class Grant { kJwtBearer, kClientCredentials, kPassword };

struct SalesforceAuthOptions {
  Grant grant = Grant::kJwtBearer;
  std::string token_url;  // {login_url}/services/oauth2/token
  std::string client_id;  // the connected app's consumer key
  std::string client_secret{};
  std::string username{};             // JWT `sub`; the password flow's user
  std::string password{};             // password flow: password + security token
  std::string audience{};             // JWT `aud`: https://login.salesforce.com or https://test...
  std::optional<RsaSigner> signer{};  // JWT bearer
  std::chrono::seconds assertion_lifetime{170};  // JWT `exp` (Salesforce: within 3 min)
  std::chrono::seconds token_lifetime{3600};     // Salesforce sends no expires_in
  std::chrono::milliseconds timeout{30000};
  bool insecure_skip_verify = false;
};

class SalesforceAuth final : public CachedTokenAuth {
 public:
  SalesforceAuth(SalesforceAuthOptions options, http::Client& http, const Clock& clock)
      : CachedTokenAuth(clock), options_(std::move(options)), http_(http) {}

 private:
  Result<Token> Fetch() override;
  // Relative URLs go to the instance the token response named.
  void Decorate(http::HttpRequest& request) override;
  Result<std::string> Form() const;

  SalesforceAuthOptions options_;
  http::Client& http_;
  std::string instance_url_;  // written by Fetch, read by Decorate, both under the cache lock
};

// The audience a JWT names for a login URL: sandboxes (test.salesforce.com, *.sandbox.my...)
// use https://test.salesforce.com, other My Domain hosts https://login.salesforce.com, and
// anything else (an emulator, an Experience Cloud site) itself.
std::string AudienceFor(std::string_view login_url);

}  // namespace provisio::connectors::salesforce
