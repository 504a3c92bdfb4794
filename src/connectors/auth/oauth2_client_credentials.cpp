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

Status OAuth2ClientCredentials::FetchLocked() {
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
  auto body = json::Parse(r->body);
  if (!body.ok() || !body->is_object()) {
    return ClassifiedError(ErrorClass::kFatal, "token endpoint answered 200 without a JSON object");
  }
  const auto& obj = body->as_object();
  auto token = json::GetString(obj, "access_token");
  if (!token || token->empty()) {
    return ClassifiedError(ErrorClass::kFatal, "token endpoint answered without access_token");
  }
  std::chrono::seconds lifetime = options_.default_lifetime;
  if (auto expires = json::GetInt(obj, "expires_in")) lifetime = std::chrono::seconds(*expires);
  auto usable =
      lifetime > 2 * options_.expiry_margin ? lifetime - options_.expiry_margin : lifetime / 2;
  header_value_ = "Bearer " + std::string(*token);
  expires_at_ = clock_.Now() + std::chrono::duration_cast<std::chrono::microseconds>(usable);
  ++fetched_;
  return Ok();
}

Status OAuth2ClientCredentials::Authorize(http::HttpRequest& request) {
  std::lock_guard lock(mu_);
  if (header_value_.empty() || clock_.Now() >= expires_at_) RETURN_IF_ERROR(FetchLocked());
  request.SetHeader("Authorization", header_value_);
  return Ok();
}

bool OAuth2ClientCredentials::Refresh(const http::HttpRequest& rejected) {
  std::lock_guard lock(mu_);
  std::string_view used;
  for (const auto& [k, v] : rejected.headers) {
    if (http::EqualsIgnoreCase(k, "Authorization")) used = v;
  }
  if (used == header_value_) header_value_.clear();  // else another thread already refreshed
  return true;
}

int OAuth2ClientCredentials::tokens_fetched() const {
  std::lock_guard lock(mu_);
  return fetched_;
}

}  // namespace provisio::connectors
