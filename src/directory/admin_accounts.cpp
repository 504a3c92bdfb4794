#include "directory/admin_accounts.h"

#include "core/ids.h"

namespace provisio::directory {

bool IsValidRole(std::string_view role) {
  return role == kRoleSuperAdmin || role == kRoleAdmin || role == kRoleOperator;
}

bool IsPlausibleEmail(std::string_view email) {
  if (email.empty() || email.size() > 254) return false;
  size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view domain = email.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.') {
    return false;
  }
  for (char c : email) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  }
  return true;
}

Result<store::AdminRecord> CreateAdmin(store::Store& store, const Clock& clock,
                                       const NewAdmin& request,
                                       const security::PasswordParams& params) {
  if (!IsPlausibleEmail(request.email)) {
    return Error(Code::kInvalidArgument, "email is not a valid address", {{"field", "email"}});
  }
  if (!IsValidRole(request.role)) {
    return Error(Code::kInvalidArgument, "role must be super-admin, admin or operator",
                 {{"field", "role"}});
  }
  RETURN_IF_ERROR(security::CheckPasswordPolicy(request.password, request.min_password_chars));
  ASSIGN_OR_RETURN(std::string hash, security::HashPassword(request.password, params));
  store::AdminRecord admin;
  admin.id = NewUuid();
  admin.email = request.email;
  admin.role = request.role;
  admin.password_hash = std::move(hash);
  admin.created = admin.updated = clock.Now();
  ASSIGN_OR_RETURN(auto tx, store.Begin());
  RETURN_IF_ERROR(store.admins().Insert(*tx, admin));
  RETURN_IF_ERROR(tx->Commit());
  return admin;
}

Result<bool> BootstrapSuperAdmin(store::Store& store, const Clock& clock, std::string_view email,
                                 std::string_view password,
                                 const security::PasswordParams& params) {
  ASSIGN_OR_RETURN(int64_t count, store.admins().Count());
  if (count > 0) return false;
  auto created = CreateAdmin(
      store, clock, {std::string(email), std::string(kRoleSuperAdmin), std::string(password)},
      params);
  if (!created.ok()) {
    Error e = std::move(created).error();
    return Error(e.code(), "bootstrap admin: " + e.message(), e.details());
  }
  return true;
}

}  // namespace provisio::directory
