// Settings of an LDAP connection (the `settings` object of a connection) and the helpers
// that turn directory data into JSON: filters, escaping, base64 for binary values.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace provisio::connectors::ldap {

struct LdapSettings {
  std::string base_dn;                                      // required
  std::string user_filter = "(objectClass=inetOrgPerson)";  // selects users
  std::string group_filter =                                // selects groups
      "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))";
  size_t page_size = 500;                    // paged results control size (RFC 2696)
  std::chrono::milliseconds timeout{30000};  // per operation and for connecting
  // StartTLS on ldap:// URLs. Unset: on, except for loopback hosts (tests, local slapd).
  std::optional<bool> start_tls{};
  bool insecure_skip_verify = false;  // loud; for test servers with self-signed certificates
};

// Keys: base_dn, user_filter, group_filter, page_size, timeout_ms, start_tls,
// insecure_skip_verify. kInvalidArgument for unknown keys, bad values or a missing base_dn.
Result<LdapSettings> ParseLdapSettings(const boost::json::object& settings);

// RFC 4515 escaping of a value inside a filter: * ( ) \ NUL and non-ASCII bytes as \xx.
std::string EscapeFilterValue(std::string_view value);
// The same for raw bytes (an objectGUID), every byte as \xx.
std::string EscapeFilterBytes(std::string_view bytes);

std::string Base64Encode(std::string_view bytes);
// nullopt when `text` is not base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace provisio::connectors::ldap
