// The shape every token-based auth provider shares (OAuth 2.0 client credentials, Google's
// service-account assertion, Salesforce's flows): a bearer token fetched from a token
// endpoint, cached until shortly before it expires, fetched by one caller at a time, and
// dropped once when a request that carried it was answered 401. A subclass says how to
// fetch.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

#include "connectors/auth/auth_provider.h"

namespace provisio::connectors {

class CachedTokenAuth : public AuthProvider {
 public:
  struct Token {
    std::string access_token;
    std::chrono::microseconds usable_for{0};  // how long to keep sending it
  };

  Status Authorize(http::HttpRequest& request) final;
  bool Refresh(const http::HttpRequest& rejected) final;
  int tokens_fetched() const;  // for tests and metrics

 protected:
  explicit CachedTokenAuth(const Clock& clock) : clock_(clock) {}

  // Fetches a new token. Called with the cache locked, so at most one fetch runs and
  // Decorate sees what the last fetch left.
  virtual Result<Token> Fetch() = 0;
  // After the Authorization header is set, with the cache locked: a subclass may adjust the
  // request (Salesforce sends relative URLs to the instance its token named).
  virtual void Decorate(http::HttpRequest&) {}

  const Clock& clock_;

 private:
  mutable std::mutex mu_;
  std::string header_value_;  // "Bearer ..." or "" when none cached
  TimePoint expires_at_{};
  int fetched_ = 0;
};

// A token endpoint's 200 answer (RFC 6749 §5.1): `access_token`, and `expires_in` (else
// `default_lifetime`), used until `margin` before it ends (half its life when that is
// shorter than twice the margin). `who` names the endpoint in errors. Errors are
// classified (kFatal: not the answer a token endpoint gives).
Result<CachedTokenAuth::Token> ParseTokenResponse(std::string_view body,
                                                  std::chrono::seconds default_lifetime,
                                                  std::chrono::seconds margin, std::string_view who,
                                                  boost::json::object* whole = nullptr);

}  // namespace provisio::connectors
