#include "connectors/salesforce/salesforce_settings.h"

#include <cctype>

#include "core/json.h"

namespace provisio::connectors::salesforce {
namespace {

bool IsFieldName(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

Result<SalesforceSettings> ParseSalesforceSettings(const boost::json::object& settings) {
  SalesforceSettings s;
  auto integer = [&](std::string_view key, int64_t min, int64_t max) -> Result<int64_t> {
    auto v = json::GetInt(settings, key);
    if (!v || *v < min || *v > max) {
      return Error::InvalidArgument("settings." + std::string(key) + ": an integer " +
                                    std::to_string(min) + ".." + std::to_string(max) +
                                    " is required");
    }
    return *v;
  };
  auto text = [&](std::string_view key, std::string& out) -> Status {
    auto v = json::GetString(settings, key);
    if (!v || v->empty()) {
      return Error::InvalidArgument("settings." + std::string(key) + ": a string is required");
    }
    out = std::string(*v);
    return Ok();
  };
  for (const auto& [key, value] : settings) {
    if (key == "api_version") {
      RETURN_IF_ERROR(text(key, s.api_version));
      if (s.api_version.size() < 4 || s.api_version[0] != 'v' ||
          s.api_version.find('.') == std::string::npos) {
        return Error::InvalidArgument("settings.api_version: like \"v60.0\"");
      }
    } else if (key == "matching_attribute") {
      RETURN_IF_ERROR(text(key, s.matching_attribute));
      if (!IsFieldName(s.matching_attribute)) {
        return Error::InvalidArgument("settings.matching_attribute: a User field name");
      }
    } else if (key == "page_size") {
      ASSIGN_OR_RETURN(int64_t n, integer(key, 200, 2000));
      s.page_size = static_cast<size_t>(n);
    } else if (key == "default_profile") {
      RETURN_IF_ERROR(text(key, s.default_profile));
    } else if (key == "time_zone") {
      RETURN_IF_ERROR(text(key, s.time_zone));
    } else if (key == "locale") {
      RETURN_IF_ERROR(text(key, s.locale));
    } else if (key == "email_encoding") {
      RETURN_IF_ERROR(text(key, s.email_encoding));
    } else if (key == "language") {
      RETURN_IF_ERROR(text(key, s.language));
    } else if (key == "limit_reserve_percent") {
      ASSIGN_OR_RETURN(int64_t n, integer(key, 0, 50));
      s.limit_reserve = static_cast<double>(n) / 100.0;
    } else if (key == "limit_pause_s") {
      ASSIGN_OR_RETURN(int64_t n, integer(key, 1, 86400));
      s.limit_pause = std::chrono::seconds(n);
    } else if (key == "timeout_ms") {
      ASSIGN_OR_RETURN(int64_t n, integer(key, 1, 600000));
      s.timeout = std::chrono::milliseconds(n);
    } else if (key == "insecure_skip_verify") {
      auto v = json::GetBool(settings, key);
      if (!v) return Error::InvalidArgument("settings.insecure_skip_verify: a boolean is required");
      s.insecure_skip_verify = *v;
    } else if (key == "collection_size") {
      ASSIGN_OR_RETURN(int64_t n, integer(key, 1, 200));
      s.collection_size = static_cast<size_t>(n);
    } else if (key == "deprovision") {
      auto v = json::GetString(settings, key);
      if (v == "deactivate") {
        s.deprovision = SalesforceSettings::Deprovision::kDeactivate;
      } else if (v == "freeze") {
        s.deprovision = SalesforceSettings::Deprovision::kFreeze;
      } else if (v == "freeze_and_deactivate") {
        s.deprovision = SalesforceSettings::Deprovision::kFreezeAndDeactivate;
      } else {
        return Error::InvalidArgument(
            "settings.deprovision: \"deactivate\", \"freeze\" or \"freeze_and_deactivate\"");
      }
    } else {
      return Error::InvalidArgument("settings: unknown key \"" + std::string(key) + "\"");
    }
  }
  return s;
}

}  // namespace provisio::connectors::salesforce
