// Connections: validating what an admin sends, sealing the secret fields with the master key
// (the connection id as associated data), and the public view that shows which secrets are
// set but never their values. Connection checks are pluggable per connection type.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <string>

#include "apps/input.h"
#include "core/clock.h"
#include "core/result.h"
#include "security/secret_box.h"
#include "store/connection_store.h"

namespace provisio::apps {

using ConnectionRecord = store::ConnectionRow;
// Secret field name -> plaintext; lives only as long as a connector needs it.
using DecryptedSecrets = std::map<std::string, std::string, std::less<>>;

struct TestResult {
  bool ok = false;
  std::string message;
};

// Checks a connection against its target (a connector's test()). The registry maps a
// connection type ("scim2", ...) to its tester; the composition root fills it.
using ConnectionTester =
    std::function<Result<TestResult>(const ConnectionRecord&, const DecryptedSecrets&)>;
using ConnectionTesters = std::map<std::string, ConnectionTester, std::less<>>;

// A new connection from a create body: {"name","type","base_url","auth":{...},"settings"}.
Result<ConnectionRecord> NewConnection(const Input& body, const security::SecretBox& box,
                                       TimePoint now);

// `current` changed by a PATCH body. Omitted members keep their values; an omitted secret
// keeps the stored one unless the auth kind changes. `type` cannot change.
Result<ConnectionRecord> UpdatedConnection(const ConnectionRecord& current, const Input& body,
                                           const security::SecretBox& box, TimePoint now);

Result<DecryptedSecrets> OpenSecrets(const ConnectionRecord& connection,
                                     const security::SecretBox& box);

// The view every response and audit entry uses: secrets appear as {"set":true}.
boost::json::object ConnectionJson(const ConnectionRecord& connection);

// "scheme://host..." with a scheme from `schemes`, no spaces or control characters.
Status CheckUrl(std::string_view field, std::string_view url,
                std::initializer_list<std::string_view> schemes);

}  // namespace provisio::apps
