// Admin password storage: Argon2id hashes in libsodium's self-describing string form
// ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), verification, rehash checks, and the
// password policy applied when a password is set.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace provisio::security {

// Argon2id cost. Defaults are libsodium's INTERACTIVE limits (about 70 ms and 64 MiB per hash
// here); tests use Minimal() so that hashing takes microseconds.
struct PasswordParams {
  unsigned long long opslimit = 2;     // crypto_pwhash_OPSLIMIT_INTERACTIVE
  size_t memlimit = 64 * 1024 * 1024;  // crypto_pwhash_MEMLIMIT_INTERACTIVE (bytes)

  // crypto_pwhash_OPSLIMIT_MIN / MEMLIMIT_MIN: for tests only, never for stored passwords.
  static constexpr PasswordParams Minimal() { return {1, 8192}; }
};

// An encoded Argon2id hash with a fresh random salt. kInvalidArgument for limits below
// libsodium's minimum; kInternal if the memory for hashing cannot be allocated.
Result<std::string> HashPassword(std::string_view password, const PasswordParams& params = {});

// True when `password` matches `encoded_hash`; false for a wrong password or a hash that
// is not a valid encoded Argon2 string. The comparison runs in constant time (libsodium).
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

// True when `encoded_hash` was not made by Argon2id with exactly `params` (including a
// hash that does not parse): rehash the password at the next successful login.
bool PasswordNeedsRehash(std::string_view encoded_hash, const PasswordParams& params = {});

inline constexpr size_t kMinPasswordChars = 12;
inline constexpr size_t kMaxPasswordChars = 1024;

// Policy for new passwords: `min_chars` (the security setting min_password_length; 12 by
// default) to 1024 characters (Unicode code points), not all whitespace. kInvalidArgument
// with a message fit to show the user otherwise.
Status CheckPasswordPolicy(std::string_view password, size_t min_chars = kMinPasswordChars);

}  // namespace provisio::security
