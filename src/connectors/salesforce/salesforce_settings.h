// Settings of a Salesforce connection (the `settings` object of a connection).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <string>

#include "core/result.h"

namespace provisio::connectors::salesforce {

struct SalesforceSettings {
  std::string api_version = "v60.0";            // REST base /services/data/{api_version}
  std::string matching_attribute = "Username";  // FindUser's default field
  size_t page_size = 2000;                      // query batch size, 200..2000
  // Required User fields a mapping may leave out, filled on create.
  std::string default_profile = "Standard User";  // a Profile Name, or an 00e... id
  std::string time_zone = "America/Los_Angeles";
  std::string locale = "en_US";
  std::string email_encoding = "UTF-8";
  std::string language = "en_US";
  // Slow down before the org's daily API allocation is gone: with less than this share left
  // (from Sforce-Limit-Info), calls answer kRateLimited for `limit_pause` without being sent.
  double limit_reserve = 0.05;
  std::chrono::seconds limit_pause{900};
  std::chrono::milliseconds timeout{30000};  // per request
  bool insecure_skip_verify = false;         // loud; for test targets with self-signed certs
  size_t collection_size = 200;  // records per sObject Collections call, 1..200; 1: no batches
  // What disabling (and "deleting": Salesforce users cannot be deleted) an account does:
  // deactivate (IsActive=false, frees the licence), freeze (UserLogin.IsFrozen=true: no login,
  // the licence stays, e.g. while ownership of records moves), or both.
  enum class Deprovision { kDeactivate, kFreeze, kFreezeAndDeactivate };
  Deprovision deprovision = Deprovision::kDeactivate;
  bool freezes() const { return deprovision != Deprovision::kDeactivate; }
  bool deactivates() const { return deprovision != Deprovision::kFreeze; }
};

// Keys: api_version, matching_attribute, page_size, default_profile, time_zone, locale,
// email_encoding, language, limit_reserve_percent, limit_pause_s, timeout_ms,
// insecure_skip_verify, collection_size, deprovision ("deactivate", "freeze",
// "freeze_and_deactivate"). kInvalidArgument for unknown keys or values out of range.
Result<SalesforceSettings> ParseSalesforceSettings(const boost::json::object& settings);

}  // namespace provisio::connectors::salesforce
