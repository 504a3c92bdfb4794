#include "core/url.h"

#include <algorithm>
#include <cctype>

namespace provisio {

std::string UrlHost(std::string_view url) {
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return "";
  std::string_view rest = url.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  std::string_view host;
  if (rest.starts_with("[")) {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return "";
    host = rest.substr(1, close - 1);
  } else {
    host = rest.substr(0, rest.find(':'));
  }
  std::string out(host);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1") return true;
  // 127.x.y.z, four decimal octets.
  if (!host.starts_with("127.")) return false;
  int dots = 0;
  size_t digits = 0;
  for (char c : host) {
    if (c == '.') {
      if (digits == 0 || digits > 3) return false;
      ++dots;
      digits = 0;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0 && digits <= 3;
}

std::string CheckHttpsOrLoopback(std::string_view field, std::string_view url) {
  std::string host = UrlHost(url);
  if (host.empty()) return std::string(field) + " must be an absolute https:// URL";
  if (url.starts_with("https://")) return "";
  if (url.starts_with("http://")) {
    if (IsLoopbackHost(host)) return "";
    return std::string(field) +
           " must use https://; http:// is accepted only for a loopback host (127.0.0.1, ::1, "
           "localhost), such as a local emulator";
  }
  return std::string(field) + " must be an absolute https:// URL";
}

}  // namespace provisio
