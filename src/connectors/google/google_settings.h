// Settings of a Google Workspace connection (the `settings` object of a connection).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <string>

#include "core/result.h"

namespace provisio::connectors::google {

struct GoogleSettings {
  size_t page_size = 500;                    // users.list maxResults (Google's maximum)
  size_t group_page_size = 200;              // groups.list and members.list maxResults (maximum)
  std::string member_role = "MEMBER";        // role of members AddMembers inserts
  std::chrono::milliseconds timeout{30000};  // per request
  bool insecure_skip_verify = false;         // loud; for test targets with self-signed certs
};

// Keys: page_size (1..500), group_page_size (1..200), member_role (MEMBER|MANAGER|OWNER),
// timeout_ms, insecure_skip_verify. kInvalidArgument for unknown keys or bad values.
Result<GoogleSettings> ParseGoogleSettings(const boost::json::object& settings);

}  // namespace provisio::connectors::google
