#include "api/audit.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "apps/input.h"
#include "security/rbac.h"
#include "security/token.h"

namespace provisio::api {
namespace {

using apps::Reject;
constexpr std::string_view kApi = "api";
constexpr std::string_view kScim = "scim";

boost::json::object TokenJson(const store::TokenRow& t) {
  boost::json::object o;
  o["id"] = t.id;
  o["name"] = t.name;
  o["role"] = t.kind == kScim ? std::string(security::kRoleScimClient) : t.role;
  o["created_by"] = t.created_by;
  o["created"] = FormatRfc3339(t.created);
  o["last_used"] = t.last_used ? boost::json::value(FormatRfc3339(*t.last_used)) : nullptr;
  o["revoked"] = t.revoked ? boost::json::value(FormatRfc3339(*t.revoked)) : nullptr;
  return o;
}

// An Admin sees and manages only the API tokens it made; a Super Admin all of them.
bool MayManage(const Call& call, const store::TokenRow& t) {
  if (t.kind == kScim) return true;  // the RBAC table already limits SCIM tokens
  return security::IsAllowed(call.principal.role, security::Action::kApiTokensManageAny) ||
         (!call.principal.admin_id.empty() && t.created_by == call.principal.admin_id);
}

Result<store::TokenRow> Find(Call& call, std::string_view kind) {
  std::string id(call.request.Param("id"));
  ASSIGN_OR_RETURN(auto t, call.store().tokens().Get(id));
  // Another admin's token is "not found": its existence is not the caller's business.
  if (!t || t->kind != kind || !MayManage(call, *t)) return Error::NotFound("no token " + id);
  return std::move(*t);
}

HandlerResult List(Call& call, std::string_view kind) {
  ASSIGN_OR_RETURN(auto all, call.store().tokens().List(kind));
  boost::json::array items;
  for (const auto& t : all) {
    if (MayManage(call, t)) items.push_back(TokenJson(t));
  }
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

HandlerResult Create(Call& call, std::string_view kind) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  RETURN_IF_ERROR(body.AllowOnly({"name", "role"}));
  store::TokenRow row;
  ASSIGN_OR_RETURN(row.name, body.String("name", apps::kMaxNameChars));
  if (kind == kApi) {
    ASSIGN_OR_RETURN(row.role, body.String("role", 32));
    RETURN_IF_ERROR(apps::CheckOneOf("role", row.role, {"super-admin", "admin", "operator"}));
    if (security::RoleRank(row.role) > security::RoleRank(call.principal.role)) {
      return Reject(
          Code::kPermissionDenied, "role_too_high",
          "a token cannot have a higher role than its creator (" + call.principal.role + ")",
          {{"field", "role"}});
    }
  } else {
    ASSIGN_OR_RETURN(auto role, body.OptString("role", 32));
    if (role) RETURN_IF_ERROR(apps::CheckOneOf("role", *role, {security::kRoleScimClient}));
  }
  security::IssuedToken issued = security::IssueToken();
  row.id = issued.id;
  row.kind = std::string(kind);
  row.hash = issued.hash;
  row.created_by = call.principal.admin_id;
  row.created = call.clock().Now();
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  RETURN_IF_ERROR(call.store().tokens().Insert(*tx, row));
  RETURN_IF_ERROR(Audit(call, *tx, std::string(kind) + "_token.create",
                        std::string(kind) + "_token", row.id, std::nullopt, TokenJson(row)));
  RETURN_IF_ERROR(tx->Commit());
  boost::json::object out = TokenJson(row);
  out["token"] = issued.secret;  // the only time it is ever shown
  return JsonResponse(201, out);
}

HandlerResult Get(Call& call, std::string_view kind) {
  ASSIGN_OR_RETURN(auto t, Find(call, kind));
  return JsonResponse(200, TokenJson(t));
}

HandlerResult Revoke(Call& call, std::string_view kind) {
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(auto before, Find(call, kind));
  RETURN_IF_ERROR(call.store().tokens().Revoke(*tx, before.id, call.clock().Now()));
  store::TokenRow after = before;
  if (!after.revoked) after.revoked = call.clock().Now();
  RETURN_IF_ERROR(Audit(call, *tx, std::string(kind) + "_token.revoke",
                        std::string(kind) + "_token", before.id, TokenJson(before),
                        TokenJson(after)));
  RETURN_IF_ERROR(tx->Commit());
  return http::Response::NoContent();
}

}  // namespace

HandlerResult ListApiTokens(Call& call) { return List(call, kApi); }
HandlerResult CreateApiToken(Call& call) { return Create(call, kApi); }
HandlerResult GetApiToken(Call& call) { return Get(call, kApi); }
HandlerResult RevokeApiToken(Call& call) { return Revoke(call, kApi); }
HandlerResult ListScimTokens(Call& call) { return List(call, kScim); }
HandlerResult CreateScimToken(Call& call) { return Create(call, kScim); }
HandlerResult GetScimToken(Call& call) { return Get(call, kScim); }
HandlerResult RevokeScimToken(Call& call) { return Revoke(call, kScim); }

}  // namespace provisio::api
