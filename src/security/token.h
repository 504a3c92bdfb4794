// API and SCIM bearer tokens: a random secret shown to its owner once, stored only as its
// SHA-256 hash, and compared in constant time when a request presents it.
#pragma once

#include <string>
#include <string_view>

namespace provisio::security {

struct IssuedToken {
  std::string id;      // public identifier (UUID), safe to list and log
  std::string secret;  // prefix + 43 base64url characters (256 random bits); shown once
  std::string hash;    // HashToken(secret): what the store keeps
};

// A fresh token whose secret starts with `prefix` ("pvs_" by default).
IssuedToken IssueToken(std::string_view prefix = "pvs_");

// Lowercase hex SHA-256 of `secret` (64 characters). A plain hash is enough: the secret
// carries 256 random bits, so there is nothing for a slow hash to protect.
std::string HashToken(std::string_view secret);

// Constant-time equality of two hex hashes; false when either is empty or lengths differ.
bool TokenHashEquals(std::string_view a_hex, std::string_view b_hex);

}  // namespace provisio::security
