// The admin API as an administrator's browser or script uses it: signs in with email and
// password, keeps the session cookie and sends the CSRF token on every change.
#pragma once

#include <string>

#include "support/http_client.h"

namespace provisio::testing {

class AdminClient {
 public:
  // Signs in at `base_url` (the server root); `ok()` tells whether it worked.
  AdminClient(std::string base_url, const std::string& email, const std::string& password);
  bool ok() const { return !cookie_.empty(); }

  // `path` is below the server root ("/api/v1/applications"); `body` is JSON.
  HttpResponse Call(const std::string& method, const std::string& path,
                    const std::string& body = "") const;
  boost::json::value Json(const std::string& method, const std::string& path,
                          const boost::json::value& body = nullptr) const;

 private:
  std::string base_url_;
  std::string cookie_;
  std::string csrf_;
};

}  // namespace provisio::testing
