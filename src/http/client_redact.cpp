#include "http/client_redact.h"

#include <cctype>

namespace provisio::http {
namespace {

constexpr std::string_view kRedacted = "[redacted]";

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

bool Secret(std::string_view name, const SecretNamePredicate& is_secret_name) {
  return !is_secret_name || is_secret_name(name);
}

}  // namespace

std::string RedactUrl(std::string_view url, const SecretNamePredicate& is_secret_name) {
  if (auto hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  std::string_view rest = url;
  std::string_view query;
  bool has_query = false;
  if (auto q = url.find('?'); q != std::string_view::npos) {
    has_query = true;
    rest = url.substr(0, q);
    query = url.substr(q + 1);
  }
  std::string out;
  // userinfo: scheme://user:password@host
  auto scheme_end = rest.find("://");
  size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  size_t authority_end = rest.find('/', authority_start);
  if (authority_end == std::string_view::npos) authority_end = rest.size();
  std::string_view authority = rest.substr(authority_start, authority_end - authority_start);
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    auto colon = userinfo.find(':');
    out.append(rest.substr(0, authority_start));
    out.append(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) {
      out.push_back(':');
      out.append(kRedacted);
    }
    out.append(rest.substr(authority_start + at));
  } else {
    out.append(rest);
  }
  if (!has_query) {
    return out;
  }
  out.push_back('?');
  bool first = true;
  while (true) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (!first) out.push_back('&');
    first = false;
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      out.append(pair);
    } else {
      std::string_view key = pair.substr(0, eq);
      out.append(key);
      out.push_back('=');
      if (Secret(PercentDecode(key), is_secret_name)) {
        out.append(kRedacted);
      } else {
        out.append(pair.substr(eq + 1));
      }
    }
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  return out;
}

std::string RedactHeader(std::string_view name, std::string_view value,
                         const SecretNamePredicate& is_secret_name) {
  if (IEquals(name, "Authorization") || IEquals(name, "Proxy-Authorization") ||
      IEquals(name, "Cookie") || IEquals(name, "Set-Cookie") || Secret(name, is_secret_name)) {
    return std::string(kRedacted);
  }
  return std::string(value);
}

}  // namespace provisio::http
