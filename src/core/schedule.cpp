#include "core/schedule.h"

#include <cstdint>

namespace provisio {

std::optional<std::chrono::minutes> ParseScheduleInterval(std::string_view s) {
  if (s.size() < 2 || s.size() > 10) return std::nullopt;
  int64_t n = 0;
  for (char c : s.substr(0, s.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  switch (s.back()) {
    case 'm':
      return std::chrono::minutes(n);
    case 'h':
      return std::chrono::minutes(n * 60);
    case 'd':
      return std::chrono::minutes(n * 1440);
    default:
      return std::nullopt;
  }
}

}  // namespace provisio
