// An HTTP request as handlers see it: plain strings, no Beast or Asio types, so handler code
// compiles fast and can be tested with values alone.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace provisio::http {

struct Request {
  std::string method;  // "GET", upper case as received
  std::string target;  // raw request-target, e.g. "/scim/v2/Users?filter=..."
  std::string path;    // percent-decoded path, no query
  std::vector<std::pair<std::string, std::string>> query;    // percent-decoded, '+' = space
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::string body;
  std::unordered_map<std::string, std::string> params;  // filled by the router from {name}
  std::string request_id;      // sane X-Request-Id from the client, else a new UUID
  std::string remote_address;  // peer IP
  bool secure = false;         // arrived over TLS

  // First header of that name, compared case-insensitively.
  std::optional<std::string_view> Header(std::string_view name) const;
  // First query parameter of that name (exact match).
  std::optional<std::string_view> Query(std::string_view name) const;
  // A router parameter; "" when absent.
  std::string_view Param(std::string_view name) const;
  // A cookie from the Cookie header(s); surrounding double quotes are removed.
  std::optional<std::string_view> Cookie(std::string_view name) const;
};

// ASCII case-insensitive equality, as header names compare.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace provisio::http
