// A throwaway RSA key pair for the tests of the JWT flows (Salesforce JWT bearer, Google
// service accounts): the private key signs, the emulators verify against the public one.
#pragma once

#include <filesystem>
#include <string>

namespace provisio::testing {

struct RsaKeyPair {
  std::string private_pem;  // PKCS#8 "-----BEGIN PRIVATE KEY-----"
  std::string public_pem;   // SubjectPublicKeyInfo "-----BEGIN PUBLIC KEY-----"
};

RsaKeyPair NewRsaKey(int bits = 2048);

// An RS256 JWT over `claims_json`, signed with OpenSSL directly (independently of the
// product's signing code), for tests that mint their own tokens at an emulator.
std::string SignRs256Jwt(const std::string& claims_json, const std::string& private_pem);

// Writes `text` to a new file under the temp directory; returns its path.
std::filesystem::path WriteTempFile(const std::string& prefix, const std::string& text);

}  // namespace provisio::testing
