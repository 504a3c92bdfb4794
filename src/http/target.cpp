#include "http/target.h"

namespace provisio::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Error BadTarget(std::string_view why) {
  return Error::InvalidArgument("malformed request target: " + std::string(why));
}

}  // namespace

bool PercentDecode(std::string_view in, bool plus_as_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return false;
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

Result<Target> ParseTarget(std::string_view target) {
  if (target.empty()) return BadTarget("empty");
  Target out;
  if (target == "*") {
    out.path = "*";
    return out;
  }
  std::string_view rest = target;
  if (rest.front() != '/') {
    // absolute-form: scheme "://" authority path-abempty [ "?" query ]
    size_t scheme_end = rest.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0) return BadTarget("form");
    rest.remove_prefix(scheme_end + 3);
    size_t path_start = rest.find_first_of("/?");
    rest = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  }
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t qmark = rest.find('?');
  std::string_view raw_path = rest.substr(0, qmark);
  std::string_view raw_query =
      qmark == std::string_view::npos ? std::string_view() : rest.substr(qmark + 1);
  if (raw_path.empty()) {
    out.path = "/";
  } else if (!PercentDecode(raw_path, false, out.path)) {
    return BadTarget("bad percent-encoding in path");
  }
  while (!raw_query.empty()) {
    size_t amp = raw_query.find('&');
    std::string_view pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key;
    std::string value;
    if (!PercentDecode(pair.substr(0, eq), true, key) ||
        (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, value))) {
      return BadTarget("bad percent-encoding in query");
    }
    out.query.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

}  // namespace provisio::http
