// Administrator accounts: creation with validated email, role and password policy, and the
// first Super Admin from the environment. Used by the CLI, start-up and the admin API.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "security/password.h"
#include "store/store.h"

namespace provisio::directory {

inline constexpr std::string_view kRoleSuperAdmin = "super-admin";
inline constexpr std::string_view kRoleAdmin = "admin";
inline constexpr std::string_view kRoleOperator = "operator";

bool IsValidRole(std::string_view role);
// A practical check (one '@', a dot in the domain, no spaces, at most 254 characters);
// delivery is what proves an address, not a regular expression.
bool IsPlausibleEmail(std::string_view email);

struct NewAdmin {
  std::string email;
  std::string role;
  std::string password;
  size_t min_password_chars = security::kMinPasswordChars;  // the security setting in force
};

// Validates, hashes the password (Argon2id) and stores the account.
// kInvalidArgument for a bad email/role/password, kUniqueness for a taken email.
Result<store::AdminRecord> CreateAdmin(store::Store& store, const Clock& clock,
                                       const NewAdmin& request,
                                       const security::PasswordParams& params = {});

// Creates the first Super Admin when there is no administrator yet; does nothing otherwise.
// Returns true when it created one.
Result<bool> BootstrapSuperAdmin(store::Store& store, const Clock& clock, std::string_view email,
                                 std::string_view password,
                                 const security::PasswordParams& params = {});

}  // namespace provisio::directory
