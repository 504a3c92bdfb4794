#include "connectors/ldap/ldap_settings.h"

#include "core/json.h"

namespace provisio::connectors::ldap {
namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Status CheckFilter(std::string_view key, std::string_view f) {
  int depth = 0;
  for (char c : f) {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (depth < 0) break;
  }
  if (f.size() < 3 || f.front() != '(' || f.back() != ')' || depth != 0) {
    return Error::InvalidArgument("settings." + std::string(key) +
                                  ": an LDAP filter in parentheses is required");
  }
  return Ok();
}

}  // namespace

Result<LdapSettings> ParseLdapSettings(const boost::json::object& settings) {
  LdapSettings s;
  for (const auto& [key, value] : settings) {
    auto text = json::GetString(settings, key);
    if (key == "base_dn" || key == "user_filter" || key == "group_filter") {
      if (!text || text->empty()) {
        return Error::InvalidArgument("settings." + std::string(key) + ": a string is required");
      }
      if (key == "base_dn") {
        s.base_dn = std::string(*text);
      } else {
        RETURN_IF_ERROR(CheckFilter(key, *text));
        (key == "user_filter" ? s.user_filter : s.group_filter) = std::string(*text);
      }
    } else if (key == "page_size" || key == "timeout_ms") {
      // The admin API keeps connection settings as strings: "500" and 500 both work.
      auto v = json::GetInt(settings, key);
      if (auto text = json::GetString(settings, key);
          !v && text && !text->empty() && text->size() < 10 &&
          text->find_first_not_of("0123456789") == std::string_view::npos) {
        v = std::stoll(std::string(*text));
      }
      int64_t max = key == "page_size" ? 5000 : 600000;
      if (!v || *v < 1 || *v > max) {
        return Error::InvalidArgument("settings." + std::string(key) + ": an integer 1.." +
                                      std::to_string(max) + " is required");
      }
      if (key == "page_size") {
        s.page_size = static_cast<size_t>(*v);
      } else {
        s.timeout = std::chrono::milliseconds(*v);
      }
    } else if (key == "start_tls" || key == "insecure_skip_verify") {
      auto v = json::GetBool(settings, key);
      if (auto text = json::GetString(settings, key); !v && text) {
        if (*text == "true") v = true;
        if (*text == "false") v = false;
      }
      if (!v)
        return Error::InvalidArgument("settings." + std::string(key) + ": a boolean is required");
      if (key == "start_tls") {
        s.start_tls = *v;
      } else {
        s.insecure_skip_verify = *v;
      }
    } else {
      return Error::InvalidArgument("settings: unknown key \"" + std::string(key) + "\"");
    }
  }
  if (s.base_dn.empty()) return Error::InvalidArgument("settings.base_dn is required");
  return s;
}

std::string EscapeFilterValue(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (c == '*' || c == '(' || c == ')' || c == '\\' || c == 0) {
      out += '\\';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string EscapeFilterBytes(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += '\\';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += kB64[n & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+')
      v = 62;
    else if (c == '/')
      v = 63;
    else if (c == '=') {
      ++pad;
      v = 0;
    } else
      return std::nullopt;
    if (pad && c != '=') return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (pad > 2) return std::nullopt;
  out.resize(out.size() - pad);
  return out;
}

}  // namespace provisio::connectors::ldap
