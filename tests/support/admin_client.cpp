#include "support/admin_client.h"

namespace provisio::testing {

AdminClient::AdminClient(std::string base_url, const std::string& email,
                         const std::string& password)
    : base_url_(std::move(base_url)) {
  boost::json::object creds{{"email", email}, {"password", password}};
  auto r = Fetch("POST", base_url_ + "/api/v1/session", {"Content-Type: application/json"},
                 boost::json::serialize(creds));
  if (r.status != 200) return;
  std::string set_cookie = r.Header("set-cookie");
  cookie_ = set_cookie.substr(0, set_cookie.find(';'));
  auto body = r.Json();
  if (body.is_object() && body.as_object().contains("csrf_token")) {
    csrf_ = std::string(body.at("csrf_token").as_string());
  }
}

HttpResponse AdminClient::Call(const std::string& method, const std::string& path,
                               const std::string& body) const {
  std::vector<std::string> headers = {"Cookie: " + cookie_, "X-CSRF-Token: " + csrf_,
                                      "Content-Type: application/json"};
  return Fetch(method, base_url_ + path, headers, body);
}

boost::json::value AdminClient::Json(const std::string& method, const std::string& path,
                                     const boost::json::value& body) const {
  return Call(method, path, body.is_null() ? "" : boost::json::serialize(body)).Json();
}

}  // namespace provisio::testing
