#include "connectors/auth/auth_provider.h"

#include "connectors/auth/oauth2_client_credentials.h"
#include "connectors/auth/static_auth.h"
#include "core/json.h"

namespace provisio::connectors {
namespace {

Result<std::string> Required(const boost::json::object& auth, std::string_view key) {
  auto v = json::GetString(auth, key);
  if (!v || v->empty()) {
    return Error::InvalidArgument("auth: \"" + std::string(key) + "\" is required");
  }
  return std::string(*v);
}

}  // namespace

Result<std::unique_ptr<AuthProvider>> MakeAuthProvider(const boost::json::object& auth,
                                                       http::Client& http, const Clock& clock) {
  std::string kind(json::GetString(auth, "kind").value_or("none"));
  if (kind == "none") return std::unique_ptr<AuthProvider>(std::make_unique<NoAuth>());
  if (kind == "bearer") {
    ASSIGN_OR_RETURN(std::string token, Required(auth, "token"));
    return std::unique_ptr<AuthProvider>(std::make_unique<HeaderAuth>(HeaderAuth::Bearer(token)));
  }
  if (kind == "basic") {
    ASSIGN_OR_RETURN(std::string user, Required(auth, "username"));
    ASSIGN_OR_RETURN(std::string password, Required(auth, "password"));
    return std::unique_ptr<AuthProvider>(
        std::make_unique<HeaderAuth>(HeaderAuth::Basic(user, password)));
  }
  if (kind == "api_key") {
    ASSIGN_OR_RETURN(std::string header, Required(auth, "header"));
    ASSIGN_OR_RETURN(std::string value, Required(auth, "value"));
    return std::unique_ptr<AuthProvider>(std::make_unique<HeaderAuth>(header, value));
  }
  if (kind == "oauth2_client_credentials") {
    OAuth2ClientCredentialsOptions o;
    ASSIGN_OR_RETURN(o.token_url, Required(auth, "token_url"));
    ASSIGN_OR_RETURN(o.client_id, Required(auth, "client_id"));
    ASSIGN_OR_RETURN(o.client_secret, Required(auth, "client_secret"));
    o.scope = std::string(json::GetString(auth, "scope").value_or(""));
    return std::unique_ptr<AuthProvider>(
        std::make_unique<OAuth2ClientCredentials>(std::move(o), http, clock));
  }
  return Error::InvalidArgument("auth: unknown kind \"" + kind + "\"");
}

}  // namespace provisio::connectors
