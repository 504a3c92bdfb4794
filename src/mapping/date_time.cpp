#include "mapping/date_time.h"

#include <cstdint>
#include <optional>

#include "scim/text.h"
#include "scim/value_compare.h"

namespace provisio::mapping {
namespace {

// Howard Hinnant's civil-calendar algorithms.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

Error Invalid(std::string m) { return {Code::kInvalidValue, std::move(m)}; }

bool IsNamedIso(std::string_view format) {
  return format.empty() || scim::IEquals(format, "ISO8601") || scim::IEquals(format, "RFC3339") ||
         scim::IEquals(format, "ISO 8601") || scim::IEquals(format, "o");
}

// One piece of a custom format: a run of one pattern letter, or literal text.
struct Piece {
  char letter = 0;  // 0 for literal
  size_t count = 0;
  std::string_view literal;
};

template <typename Fn>
Status ForEachPiece(std::string_view format, Fn&& fn) {
  size_t i = 0;
  while (i < format.size()) {
    char c = format[i];
    if (c == '\'') {
      size_t end = format.find('\'', i + 1);
      if (end == std::string_view::npos) return Invalid("unclosed quote in format");
      RETURN_IF_ERROR(fn(Piece{0, 0, format.substr(i + 1, end - i - 1)}));
      i = end + 1;
      continue;
    }
    size_t j = i;
    while (j < format.size() && format[j] == c) ++j;
    bool pattern = c == 'y' || c == 'M' || c == 'd' || c == 'H' || c == 'm' || c == 's' ||
                   c == 'f' || c == 'K' || c == 'z';
    if (pattern) {
      RETURN_IF_ERROR(fn(Piece{c, j - i, {}}));
    } else {
      RETURN_IF_ERROR(fn(Piece{0, 0, format.substr(i, j - i)}));
    }
    i = j;
  }
  return Ok();
}

struct Fields {
  int64_t year = 1970;
  unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int32_t nanos = 0;
  int offset_minutes = 0;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Result<scim::Instant> ParseCustom(std::string_view value, std::string_view format) {
  Fields f;
  size_t pos = 0;
  auto digits = [&](size_t min, size_t max, int64_t& out) -> bool {
    size_t n = 0;
    out = 0;
    while (n < max && pos + n < value.size() && IsDigit(value[pos + n])) {
      out = out * 10 + (value[pos + n] - '0');
      ++n;
    }
    if (n < min) return false;
    pos += n;
    return true;
  };
  auto mismatch = [&]() {
    return Invalid("'" + std::string(value) + "' does not match format '" + std::string(format) +
                   "'");
  };
  Status s = ForEachPiece(format, [&](const Piece& p) -> Status {
    int64_t n = 0;
    if (p.letter == 0) {
      if (!scim::IEquals(value.substr(pos, p.literal.size()), p.literal)) return mismatch();
      pos += p.literal.size();
      return Ok();
    }
    switch (p.letter) {
      case 'y':
        if (p.count == 2) {
          if (!digits(2, 2, n)) return mismatch();
          f.year = 2000 + n;
        } else {
          if (!digits(4, 4, n)) return mismatch();
          f.year = n;
        }
        return Ok();
      case 'f': {
        if (p.count > 9 || !digits(p.count, p.count, n)) return mismatch();
        for (size_t k = p.count; k < 9; ++k) n *= 10;
        f.nanos = static_cast<int32_t>(n);
        return Ok();
      }
      case 'K':
      case 'z': {
        if (pos < value.size() && (value[pos] == 'Z' || value[pos] == 'z')) {
          ++pos;
          return Ok();
        }
        if (pos >= value.size() || (value[pos] != '+' && value[pos] != '-')) return mismatch();
        int sign = value[pos++] == '-' ? -1 : 1;
        int64_t hh = 0, mm = 0;
        if (!digits(2, 2, hh)) return mismatch();
        if (pos < value.size() && value[pos] == ':') ++pos;
        if (!digits(2, 2, mm) || hh > 23 || mm > 59) return mismatch();
        f.offset_minutes = sign * static_cast<int>(hh * 60 + mm);
        return Ok();
      }
      default: {
        if (!digits(p.count >= 2 ? 2 : 1, 2, n)) return mismatch();
        auto u = static_cast<unsigned>(n);
        if (p.letter == 'M') f.month = u;
        if (p.letter == 'd') f.day = u;
        if (p.letter == 'H') f.hour = u;
        if (p.letter == 'm') f.minute = u;
        if (p.letter == 's') f.second = u;
        return Ok();
      }
    }
  });
  RETURN_IF_ERROR(s);
  if (pos != value.size()) return mismatch();
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > DaysInMonth(f.year, f.month) ||
      f.hour > 23 || f.minute > 59 || f.second > 60) {
    return Invalid("'" + std::string(value) + "' is not a valid date and time");
  }
  int64_t seconds = DaysFromCivil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 +
                    f.second - int64_t{f.offset_minutes} * 60;
  return scim::Instant{seconds, f.nanos};
}

void AppendNumber(std::string& out, int64_t n, size_t width) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  if (n < 0) out += '-';
  for (size_t k = digits.size(); k < width; ++k) out += '0';
  out += digits;
}

Result<std::string> Format(const scim::Instant& t, std::string_view format) {
  if (scim::IEquals(format, "ISO8601") || scim::IEquals(format, "RFC3339") ||
      scim::IEquals(format, "ISO 8601")) {
    format = "yyyy-MM-ddTHH:mm:ssZ";
  }
  if (format.empty()) return Invalid("the output format is empty");
  int64_t days = t.seconds >= 0 ? t.seconds / 86400 : -((-t.seconds + 86399) / 86400);
  int64_t secs = t.seconds - days * 86400;
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(days, year, month, day);
  std::string out;
  Status s = ForEachPiece(format, [&](const Piece& p) -> Status {
    switch (p.letter) {
      case 0:
        out += p.literal;
        break;
      case 'y':
        p.count == 2 ? AppendNumber(out, year % 100, 2) : AppendNumber(out, year, p.count);
        break;
      case 'M':
        AppendNumber(out, month, p.count >= 2 ? 2 : 1);
        break;
      case 'd':
        AppendNumber(out, day, p.count >= 2 ? 2 : 1);
        break;
      case 'H':
        AppendNumber(out, secs / 3600, p.count >= 2 ? 2 : 1);
        break;
      case 'm':
        AppendNumber(out, secs / 60 % 60, p.count >= 2 ? 2 : 1);
        break;
      case 's':
        AppendNumber(out, secs % 60, p.count >= 2 ? 2 : 1);
        break;
      case 'f': {
        if (p.count > 9) return Invalid("at most 9 'f' in a format");
        int64_t n = t.nanos;
        for (size_t k = p.count; k < 9; ++k) n /= 10;
        AppendNumber(out, n, p.count);
        break;
      }
      case 'K':
        out += 'Z';
        break;
      case 'z':
        out += p.count >= 3 ? "+00:00" : "+00";
        break;
    }
    return Ok();
  });
  RETURN_IF_ERROR(s);
  return out;
}

}  // namespace

Result<std::string> ReformatDateTime(std::string_view value, std::string_view in_format,
                                     std::string_view out_format) {
  std::optional<scim::Instant> instant;
  if (IsNamedIso(in_format)) {
    instant = scim::ParseDateTime(value);
    if (!instant) return Invalid("'" + std::string(value) + "' is not an ISO 8601 date and time");
  } else {
    ASSIGN_OR_RETURN(instant, ParseCustom(value, in_format));
  }
  return Format(*instant, out_format);
}

}  // namespace provisio::mapping
