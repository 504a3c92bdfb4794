// Google service account credentials: the key file a Google Cloud console hands out, and the
// RS256-signed JWT assertion (RFC 7523, as Google profiles it) that domain-wide delegation
// exchanges for an access token acting as a Workspace admin.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace provisio::connectors::google {

inline constexpr std::string_view kGoogleTokenUri = "https://oauth2.googleapis.com/token";

// The fields of a service account key file that signing needs.
struct ServiceAccountKey {
  std::string client_email;
  std::string private_key;     // PEM, "-----BEGIN PRIVATE KEY-----"
  std::string private_key_id;  // the JWT header's kid, when present
  std::string token_uri = std::string(kGoogleTokenUri);
};

// kInvalidArgument naming the missing or malformed field; never echoes the key.
Result<ServiceAccountKey> ParseServiceAccountKey(std::string_view json_text);

struct AssertionClaims {
  std::string subject;  // sub: the admin to act as; "" sends none
  std::string scope;    // space-separated scopes
  TimePoint issued_at{};
  std::chrono::seconds lifetime{3600};  // Google accepts at most an hour
};

// header.claims.signature, each part unpadded base64url; the signature is RS256 (PKCS #1 v1.5
// over SHA-256) with the key's private key. kInvalidArgument when the key does not load.
Result<std::string> MakeJwtAssertion(const ServiceAccountKey& key, const AssertionClaims& claims);

std::string Base64UrlEncode(std::string_view bytes);

}  // namespace provisio::connectors::google
