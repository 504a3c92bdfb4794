// Portal-wide security settings a Super Admin changes at run time (session expiry, sign-in
// lockout, password length): their ranges, their stored form (one Store setting holding a
// JSON object), and the session and throttle policies they produce.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.h"
#include "security/session.h"
#include "security/session_throttle.h"
#include "store/store.h"

namespace provisio::security {

struct SecuritySettings {
  int64_t session_idle_timeout_seconds = 30 * 60;
  int64_t session_absolute_lifetime_seconds = 12 * 60 * 60;
  int64_t lockout_threshold = 5;  // failed sign-ins for one email within 15 minutes
  int64_t lockout_duration_seconds = 15 * 60;
  int64_t min_password_length = 12;  // characters (code points) of a new password

  bool operator==(const SecuritySettings&) const = default;
};

// One field: its JSON name, inclusive range, and where it lives in the struct.
struct SecuritySettingField {
  std::string_view name;
  int64_t min;
  int64_t max;
  int64_t SecuritySettings::*member;
};
std::span<const SecuritySettingField> SecuritySettingFields();

// The Store setting key the JSON form is kept under.
inline constexpr std::string_view kSecuritySettingsKey = "security.settings";

boost::json::object SecuritySettingsJson(const SecuritySettings& s);

// Ok, or kInvalidValue with details {reason, field, min, max}: "out_of_range" for a field
// outside its range, "idle_exceeds_lifetime" when the idle timeout is longer than the
// absolute lifetime.
Status CheckSecuritySettings(const SecuritySettings& s);

// What is stored, or the defaults when nothing is. A stored value that does not parse or
// check (edited by hand) is ignored with a logged error: the defaults are safe.
Result<SecuritySettings> LoadSecuritySettings(store::Store& store);
// Writes inside `tx`, so the change commits with its audit row. Checks first.
Status SaveSecuritySettings(store::Store& store, store::Transaction& tx, const SecuritySettings& s);

// `base` with the settings' idle timeout and absolute lifetime.
SessionPolicy SessionPolicyFor(const SecuritySettings& s, SessionPolicy base = {});
// `base` with the settings' threshold (per email; the per-address net never below it) and
// lockout duration.
ThrottlePolicy ThrottlePolicyFor(const SecuritySettings& s, ThrottlePolicy base = {});

}  // namespace provisio::security
