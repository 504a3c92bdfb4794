// The emulator's OAuth 2.0 token endpoint for service accounts (JWT bearer grant, RFC 7523 as
// Google profiles it): the assertion's RS256 signature is checked against the service
// account's public key, then iss/sub/scope/aud/iat/exp; an access token is issued for an hour.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "core/result.h"

namespace provisio::emulators {

// What an access token stands for.
struct GoogleGrant {
  std::string client_email;      // iss
  std::string subject;           // sub; "" when the assertion named none
  std::set<std::string> scopes;  // full scope URLs
  int64_t expires_at = 0;        // epoch seconds
};

// A token endpoint error: HTTP status plus the RFC 6749 §5.2 body fields.
struct TokenError {
  int status = 400;
  std::string error;        // "invalid_grant", ...
  std::string description;  // Google's wording where known
};

class GoogleTokenIssuer {
 public:
  // `public_key_pem`: a PEM public key (SubjectPublicKeyInfo) or an X.509 certificate.
  static Result<std::unique_ptr<GoogleTokenIssuer>> Create(std::string_view public_key_pem,
                                                           std::chrono::seconds lifetime);
  ~GoogleTokenIssuer();

  // The form body of POST /token; `audience` is this endpoint's own URL.
  // {"access_token","expires_in","token_type"} on success.
  std::variant<std::pair<std::string, int64_t>, TokenError> Exchange(std::string_view form_body,
                                                                     std::string_view audience,
                                                                     int64_t now);
  // The grant behind "Bearer <token>", when it is known and unexpired.
  std::optional<GoogleGrant> Lookup(std::string_view access_token, int64_t now);

 private:
  struct Key;
  explicit GoogleTokenIssuer(std::unique_ptr<Key> key, std::chrono::seconds lifetime);
  std::optional<TokenError> Verify(std::string_view assertion, std::string_view audience,
                                   int64_t now, GoogleGrant& grant) const;

  std::unique_ptr<Key> key_;
  std::chrono::seconds lifetime_;
  std::mutex mu_;
  std::map<std::string, GoogleGrant, std::less<>> tokens_;
};

// Unpadded base64url, as JWTs use it; nullopt when malformed.
std::optional<std::string> Base64UrlDecode(std::string_view in);

}  // namespace provisio::emulators
