// A Google Workspace domain of its own: the OAuth token endpoint for service accounts
// (google_token.h) and the Admin SDK Directory API under /admin/directory/v1 (users, groups,
// members, org units, admin roles and role assignments), in memory, with Google's error shape
// {"error":{"code","message","errors":[{"domain","reason","message"}],"status"}}, etags,
// opaque page tokens, per-minute quota and fault injection. Written from the published API
// reference (../shared/specs/google-workspace.md), separately from the connector.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "emulators/common/faults.h"
#include "http/router.h"

namespace provisio::emulators {

struct GoogleEmulatorOptions {
  std::string public_key_pem;             // the service account's public key (or certificate)
  std::string domain = "example.com";     // users and groups live here only
  std::string customer_id = "C03az79cb";  // answered for customer=my_customer
  std::vector<FaultRule> faults{};        // applied to Directory API requests, not /token
  uint64_t seed = 1;
  size_t quota_per_minute = 0;  // Directory requests per minute before 403 userRateLimitExceeded
  std::chrono::seconds token_lifetime{3600};
};

class GoogleEmulator {
 public:
  static Result<std::unique_ptr<GoogleEmulator>> Create(GoogleEmulatorOptions options);
  ~GoogleEmulator();
  GoogleEmulator(const GoogleEmulator&) = delete;
  GoogleEmulator& operator=(const GoogleEmulator&) = delete;

  // POST /token and /admin/directory/v1/... routes.
  void AddRoutes(http::Router& router);

  // Creates user00001@DOMAIN .. userNNNNN@DOMAIN.
  void SeedUsers(size_t count);
  size_t user_count() const;

 private:
  struct Impl;
  explicit GoogleEmulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace provisio::emulators
