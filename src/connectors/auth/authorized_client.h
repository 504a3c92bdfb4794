// The http::Client as connectors use it: credentials added to each request, one retry with
// refreshed credentials after a 401, transport failures classified (error_class.h).
#pragma once

#include <memory>

#include "connectors/auth/auth_provider.h"
#include "http/client.h"

namespace provisio::connectors {

class AuthorizedClient {
 public:
  AuthorizedClient(http::Client& http, std::unique_ptr<AuthProvider> auth)
      : http_(http), auth_(std::move(auth)) {}

  // An HTTP response of any status, or a classified Error (transport or credentials).
  Result<http::HttpResponse> Send(http::HttpRequest request);

 private:
  http::Client& http_;
  std::unique_ptr<AuthProvider> auth_;
};

}  // namespace provisio::connectors
