// A SCIM 2.0 service provider of its own, for tests, benchmarks and people trying Provisio
// without a real SaaS account: in-memory Users and Groups built on the SCIM core (validation,
// filters, PATCH, projection, discovery documents), served under /scim/v2 by http::Server.
// It is deliberately independent of Provisio's own /scim/v2 so the connector meets a second,
// separately written peer. RFC 7644 behaviours: 409 uniqueness on userName, filters, paging by
// startIndex/count, PATCH, ETags (meta.version, If-Match -> 412), Bulk (§3.7: maxOperations,
// maxPayloadSize, failOnErrors, bulkId references, per-operation version as If-Match).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "emulators/common/faults.h"
#include "http/router.h"

namespace provisio::emulators {

struct ScimEmulatorOptions {
  std::string token{};                      // accepted as "Authorization: Bearer TOKEN"; "" none
  std::string basic{};                      // "USER:PASS" accepted as HTTP basic; "" none
  std::vector<FaultRule> faults{};          // applied to every /scim/v2 request
  uint64_t seed = 1;                        // for the fault sequence
  size_t max_results = 1000;                // the largest page (filter.maxResults)
  size_t bulk_max_operations = 1000;        // bulk.maxOperations; 0: no /Bulk
  size_t bulk_max_payload_bytes = 1 << 20;  // bulk.maxPayloadSize
};

class ScimEmulator {
 public:
  explicit ScimEmulator(ScimEmulatorOptions options);
  ~ScimEmulator();
  ScimEmulator(const ScimEmulator&) = delete;
  ScimEmulator& operator=(const ScimEmulator&) = delete;

  // Adds /scim/v2/... routes (ServiceProviderConfig, Schemas, ResourceTypes, Users, Groups,
  // Bulk) and GET /_emulator/stats.
  void AddRoutes(http::Router& router);

  // Creates users user00001..userNNNNN (name, email, externalId, active).
  void SeedUsers(size_t count);

  // JSON snapshot {"Users":[...],"Groups":[...]}; Load replaces the state.
  Status Load(const std::string& file);
  Status Save(const std::string& file) const;

  size_t user_count() const;
  size_t group_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace provisio::emulators
