#include "connectors/auth/cached_token_auth.h"

#include "connectors/error_class.h"
#include "core/json.h"
#include "http/request.h"

namespace provisio::connectors {

Status CachedTokenAuth::Authorize(http::HttpRequest& request) {
  std::lock_guard lock(mu_);
  if (header_value_.empty() || clock_.Now() >= expires_at_) {
    ASSIGN_OR_RETURN(Token token, Fetch());
    header_value_ = "Bearer " + token.access_token;
    expires_at_ = clock_.Now() + token.usable_for;
    ++fetched_;
  }
  request.SetHeader("Authorization", header_value_);
  Decorate(request);
  return Ok();
}

bool CachedTokenAuth::Refresh(const http::HttpRequest& rejected) {
  std::lock_guard lock(mu_);
  std::string_view used;
  for (const auto& [k, v] : rejected.headers) {
    if (http::EqualsIgnoreCase(k, "Authorization")) used = v;
  }
  if (used == header_value_) header_value_.clear();  // else another thread already refreshed
  return true;
}

int CachedTokenAuth::tokens_fetched() const {
  std::lock_guard lock(mu_);
  return fetched_;
}

Result<CachedTokenAuth::Token> ParseTokenResponse(std::string_view body,
                                                  std::chrono::seconds default_lifetime,
                                                  std::chrono::seconds margin, std::string_view who,
                                                  boost::json::object* whole) {
  auto parsed = json::Parse(body);
  if (!parsed.ok() || !parsed->is_object()) {
    return ClassifiedError(ErrorClass::kFatal,
                           std::string(who) + " answered 200 without a JSON object");
  }
  const auto& obj = parsed->as_object();
  auto token = json::GetString(obj, "access_token");
  if (!token || token->empty()) {
    return ClassifiedError(ErrorClass::kFatal, std::string(who) + " answered without access_token");
  }
  std::chrono::seconds lifetime = default_lifetime;
  if (auto expires = json::GetInt(obj, "expires_in"); expires && *expires > 0) {
    lifetime = std::chrono::seconds(*expires);
  }
  auto usable = lifetime > 2 * margin ? lifetime - margin : lifetime / 2;
  CachedTokenAuth::Token out{std::string(*token),
                             std::chrono::duration_cast<std::chrono::microseconds>(usable)};
  if (whole) *whole = obj;
  return out;
}

}  // namespace provisio::connectors
