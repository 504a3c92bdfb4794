#include "scimserver/scim_http.h"

#include "core/json.h"
#include "scim/errors.h"

namespace provisio::scimserver {

http::Response ScimJson(int status, const boost::json::value& body) {
  return http::Response::Json(status, body, std::string(kScimContentType));
}

http::Response ScimError(const Error& error) {
  http::Response r = ScimJson(scim::HttpStatusFor(error.code()), scim::ScimErrorBody(error));
  if (error.code() == Code::kUnauthenticated) {
    r.SetHeader("WWW-Authenticate", "Bearer realm=\"provisio\"");
  }
  return r;
}

std::string BaseUrl(const http::Request& request, std::string_view prefix) {
  std::string host(request.Header("Host").value_or("localhost"));
  return std::string(request.secure ? "https://" : "http://") + host + std::string(prefix);
}

Result<boost::json::value> ParseBody(const http::Request& request) {
  if (request.body.empty()) return Error(Code::kInvalidSyntax, "the request needs a JSON body");
  auto v = json::Parse(request.body);
  if (!v.ok()) return Error(Code::kInvalidSyntax, v.error().message());
  if (!v->is_object()) return Error(Code::kInvalidSyntax, "the request body must be a JSON object");
  return v;
}

Result<security::Principal> Authorize(store::Store& store, const Clock& clock,
                                      const http::Request& request, bool write) {
  auto header = request.Header("Authorization");
  if (!header) return Error::Unauthenticated("this endpoint needs 'Authorization: Bearer <token>'");
  ASSIGN_OR_RETURN(security::Principal p, security::AuthenticateBearer(store, clock, *header));
  if (p.kind == security::Principal::Kind::kScimToken) return p;
  if (p.role == "super-admin" || p.role == "admin") return p;
  if (p.role == "operator" && !write) return p;
  return Error::PermissionDenied("the " + p.role + " role may not change the directory");
}

}  // namespace provisio::scimserver
