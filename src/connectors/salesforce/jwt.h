// RS256 JSON Web Tokens for the OAuth 2.0 JWT bearer flow (RFC 7523), signed with OpenSSL EVP.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace provisio::connectors::salesforce {

// A PEM private key (PKCS#8 "BEGIN PRIVATE KEY" or PKCS#1 "BEGIN RSA PRIVATE KEY"), parsed once.
class RsaSigner {
 public:
  // kInvalidArgument when `pem` holds no RSA private key. The message never quotes the key.
  static Result<RsaSigner> FromPem(std::string_view pem);

  // header.claims.signature, each part base64url without padding; header {"alg":"RS256"}.
  Result<std::string> Sign(const boost::json::object& claims) const;

 private:
  struct Key;
  explicit RsaSigner(std::shared_ptr<Key> key) : key_(std::move(key)) {}
  std::shared_ptr<Key> key_;
};

std::string Base64UrlEncode(std::string_view bytes);

}  // namespace provisio::connectors::salesforce
