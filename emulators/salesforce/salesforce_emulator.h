// A Salesforce org of its own, faithful to the published REST API for what provisioning uses:
// the OAuth 2.0 token endpoint (client credentials, username-password, JWT bearer verified
// RS256 against a configured key), sObject User create/read/update (no delete), a SOQL subset
// with nextRecordsUrl paging, sObject Collections, PermissionSetAssignment, seeded Profiles,
// a UserRole hierarchy and PermissionSets, errors as Salesforce's error arrays, the daily API
// limit (Sforce-Limit-Info, REQUEST_LIMIT_EXCEEDED) and injected faults. State lives in memory
// and is readable through its own API (GET sobjects/..., query).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "emulators/common/faults.h"
#include "http/router.h"

namespace provisio::emulators {

struct SalesforceEmulatorOptions {
  std::string client_id = "emulator-client";  // the connected app's consumer key
  std::string client_secret{};                // "" refuses client credentials and password
  std::string jwt_public_key_pem{};           // PEM public key or certificate; "" refuses JWT
  std::string admin_username = "admin@emulator.example";  // the run-as / integration user
  std::string admin_password = "emulator";                // for the username-password flow
  std::vector<FaultRule> faults{};     // applied to every request, token endpoint included
  uint64_t seed = 1;                   // of the fault sequence
  size_t batch_size = 2000;            // records per query page before Sforce-Query-Options
  uint64_t daily_api_limit = 5000000;  // REST calls before REQUEST_LIMIT_EXCEEDED
  int64_t token_ttl_seconds = 0;       // access tokens expire after this; 0: never
};

class SalesforceEmulator {
 public:
  explicit SalesforceEmulator(SalesforceEmulatorOptions options);
  ~SalesforceEmulator();
  SalesforceEmulator(const SalesforceEmulator&) = delete;
  SalesforceEmulator& operator=(const SalesforceEmulator&) = delete;

  // /services/oauth2/token and /services/data/...
  void AddRoutes(http::Router& router);

  // Creates active Standard Users user00001@seed.example ... with the Standard User profile.
  void SeedUsers(size_t count);

  size_t user_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The 18-character form of a 15-character Salesforce id (the case-folding checksum suffix).
std::string SalesforceId18(std::string_view id15);

}  // namespace provisio::emulators
