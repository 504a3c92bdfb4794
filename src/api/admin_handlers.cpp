#include "api/audit.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "apps/input.h"
#include "core/ids.h"
#include "directory/admin_accounts.h"
#include "security/password.h"

namespace provisio::api {
namespace {

using apps::Reject;

Result<store::AdminRecord> Find(Call& call) {
  ASSIGN_OR_RETURN(auto admin, call.store().admins().FindById(call.request.Param("id")));
  if (!admin) return Error::NotFound("no administrator " + std::string(call.request.Param("id")));
  return std::move(*admin);
}

Status CheckEmail(const std::string& email) {
  if (directory::IsPlausibleEmail(email)) return Ok();
  return Reject(Code::kInvalidValue, "invalid_email", "email is not a valid address",
                {{"field", "email"}});
}

Status CheckRole(const std::string& role) {
  return apps::CheckOneOf("role", role, {"super-admin", "admin", "operator"});
}

Status CheckPassword(Call& call, const std::string& password) {
  auto st = security::CheckPasswordPolicy(
      password, static_cast<size_t>(call.ctx.SecuritySettings().min_password_length));
  if (st.ok()) return st;
  boost::json::object details = st.error().details();  // min_length or max_length
  details["field"] = "password";
  return Reject(Code::kInvalidValue, "weak_password", st.error().message(), std::move(details));
}

bool IsActiveSuperAdmin(const store::AdminRecord& a) {
  return a.role == directory::kRoleSuperAdmin && !a.disabled;
}

// Called inside the write transaction: no other writer can change the count meanwhile.
Status KeepOneSuperAdmin(Call& call, const store::AdminRecord& before,
                         const std::optional<store::AdminRecord>& after) {
  if (!IsActiveSuperAdmin(before) || (after && IsActiveSuperAdmin(*after))) return Ok();
  ASSIGN_OR_RETURN(auto all, call.store().admins().List());
  int64_t active = 0;
  for (const auto& a : all) active += IsActiveSuperAdmin(a) ? 1 : 0;
  if (active > 1) return Ok();
  return Reject(Code::kConflict, "last_super_admin",
                "this is the last active Super Admin; make another one first");
}

}  // namespace

boost::json::object AdminJson(const store::AdminRecord& a) {
  return {{"id", a.id},
          {"email", a.email},
          {"role", a.role},
          {"disabled", a.disabled},
          {"created", FormatRfc3339(a.created)},
          {"updated", FormatRfc3339(a.updated)}};
}

HandlerResult ListAdmins(Call& call) {
  ASSIGN_OR_RETURN(auto all, call.store().admins().List());
  boost::json::array items;
  for (const auto& a : all) items.push_back(AdminJson(a));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

HandlerResult GetAdmin(Call& call) {
  ASSIGN_OR_RETURN(auto admin, Find(call));
  return JsonResponse(200, AdminJson(admin));
}

HandlerResult CreateAdmin(Call& call) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  RETURN_IF_ERROR(body.AllowOnly({"email", "role", "password"}));
  store::AdminRecord admin;
  ASSIGN_OR_RETURN(admin.email, body.String("email", 254));
  RETURN_IF_ERROR(CheckEmail(admin.email));
  ASSIGN_OR_RETURN(admin.role, body.String("role", 32));
  RETURN_IF_ERROR(CheckRole(admin.role));
  ASSIGN_OR_RETURN(std::string password, body.String("password", security::kMaxPasswordChars));
  RETURN_IF_ERROR(CheckPassword(call, password));
  ASSIGN_OR_RETURN(admin.password_hash,
                   security::HashPassword(password, call.ctx.deps.password_params));
  admin.id = NewUuid();
  admin.created = admin.updated = call.clock().Now();
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  RETURN_IF_ERROR(call.store().admins().Insert(*tx, admin));
  RETURN_IF_ERROR(
      Audit(call, *tx, "admin.create", "admin", admin.id, std::nullopt, AdminJson(admin)));
  RETURN_IF_ERROR(tx->Commit());
  return JsonResponse(201, AdminJson(admin));
}

HandlerResult UpdateAdmin(Call& call) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  RETURN_IF_ERROR(body.AllowOnly({"email", "role", "disabled", "password"}));
  ASSIGN_OR_RETURN(auto email, body.OptString("email", 254));
  if (email) RETURN_IF_ERROR(CheckEmail(*email));
  ASSIGN_OR_RETURN(auto role, body.OptString("role", 32));
  if (role) RETURN_IF_ERROR(CheckRole(*role));
  ASSIGN_OR_RETURN(auto disabled, body.OptBool("disabled"));
  ASSIGN_OR_RETURN(auto password, body.OptString("password", security::kMaxPasswordChars));
  std::optional<std::string> hash;
  if (password) {
    RETURN_IF_ERROR(CheckPassword(call, *password));
    ASSIGN_OR_RETURN(hash, security::HashPassword(*password, call.ctx.deps.password_params));
  }
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(store::AdminRecord before, Find(call));
  store::AdminRecord after = before;
  if (email) after.email = *email;
  if (role) after.role = *role;
  if (disabled) after.disabled = *disabled;
  if (hash) after.password_hash = *hash;
  after.updated = call.clock().Now();
  RETURN_IF_ERROR(KeepOneSuperAdmin(call, before, after));
  RETURN_IF_ERROR(call.store().admins().Update(*tx, after));
  if (after.disabled || hash) {
    // A disabled admin, or one whose password was reset, is signed out everywhere else.
    std::string keep =
        call.session && call.principal.admin_id == after.id ? call.session->id_hash : "";
    ASSIGN_OR_RETURN(int64_t ended, call.store().sessions().DeleteForAdmin(*tx, after.id, keep));
    (void)ended;
  }
  boost::json::object after_json = AdminJson(after);
  if (hash) after_json["password"] = "[changed]";
  RETURN_IF_ERROR(
      Audit(call, *tx, "admin.update", "admin", after.id, AdminJson(before), after_json));
  RETURN_IF_ERROR(tx->Commit());
  return JsonResponse(200, AdminJson(after));
}

HandlerResult DeleteAdmin(Call& call) {
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(store::AdminRecord admin, Find(call));
  RETURN_IF_ERROR(KeepOneSuperAdmin(call, admin, std::nullopt));
  // Its API tokens act for it, so they go with it. Sessions go by ON DELETE CASCADE.
  ASSIGN_OR_RETURN(auto tokens, call.store().tokens().List("api"));
  TimePoint now = call.clock().Now();
  for (const auto& t : tokens) {
    if (t.created_by == admin.id && !t.revoked) {
      RETURN_IF_ERROR(call.store().tokens().Revoke(*tx, t.id, now));
    }
  }
  RETURN_IF_ERROR(call.store().admins().Delete(*tx, admin.id));
  RETURN_IF_ERROR(
      Audit(call, *tx, "admin.delete", "admin", admin.id, AdminJson(admin), std::nullopt));
  RETURN_IF_ERROR(tx->Commit());
  return http::Response::NoContent();
}

}  // namespace provisio::api
