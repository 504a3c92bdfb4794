#include "connectors/google/google_auth.h"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "connectors/error_class.h"
#include "connectors/google/google_errors.h"
#include "core/json.h"
#include "http/request.h"

namespace provisio::connectors::google {
namespace {

constexpr std::string_view kJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";

std::string FormEncode(std::string_view s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

}  // namespace

Result<CachedTokenAuth::Token> ServiceAccountAuth::Fetch() {
  AssertionClaims claims{options_.admin_email, options_.scope, clock_.Now(),
                         options_.assertion_lifetime};
  auto assertion = MakeJwtAssertion(options_.key, claims);
  if (!assertion.ok()) {
    return ClassifiedError(ErrorClass::kAuth, "service account: " + assertion.error().message());
  }
  http::HttpRequest req;
  req.method = "POST";
  req.url = options_.key.token_uri;
  req.timeout = options_.timeout;
  req.insecure_skip_verify = options_.insecure_skip_verify;
  req.SetHeader("Content-Type", "application/x-www-form-urlencoded");
  req.SetHeader("Accept", "application/json");
  req.body = "grant_type=" + FormEncode(kJwtBearer) + "&assertion=" + *assertion;
  auto r = http_.Send(req);
  if (!r.ok()) return ClassifyTransportError(std::move(r).error());
  if (r->status != 200) return ClassifyGoogleResponse(*r, "POST token_uri", clock_.Now());
  return ParseTokenResponse(r->body, std::chrono::seconds(3600), options_.expiry_margin,
                            "token_uri");
}

Result<std::unique_ptr<ServiceAccountAuth>> MakeServiceAccountAuth(
    const boost::json::object& auth, http::Client& http, const Clock& clock,
    std::chrono::milliseconds timeout, bool insecure_skip_verify) {
  if (json::GetString(auth, "kind") != "google_service_account") {
    return Error::InvalidArgument("auth: kind \"google_service_account\" is required");
  }
  const auto* key_json = auth.if_contains("service_account_json");
  std::string key_text;
  if (key_json != nullptr && key_json->is_string()) {
    key_text = std::string(key_json->as_string());
  } else if (key_json != nullptr && key_json->is_object()) {
    key_text = boost::json::serialize(*key_json);
  } else {
    return Error::InvalidArgument("auth: \"service_account_json\" is required");
  }
  ServiceAccountAuthOptions o;
  ASSIGN_OR_RETURN(o.key, ParseServiceAccountKey(key_text));
  o.admin_email = std::string(json::GetString(auth, "admin_email").value_or(""));
  if (o.admin_email.find('@') == std::string::npos) {
    return Error::InvalidArgument(
        "auth: \"admin_email\" (the Workspace admin the service account acts as) is required");
  }
  o.timeout = timeout;
  o.insecure_skip_verify = insecure_skip_verify;
  return std::make_unique<ServiceAccountAuth>(std::move(o), http, clock);
}

}  // namespace provisio::connectors::google
