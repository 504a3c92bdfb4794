#include "security/token.h"

#include <sodium.h>

#include "core/ids.h"
#include "security/sodium_init.h"

namespace provisio::security {

IssuedToken IssueToken(std::string_view prefix) {
  IssuedToken t;
  t.id = NewUuid();
  t.secret = std::string(prefix) + RandomToken(32);
  t.hash = HashToken(t.secret);
  return t;
}

std::string HashToken(std::string_view secret) {
  InitSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

bool TokenHashEquals(std::string_view a_hex, std::string_view b_hex) {
  InitSodium();
  // Lengths are public (always 64 for our hashes); only the contents need constant time.
  if (a_hex.empty() || a_hex.size() != b_hex.size()) return false;
  return sodium_memcmp(a_hex.data(), b_hex.data(), a_hex.size()) == 0;
}

}  // namespace provisio::security
