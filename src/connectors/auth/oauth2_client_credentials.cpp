#include "connectors/auth/oauth2_client_credentials.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "connectors/auth/static_auth.h"
#include "connectors/error_class.h"
#include "core/json.h"
#include "http/request.h"

namespace provisio::connectors {
namespace {

std::string FormEncode(std::string_view s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

// The one classification of token endpoint answers (RFC 6749 §5.2).
Error ClassifyTokenResponse(const http::HttpResponse& r, TimePoint now) {
  std::string code;
  if (auto body = json::Parse(r.body); body.ok() && body->is_object()) {
    code = std::string(json::GetString(body->as_object(), "error").value_or(""));
  }
  std::string message = "token endpoint answered " + std::to_string(r.status) +
                        (code.empty() ? "" : " (" + code + ")");
  ErrorInfo info{r.status, std::nullopt};
  if (auto ra = r.Header("Retry-After")) info.retry_after = ParseRetryAfter(*ra, now);
  if (r.status == 429) return ClassifiedError(ErrorClass::kRateLimited, message, info);
  if (r.status >= 500) return ClassifiedError(ErrorClass::kRetryable, message, info);
  if (r.status == 400 || r.status == 401 || r.status == 403) {
    return ClassifiedError(ErrorClass::kAuth, message, info);
  }
  return ClassifiedError(ErrorClass::kFatal, message, info);
}

}  // namespace

Result<CachedTokenAuth::Token> OAuth2ClientCredentials::Fetch() {
  http::HttpRequest req;
  req.method = "POST";
  req.url = options_.token_url;
  req.SetHeader("Content-Type", "application/x-www-form-urlencoded");
  req.SetHeader("Accept", "application/json");
  // RFC 6749 §2.3.1: client id and secret form-encoded, then HTTP basic.
  req.SetHeader("Authorization", "Basic " + Base64Encode(FormEncode(options_.client_id) + ":" +
                                                         FormEncode(options_.client_secret)));
  req.body = "grant_type=client_credentials";
  if (!options_.scope.empty()) req.body += "&scope=" + FormEncode(options_.scope);
  auto r = http_.Send(req);
  if (!r.ok()) return ClassifyTransportError(std::move(r).error());
  if (r->status != 200) return ClassifyTokenResponse(*r, clock_.Now());
  return ParseTokenResponse(r->body, options_.default_lifetime, options_.expiry_margin,
                            "token endpoint");
}

}  // namespace provisio::connectors
