#include "scim/value_compare.h"

#include <chrono>

#include "scim/text.h"

namespace provisio::scim {

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::optional<double> AsNumber(const boost::json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

std::optional<bool> AsBool(const boost::json::value& v) {
  if (v.is_bool()) return v.get_bool();
  if (v.is_string()) {
    if (IEquals(v.get_string(), "true")) return true;
    if (IEquals(v.get_string(), "false")) return false;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Instant> ParseDateTime(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (!Digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits(s, 11, 2, h) || s[13] != ':' || !Digits(s, 14, 2, mi) || s[16] != ':' ||
      !Digits(s, 17, 2, sec)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t pos = 19;
  int32_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int32_t scale = 100000000;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      nanos += (s[pos] - '0') * scale;  // digits beyond nanoseconds add 0
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      if (!Digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
          !Digits(s, pos + 4, 2, om)) {
        return std::nullopt;
      }
      offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
      pos += 6;
    }
  }
  if (pos != s.size()) return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  int64_t days = sys_days(ymd).time_since_epoch().count();
  int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  return Instant{seconds, nanos};
}

std::optional<int> CompareValues(const boost::json::value& a, const boost::json::value& b,
                                 const Attribute& attr) {
  switch (attr.type) {
    case AttributeType::kInteger:
    case AttributeType::kDecimal: {
      if (a.is_int64() && b.is_int64()) {
        int64_t x = a.get_int64(), y = b.get_int64();
        return x < y ? -1 : (x > y ? 1 : 0);
      }
      auto x = AsNumber(a), y = AsNumber(b);
      if (!x || !y) return std::nullopt;
      return *x < *y ? -1 : (*x > *y ? 1 : 0);
    }
    case AttributeType::kBoolean: {
      auto x = AsBool(a), y = AsBool(b);
      if (!x || !y) return std::nullopt;
      return *x == *y ? 0 : (*x ? 1 : -1);
    }
    case AttributeType::kDateTime: {
      if (!a.is_string() || !b.is_string()) return std::nullopt;
      auto x = ParseDateTime(a.get_string()), y = ParseDateTime(b.get_string());
      if (x && y) return *x < *y ? -1 : (*x > *y ? 1 : 0);
      std::string_view sa = a.get_string(), sb = b.get_string();
      int c = sa.compare(sb);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case AttributeType::kComplex:
      return std::nullopt;
    case AttributeType::kString:
    case AttributeType::kReference:
    case AttributeType::kBinary: {
      if (!a.is_string() || !b.is_string()) return std::nullopt;
      std::string_view sa = a.get_string(), sb = b.get_string();
      int c = attr.case_exact ? sa.compare(sb) : ICompare(sa, sb);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
  }
  return std::nullopt;
}

bool ValuesEqual(const boost::json::value& a, const boost::json::value& b, const Attribute& attr) {
  if (attr.type == AttributeType::kComplex) {
    if (!a.is_object() || !b.is_object()) return a == b;
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const boost::json::value* other = y.if_contains(kv.key());
      if (other == nullptr) return false;
      const Attribute* sub = attr.FindSub(kv.key());
      if (sub == nullptr ? !(kv.value() == *other) : !ValuesEqual(kv.value(), *other, *sub)) {
        return false;
      }
    }
    return true;
  }
  auto c = CompareValues(a, b, attr);
  if (c) return *c == 0;
  return a == b;
}

}  // namespace provisio::scim
