#include "security/security_settings.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "security/password.h"

namespace provisio::security {
namespace {

using S = SecuritySettings;

constexpr SecuritySettingField kFields[] = {
    {"session_idle_timeout_seconds", 60, 24 * 60 * 60, &S::session_idle_timeout_seconds},
    {"session_absolute_lifetime_seconds", 5 * 60, 30 * 24 * 60 * 60,
     &S::session_absolute_lifetime_seconds},
    {"lockout_threshold", 1, 100, &S::lockout_threshold},
    {"lockout_duration_seconds", 60, 24 * 60 * 60, &S::lockout_duration_seconds},
    {"min_password_length", 8, 256, &S::min_password_length},
};

Error Invalid(std::string_view reason, std::string message, boost::json::object details) {
  details["reason"] = reason;
  return Error(Code::kInvalidValue, std::move(message), std::move(details));
}

Result<SecuritySettings> Parse(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return Error::Internal("not a JSON object");
  SecuritySettings s;
  for (const SecuritySettingField& f : kFields) {
    const auto* member = v.as_object().if_contains(f.name);
    if (!member) continue;  // a field added later keeps its default
    if (!member->is_int64()) return Error::Internal(std::string(f.name) + " is not an integer");
    s.*f.member = member->as_int64();
  }
  RETURN_IF_ERROR(CheckSecuritySettings(s));
  return s;
}

}  // namespace

std::span<const SecuritySettingField> SecuritySettingFields() { return kFields; }

boost::json::object SecuritySettingsJson(const SecuritySettings& s) {
  boost::json::object o;
  for (const SecuritySettingField& f : kFields) o[f.name] = s.*f.member;
  return o;
}

Status CheckSecuritySettings(const SecuritySettings& s) {
  for (const SecuritySettingField& f : kFields) {
    int64_t v = s.*f.member;
    if (v < f.min || v > f.max) {
      return Invalid("out_of_range",
                     std::string(f.name) + " must be from " + std::to_string(f.min) + " to " +
                         std::to_string(f.max),
                     {{"field", f.name}, {"min", f.min}, {"max", f.max}});
    }
  }
  if (s.session_idle_timeout_seconds > s.session_absolute_lifetime_seconds) {
    return Invalid(
        "idle_exceeds_lifetime",
        "session_idle_timeout_seconds must not exceed "
        "session_absolute_lifetime_seconds",
        {{"field", "session_idle_timeout_seconds"}, {"max", s.session_absolute_lifetime_seconds}});
  }
  return Ok();
}

Result<SecuritySettings> LoadSecuritySettings(store::Store& store) {
  ASSIGN_OR_RETURN(auto text, store.GetSetting(kSecuritySettingsKey));
  if (!text) return SecuritySettings{};
  auto parsed = Parse(*text);
  if (!parsed.ok()) {
    spdlog::error("stored security settings ignored, defaults in force: {}",
                  parsed.error().message());
    return SecuritySettings{};
  }
  return parsed;
}

Status SaveSecuritySettings(store::Store& store, store::Transaction& tx,
                            const SecuritySettings& s) {
  RETURN_IF_ERROR(CheckSecuritySettings(s));
  return store.PutSetting(tx, kSecuritySettingsKey,
                          boost::json::serialize(SecuritySettingsJson(s)));
}

SessionPolicy SessionPolicyFor(const SecuritySettings& s, SessionPolicy base) {
  base.idle = std::chrono::seconds(s.session_idle_timeout_seconds);
  base.absolute = std::chrono::seconds(s.session_absolute_lifetime_seconds);
  return base;
}

ThrottlePolicy ThrottlePolicyFor(const SecuritySettings& s, ThrottlePolicy base) {
  base.max_failures_per_email = static_cast<int>(s.lockout_threshold);
  base.max_failures_per_address =
      std::max(base.max_failures_per_address, static_cast<int>(s.lockout_threshold));
  base.lockout = std::chrono::seconds(s.lockout_duration_seconds);
  return base;
}

}  // namespace provisio::security
