// Redaction for logs and audit records, so that secrets never reach them: which member
// names hold secrets, and JSON with those members replaced by "[redacted]".
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace provisio::security {

inline constexpr std::string_view kRedacted = "[redacted]";

// True for names that hold secrets, case-insensitively and whatever the separator style
// (snake_case, kebab-case, camelCase): password/passwd/passphrase/secret/credential(s) anywhere
// in the name ("new_password", "clientSecret"); a name ending in "token", "cookie" or
// "authorization" ("access_token", "X-CSRF-Token", "Set-Cookie", but not "token_url"); a key
// such as "private_key", "api_key", "x-api-key", "master_key"; and "service_account_json".
// A name ending in "length" ("min_password_length") is a size, never a secret.
bool IsSecretName(std::string_view key);

// `v` with every secret-named member's value replaced by "[redacted]", at any depth. A "value"
// member is redacted too when its object names a header, as in {"header":"X-Key","value":...}
// (api_key auth) or {"name":"Authorization","value":...}.
boost::json::value Redact(const boost::json::value& v);

// Redact(v), serialised.
std::string RedactJson(const boost::json::value& v);

}  // namespace provisio::security
