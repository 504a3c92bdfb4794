#include "connectors/salesforce/salesforce_auth.h"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "connectors/error_class.h"
#include "connectors/salesforce/salesforce_errors.h"
#include "core/json.h"
#include "core/url.h"
#include "http/request.h"

namespace provisio::connectors::salesforce {
namespace {

std::string FormEncode(std::string_view s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

std::string Host(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  return std::string(url.substr(0, url.find_first_of("/:")));
}

}  // namespace

std::string AudienceFor(std::string_view login_url) {
  std::string host = Host(login_url);
  if (host == "test.salesforce.com" || host.ends_with(".sandbox.my.salesforce.com")) {
    return "https://test.salesforce.com";
  }
  if (host == "login.salesforce.com" || host.ends_with(".my.salesforce.com")) {
    return "https://login.salesforce.com";
  }
  std::string aud(login_url);
  while (!aud.empty() && aud.back() == '/') aud.pop_back();
  return aud;
}

Result<std::string> SalesforceAuth::Form() const {
  switch (options_.grant) {
    case Grant::kJwtBearer: {
      auto now =
          std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
      boost::json::object claims{{"iss", options_.client_id},
                                 {"sub", options_.username},
                                 {"aud", options_.audience},
                                 {"exp", now + options_.assertion_lifetime.count()}};
      ASSIGN_OR_RETURN(std::string assertion, options_.signer->Sign(claims));
      return "grant_type=" + FormEncode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
             "&assertion=" + assertion;
    }
    case Grant::kClientCredentials:
      return "grant_type=client_credentials&client_id=" + FormEncode(options_.client_id) +
             "&client_secret=" + FormEncode(options_.client_secret);
    case Grant::kPassword:
      return "grant_type=password&client_id=" + FormEncode(options_.client_id) +
             "&client_secret=" + FormEncode(options_.client_secret) +
             "&username=" + FormEncode(options_.username) +
             "&password=" + FormEncode(options_.password);
  }
  return Error::Internal("unknown grant");
}

Result<CachedTokenAuth::Token> SalesforceAuth::Fetch() {
  http::HttpRequest req;
  req.method = "POST";
  req.url = options_.token_url;
  req.timeout = options_.timeout;
  req.insecure_skip_verify = options_.insecure_skip_verify;
  req.SetHeader("Content-Type", "application/x-www-form-urlencoded");
  req.SetHeader("Accept", "application/json");
  auto form = Form();
  if (!form.ok()) return ClassifiedError(ErrorClass::kFatal, form.error().message());
  req.body = std::move(form).value();
  auto r = http_.Send(req);
  if (!r.ok()) return ClassifyTransportError(std::move(r).error());
  if (r->status != 200) {
    return ClassifySalesforceResponse(*r, "POST /services/oauth2/token", clock_.Now());
  }
  // Salesforce sends no expires_in: the session lasts as long as the org's policy says.
  boost::json::object obj;
  ASSIGN_OR_RETURN(Token token,
                   ParseTokenResponse(r->body, options_.token_lifetime, std::chrono::seconds(0),
                                      "token endpoint", &obj));
  auto instance = json::GetString(obj, "instance_url");
  if (!instance) {
    return ClassifiedError(ErrorClass::kFatal, "token endpoint answered without instance_url");
  }
  // The session id goes there with every call: https, or http only to a loopback emulator.
  if (std::string problem = CheckHttpsOrLoopback("instance_url", *instance); !problem.empty()) {
    return ClassifiedError(ErrorClass::kFatal, "token endpoint answered an unusable " + problem);
  }
  instance_url_ = std::string(*instance);
  while (!instance_url_.empty() && instance_url_.back() == '/') instance_url_.pop_back();
  return token;
}

void SalesforceAuth::Decorate(http::HttpRequest& request) {
  if (request.url.starts_with("/")) request.url = instance_url_ + request.url;
}

}  // namespace provisio::connectors::salesforce
