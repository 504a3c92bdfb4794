#include "core/clock.h"

#include <fmt/format.h>

#include <cctype>
#include <ctime>

namespace provisio {

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string FormatRfc3339(TimePoint t) {
  using namespace std::chrono;
  auto days = floor<std::chrono::days>(t);
  year_month_day ymd{days};
  auto tod = t - days;
  auto h = duration_cast<hours>(tod);
  auto m = duration_cast<minutes>(tod - h);
  auto s = duration_cast<seconds>(tod - h - m);
  auto ms = duration_cast<milliseconds>(tod - h - m - s);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     h.count(), m.count(), s.count(), ms.count());
}

std::optional<TimePoint> ParseRfc3339(std::string_view s) {
  using namespace std::chrono;
  auto digits = [&](size_t pos, size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int Y, M, D, h, m, sec;
  if (!digits(0, 4, Y) || s.size() < 19 || s[4] != '-' || !digits(5, 2, M) || s[7] != '-' ||
      !digits(8, 2, D) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(11, 2, h) ||
      s[13] != ':' || !digits(14, 2, m) || s[16] != ':' || !digits(17, 2, sec)) {
    return std::nullopt;
  }
  year_month_day ymd{year(Y), month(static_cast<unsigned>(M)), day(static_cast<unsigned>(D))};
  if (!ymd.ok() || h > 23 || m > 59 || sec > 60) return std::nullopt;
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100000;
    size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      micros += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int offset_minutes = 0;
  if (pos >= s.size()) return std::nullopt;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!digits(pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(pos + 4, 2, om)) {
      return std::nullopt;
    }
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  TimePoint t = time_point_cast<microseconds>(sys_days(ymd)) + hours(h) + minutes(m) +
                seconds(sec) + microseconds(micros) - minutes(offset_minutes);
  return t;
}

}  // namespace provisio
