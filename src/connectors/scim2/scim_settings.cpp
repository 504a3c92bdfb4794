#include "connectors/scim2/scim_settings.h"

#include <charconv>

#include "core/json.h"
#include "scim/attr_path.h"

namespace provisio::connectors::scim2 {

Result<ScimSettings> ParseScimSettings(const boost::json::object& settings) {
  ScimSettings s;
  // The admin API stores connection settings as strings ("true", "500"); JSON values work too.
  auto positive = [&](std::string_view key, size_t& out, size_t max) -> Status {
    if (!settings.contains(key)) return Ok();
    auto v = json::GetInt(settings, key);
    if (auto text = json::GetString(settings, key); !v && text && !text->empty()) {
      int64_t n = 0;
      auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
      if (ec == std::errc() && p == text->data() + text->size()) v = n;
    }
    if (!v || *v < 1 || static_cast<size_t>(*v) > max) {
      return Error::InvalidArgument("settings." + std::string(key) + ": an integer 1.." +
                                    std::to_string(max) + " is required");
    }
    out = static_cast<size_t>(*v);
    return Ok();
  };
  for (const auto& [key, value] : settings) {
    if (key == "matching_attribute") {
      auto v = json::GetString(settings, key);
      if (!v || !scim::ParseAttrPath(*v).ok()) {
        return Error::InvalidArgument("settings.matching_attribute: an attribute path is required");
      }
      s.matching_attribute = std::string(*v);
    } else if (key == "page_size") {
      RETURN_IF_ERROR(positive(key, s.page_size, 10000));
    } else if (key == "membership_chunk") {
      RETURN_IF_ERROR(positive(key, s.membership_chunk, 1000));
    } else if (key == "timeout_ms") {
      size_t ms = 0;
      RETURN_IF_ERROR(positive(key, ms, 600000));
      s.timeout = std::chrono::milliseconds(ms);
    } else if (key == "insecure_skip_verify") {
      auto v = json::GetBool(settings, key);
      if (!v) return Error::InvalidArgument("settings.insecure_skip_verify: a boolean is required");
      s.insecure_skip_verify = *v;
    } else if (key == "bulk") {
      auto v = json::GetBool(settings, key);
      if (auto text = json::GetString(settings, key); !v && text) {
        if (*text == "true") v = true;
        if (*text == "false") v = false;
      }
      if (!v) return Error::InvalidArgument("settings.bulk: a boolean is required");
      s.bulk = *v;
    } else if (key == "bulk_max_operations") {
      RETURN_IF_ERROR(positive(key, s.bulk_max_operations, 10000));
    } else {
      return Error::InvalidArgument("settings: unknown key \"" + std::string(key) + "\"");
    }
  }
  return s;
}

}  // namespace provisio::connectors::scim2
