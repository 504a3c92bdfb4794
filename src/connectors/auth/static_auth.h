// Credentials that never change: an API key header, a bearer token, HTTP basic.
#pragma once

#include <string>

#include "connectors/auth/auth_provider.h"

namespace provisio::connectors {

// Sets one header to a fixed value (api_key: "X-Api-Key: k"; bearer: "Authorization: Bearer t").
class HeaderAuth final : public AuthProvider {
 public:
  HeaderAuth(std::string header, std::string value)
      : header_(std::move(header)), value_(std::move(value)) {}
  static HeaderAuth Bearer(const std::string& token) {
    return {"Authorization", "Bearer " + token};
  }
  static HeaderAuth Basic(const std::string& user, const std::string& password);

  Status Authorize(http::HttpRequest& request) override;
  bool Refresh(const http::HttpRequest&) override { return false; }

 private:
  std::string header_;
  std::string value_;
};

class NoAuth final : public AuthProvider {
 public:
  Status Authorize(http::HttpRequest&) override { return Ok(); }
  bool Refresh(const http::HttpRequest&) override { return false; }
};

std::string Base64Encode(std::string_view bytes);

}  // namespace provisio::connectors
