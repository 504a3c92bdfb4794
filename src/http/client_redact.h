// Redaction of outbound request details for log lines: secrets in query parameters, URL
// userinfo and headers never reach a log.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace provisio::http {

using SecretNamePredicate = std::function<bool(std::string_view)>;

// `url` with the userinfo password and the values of secret-named query parameters replaced
// by "[redacted]" and the fragment dropped. An empty predicate redacts every query value.
std::string RedactUrl(std::string_view url, const SecretNamePredicate& is_secret_name);

// The header value as it may be logged: "[redacted]" for Authorization, Proxy-Authorization,
// Cookie and secret-named headers (every header when the predicate is empty).
std::string RedactHeader(std::string_view name, std::string_view value,
                         const SecretNamePredicate& is_secret_name);

}  // namespace provisio::http
