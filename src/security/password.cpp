#include "security/password.h"

#include <sodium.h>

#include <string>

#include "security/sodium_init.h"

namespace provisio::security {
namespace {

// The header spells the defaults as numbers to keep <sodium.h> out of it; keep them honest.
static_assert(PasswordParams{}.opslimit == crypto_pwhash_OPSLIMIT_INTERACTIVE);
static_assert(PasswordParams{}.memlimit == crypto_pwhash_MEMLIMIT_INTERACTIVE);
static_assert(PasswordParams::Minimal().opslimit == crypto_pwhash_OPSLIMIT_MIN);
static_assert(PasswordParams::Minimal().memlimit == crypto_pwhash_MEMLIMIT_MIN);

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

// libsodium wants a NUL-terminated string that fits in crypto_pwhash_STRBYTES.
bool CopyEncoded(std::string_view encoded, char (&out)[crypto_pwhash_STRBYTES]) {
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  if (encoded.find('\0') != std::string_view::npos) return false;
  encoded.copy(out, encoded.size());
  out[encoded.size()] = '\0';
  return true;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Code points in UTF-8 text: every byte that is not a continuation byte (10xxxxxx).
size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, const PasswordParams& params) {
  InitSodium();
  if (params.opslimit < crypto_pwhash_OPSLIMIT_MIN ||
      params.opslimit > crypto_pwhash_OPSLIMIT_MAX ||
      params.memlimit < crypto_pwhash_MEMLIMIT_MIN ||
      params.memlimit > crypto_pwhash_MEMLIMIT_MAX) {
    return Error::InvalidArgument("password hashing limits are outside libsodium's range");
  }
  if (password.size() > crypto_pwhash_PASSWD_MAX) {
    return Error::InvalidArgument("password is too long");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), params.opslimit, params.memlimit) !=
      0) {
    return Error::Internal("password hashing failed (out of memory)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  InitSodium();
  char encoded[crypto_pwhash_STRBYTES];
  if (!CopyEncoded(encoded_hash, encoded)) return false;
  return crypto_pwhash_str_verify(encoded, password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view encoded_hash, const PasswordParams& params) {
  InitSodium();
  if (!encoded_hash.starts_with(kArgon2idPrefix)) return true;  // argon2i or garbage
  char encoded[crypto_pwhash_STRBYTES];
  if (!CopyEncoded(encoded_hash, encoded)) return true;
  // 0: matches the parameters; 1: different parameters; -1: does not parse.
  return crypto_pwhash_argon2id_str_needs_rehash(encoded, params.opslimit, params.memlimit) != 0;
}

Status CheckPasswordPolicy(std::string_view password, size_t min_chars) {
  const size_t chars = CountChars(password);
  if (chars < min_chars) {
    Error e = Error::InvalidArgument("password must be at least " + std::to_string(min_chars) +
                                     " characters long");
    e.details()["min_length"] = min_chars;
    return e;
  }
  if (chars > kMaxPasswordChars) {
    Error e = Error::InvalidArgument("password must be at most " +
                                     std::to_string(kMaxPasswordChars) + " characters long");
    e.details()["max_length"] = kMaxPasswordChars;
    return e;
  }
  bool all_space = true;
  for (char c : password) {
    if (!IsAsciiSpace(c)) {
      all_space = false;
      break;
    }
  }
  if (all_space) return Error::InvalidArgument("password must not consist only of whitespace");
  return Ok();
}

}  // namespace provisio::security
