#include "connectors/salesforce/salesforce_auth.h"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "connectors/error_class.h"
#include "connectors/salesforce/salesforce_errors.h"
#include "core/json.h"
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

Result<std::string> SalesforceAuth::FormLocked() const {
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

Status SalesforceAuth::FetchLocked() {
  http::HttpRequest req;
  req.method = "POST";
  req.url = options_.token_url;
  req.timeout = options_.timeout;
  req.insecure_skip_verify = options_.insecure_skip_verify;
  req.SetHeader("Content-Type", "application/x-www-form-urlencoded");
  req.SetHeader("Accept", "application/json");
  auto form = FormLocked();
  if (!form.ok()) return ClassifiedError(ErrorClass::kFatal, form.error().message());
  req.body = std::move(form).value();
  auto r = http_.Send(req);
  if (!r.ok()) return ClassifyTransportError(std::move(r).error());
  if (r->status != 200) {
    return ClassifySalesforceResponse(*r, "POST /services/oauth2/token", clock_.Now());
  }
  auto body = json::Parse(r->body);
  if (!body.ok() || !body->is_object()) {
    return ClassifiedError(ErrorClass::kFatal, "token endpoint answered 200 without a JSON object");
  }
  const auto& obj = body->as_object();
  auto token = json::GetString(obj, "access_token");
  auto instance = json::GetString(obj, "instance_url");
  if (!token || token->empty() || !instance ||
      !(instance->starts_with("https://") || instance->starts_with("http://"))) {
    return ClassifiedError(ErrorClass::kFatal,
                           "token endpoint answered without access_token or instance_url");
  }
  header_value_ = "Bearer " + std::string(*token);
  instance_url_ = std::string(*instance);
  while (!instance_url_.empty() && instance_url_.back() == '/') instance_url_.pop_back();
  expires_at_ =
      clock_.Now() + std::chrono::duration_cast<std::chrono::microseconds>(options_.token_lifetime);
  ++fetched_;
  return Ok();
}

Status SalesforceAuth::Authorize(http::HttpRequest& request) {
  std::lock_guard lock(mu_);
  if (header_value_.empty() || clock_.Now() >= expires_at_) RETURN_IF_ERROR(FetchLocked());
  request.SetHeader("Authorization", header_value_);
  if (request.url.starts_with("/")) request.url = instance_url_ + request.url;
  return Ok();
}

bool SalesforceAuth::Refresh(const http::HttpRequest& rejected) {
  std::lock_guard lock(mu_);
  std::string_view used;
  for (const auto& [k, v] : rejected.headers) {
    if (http::EqualsIgnoreCase(k, "Authorization")) used = v;
  }
  if (used == header_value_) header_value_.clear();  // else another thread already refreshed
  return true;
}

int SalesforceAuth::tokens_fetched() const {
  std::lock_guard lock(mu_);
  return fetched_;
}

}  // namespace provisio::connectors::salesforce
