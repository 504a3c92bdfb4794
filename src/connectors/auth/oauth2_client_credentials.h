// OAuth 2.0 client credentials grant (RFC 6749 §4.4): the access token is cached until shortly
// before it expires; a 401 from the target drops it so the next request fetches a new one.
#pragma once

#include <chrono>
#include <string>

#include "connectors/auth/cached_token_auth.h"

namespace provisio::connectors {

struct OAuth2ClientCredentialsOptions {
  std::string token_url;
  std::string client_id;
  std::string client_secret;
  std::string scope{};                          // space-separated; "" sends none
  std::chrono::seconds expiry_margin{30};       // refresh this long before expires_in ends
  std::chrono::seconds default_lifetime{3600};  // when the server omits expires_in
};

class OAuth2ClientCredentials final : public CachedTokenAuth {
 public:
  OAuth2ClientCredentials(OAuth2ClientCredentialsOptions options, http::Client& http,
                          const Clock& clock)
      : CachedTokenAuth(clock), options_(std::move(options)), http_(http) {}

 private:
  Result<Token> Fetch() override;

  OAuth2ClientCredentialsOptions options_;
  http::Client& http_;
};

}  // namespace provisio::connectors
