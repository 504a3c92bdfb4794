// An application's `sync_schedule`: "manual", or an interval "<n>m" / "<n>h" / "<n>d". One
// parser for every scheduler (imports, provisioning syncs) and the settings check.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace provisio {

// The interval; nullopt for "manual" or anything else.
std::optional<std::chrono::minutes> ParseScheduleInterval(std::string_view s);

}  // namespace provisio
