// Per-connection credentials added to each outbound request: api_key (a header), bearer,
// basic, and OAuth 2.0 client credentials (token cached until it expires, refreshed once when
// the target answers 401). Built from the `auth` object of a connection (INTERFACES).
#pragma once

#include <boost/json/object.hpp>
#include <memory>

#include "core/clock.h"
#include "core/result.h"
#include "http/client.h"

namespace provisio::connectors {

class AuthProvider {
 public:
  virtual ~AuthProvider() = default;
  // Adds credentials to `request`; may block fetching a token. Errors are classified.
  virtual Status Authorize(http::HttpRequest& request) = 0;
  // `rejected` (prepared by Authorize) got a 401: drop the credentials it carried if they are
  // still the current ones. True when a new Authorize may succeed where that one failed.
  virtual bool Refresh(const http::HttpRequest& rejected) = 0;
};

// `auth`: {"kind":"api_key","header","value"} | {"kind":"bearer","token"} |
// {"kind":"basic","username","password"} | {"kind":"oauth2_client_credentials","token_url",
// "client_id","client_secret","scope"?} | {"kind":"none"}. kInvalidArgument otherwise.
Result<std::unique_ptr<AuthProvider>> MakeAuthProvider(const boost::json::object& auth,
                                                       http::Client& http, const Clock& clock);

}  // namespace provisio::connectors
