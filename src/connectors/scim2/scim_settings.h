// Settings of a SCIM 2.0 connection (the `settings` object of a connection).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <string>

#include "core/result.h"

namespace provisio::connectors::scim2 {

struct ScimSettings {
  std::string matching_attribute = "userName";  // FindUser's default attribute
  size_t page_size = 100;                       // ListUsers/ListGroups count per request
  size_t membership_chunk = 100;                // members per PATCH request
  std::chrono::milliseconds timeout{30000};     // per request
  bool insecure_skip_verify = false;            // loud; for test targets with self-signed certs
  bool bulk = true;                             // use /Bulk for batches when the target offers it
  size_t bulk_max_operations = 0;               // 0: as many as the target's maxOperations allows
};

// Keys: matching_attribute, page_size, membership_chunk, timeout_ms, insecure_skip_verify,
// bulk, bulk_max_operations.
// kInvalidArgument for unknown keys or values out of range.
Result<ScimSettings> ParseScimSettings(const boost::json::object& settings);

}  // namespace provisio::connectors::scim2
