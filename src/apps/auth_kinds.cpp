#include "apps/auth_kinds.h"

namespace provisio::apps {
namespace {

constexpr size_t kSecretChars = 16 * 1024;  // room for a PEM key or a service account JSON

const std::vector<AuthKind>& Kinds() {
  static const std::vector<AuthKind> kinds = {
      {"api_key", "API key", {{"header", false, true, 128}, {"value", true, true, kSecretChars}}},
      {"bearer", "Bearer token", {{"token", true, true, kSecretChars}}},
      {"basic",
       "Basic authentication",
       {{"username", false, true, 1024}, {"password", true, true, kSecretChars}}},
      {"oauth2_client_credentials",
       "OAuth 2.0 client credentials",
       {{"token_url", false, true, 2048},
        {"client_id", false, true, 1024},
        {"client_secret", true, true, kSecretChars},
        {"scope", false, false, 2048}}},
      {"salesforce_jwt_bearer",
       "Salesforce JWT bearer flow",
       {{"login_url", false, true, 2048},
        {"client_id", false, true, 1024},
        {"username", false, true, 1024},
        {"private_key", true, true, kSecretChars}}},
      {"google_service_account",
       "Google service account (domain-wide delegation)",
       {{"service_account_json", true, true, kSecretChars},
        {"admin_email", false, true, 254},
        {"customer_id", false, false, 128}}},
  };
  return kinds;
}

}  // namespace

std::span<const AuthKind> AuthKinds() { return Kinds(); }

const AuthKind* FindAuthKind(std::string_view kind) {
  for (const AuthKind& k : Kinds()) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

}  // namespace provisio::apps
