#include "connectors/google/google_settings.h"

#include "core/json.h"

namespace provisio::connectors::google {

Result<GoogleSettings> ParseGoogleSettings(const boost::json::object& settings) {
  GoogleSettings s;
  auto bounded = [&](std::string_view key, size_t& out, size_t max) -> Status {
    auto v = json::GetInt(settings, key);
    if (!v || *v < 1 || static_cast<size_t>(*v) > max) {
      return Error::InvalidArgument("settings." + std::string(key) + ": an integer 1.." +
                                    std::to_string(max) + " is required");
    }
    out = static_cast<size_t>(*v);
    return Ok();
  };
  for (const auto& [key, value] : settings) {
    if (key == "page_size") {
      RETURN_IF_ERROR(bounded(key, s.page_size, 500));
    } else if (key == "group_page_size") {
      RETURN_IF_ERROR(bounded(key, s.group_page_size, 200));
    } else if (key == "member_role") {
      auto v = json::GetString(settings, key);
      if (!v || (*v != "MEMBER" && *v != "MANAGER" && *v != "OWNER")) {
        return Error::InvalidArgument("settings.member_role: MEMBER, MANAGER or OWNER");
      }
      s.member_role = std::string(*v);
    } else if (key == "timeout_ms") {
      size_t ms = 0;
      RETURN_IF_ERROR(bounded(key, ms, 600000));
      s.timeout = std::chrono::milliseconds(ms);
    } else if (key == "insecure_skip_verify") {
      auto v = json::GetBool(settings, key);
      if (!v) return Error::InvalidArgument("settings.insecure_skip_verify: a boolean is required");
      s.insecure_skip_verify = *v;
    } else {
      return Error::InvalidArgument("settings: unknown key \"" + std::string(key) + "\"");
    }
  }
  return s;
}

}  // namespace provisio::connectors::google
