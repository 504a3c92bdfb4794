#include "apps/auth_kinds.h"

namespace provisio::apps {
namespace {

constexpr size_t kSecretChars = 16 * 1024;  // room for a PEM key or a service account JSON

const std::vector<AuthKind>& Kinds() {
  static const std::vector<AuthKind> kinds = {
      {"api_key",
       "API key",
       {{"header", false, true, 128, "the header that carries the key, e.g. X-Api-Key", ""},
        {"value", true, true, kSecretChars, "", ""}}},
      {"bearer", "Bearer token", {{"token", true, true, kSecretChars, "", ""}}},
      {"basic",
       "Basic authentication",
       {{"username", false, true, 1024, "", ""}, {"password", true, true, kSecretChars, "", ""}}},
      {"oauth2_client_credentials",
       "OAuth 2.0 client credentials",
       {{"token_url", false, true, 2048,
         "the token endpoint; Salesforce: https://MyDomain.my.salesforce.com/services/oauth2/token",
         ""},
        {"client_id", false, true, 1024, "the client id (Salesforce: the consumer key)", ""},
        {"client_secret", true, true, kSecretChars,
         "the client secret (Salesforce: the consumer secret)", ""},
        {"scope", false, false, 2048, "", ""}}},
      {"salesforce_jwt_bearer",
       "Salesforce JWT bearer flow",
       {{"login_url", false, true, 2048,
         "https://login.salesforce.com (production), https://test.salesforce.com (sandbox), or "
         "the org's My Domain URL",
         ""},
        {"client_id", false, true, 1024, "the connected app's consumer key", ""},
        {"username", false, true, 1024,
         "the integration user Provisio acts as (pre-authorized for the connected app)", ""},
        {"private_key", true, true, kSecretChars,
         "the PEM private key whose certificate the connected app holds", "pem"}}},
      {"salesforce_username_password",
       "Salesforce username-password flow",
       {{"login_url", false, true, 2048,
         "https://login.salesforce.com (production) or https://test.salesforce.com (sandbox)", ""},
        {"client_id", false, true, 1024, "the connected app's consumer key", ""},
        {"client_secret", true, true, kSecretChars, "the connected app's consumer secret", ""},
        {"username", false, true, 1024, "the integration user", ""},
        {"password", true, true, kSecretChars,
         "the integration user's password followed by its security token", ""}}},
      {"google_service_account",
       "Google service account (domain-wide delegation)",
       {{"service_account_json", true, true, kSecretChars, "the service account's JSON key file",
         "json"},
        {"admin_email", false, true, 254,
         "a Workspace administrator the service account acts as (domain-wide delegation)", ""},
        {"customer_id", false, false, 128,
         "the Workspace customer id (C0...); default my_customer, the admin's own", ""}}},
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
