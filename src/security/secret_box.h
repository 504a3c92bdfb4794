// Encryption at rest for connection secrets: the master key (held in locked, guarded memory)
// and SecretBox, which seals a secret to its owner with XChaCha20-Poly1305 (IETF AEAD).
// Sealed form: base64 (standard alphabet, padded) of "v1" + 24-byte nonce + ciphertext+tag.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"
#include "security/mac_key.h"

namespace provisio::security {

// A 32-byte key in sodium_malloc'd memory (mlocked, guard pages, read-only once set,
// zeroed when freed). Move-only, and deliberately offers no way to print or export it.
class MasterKey {
 public:
  static constexpr size_t kBytes = 32;

  // Standard base64 (padded; surrounding whitespace ignored) of exactly 32 bytes, as in
  // PROVISIO_MASTER_KEY; kInvalidArgument otherwise. The error never echoes the input.
  static Result<MasterKey> FromBase64(std::string_view b64);

  // Reads the base64 key in `key_file`, or creates the file (O_CREAT|O_EXCL, mode 0600,
  // whatever the umask) with a fresh random key when it does not exist. Refuses, with
  // kPermissionDenied, a key file that group or others may access (mode & 077).
  static Result<MasterKey> LoadOrCreate(const std::filesystem::path& key_file);

  // A fresh random key (tests, and LoadOrCreate's first run).
  static MasterKey Generate();

  MasterKey(MasterKey&& other) noexcept;
  MasterKey& operator=(MasterKey&& other) noexcept;
  MasterKey(const MasterKey&) = delete;
  MasterKey& operator=(const MasterKey&) = delete;
  ~MasterKey();

 private:
  friend class SecretBox;
  explicit MasterKey(unsigned char* key) : key_(key) {}

  unsigned char* key_ = nullptr;  // kBytes bytes from sodium_malloc; null once moved from
};

// Seals and opens secrets. The associated data binds a ciphertext to its owner (the
// connection id): a secret copied to another row does not open there. Thread-safe.
class SecretBox {
 public:
  explicit SecretBox(MasterKey key) : key_(std::move(key)) {}

  // A fresh random nonce per call, so sealing the same plaintext twice differs.
  Result<std::string> Seal(std::string_view plaintext, std::string_view associated_data) const;

  // kPermissionDenied "secret cannot be decrypted (wrong master key or tampered data)" when
  // authentication fails; kInvalidArgument when `sealed` is not base64 of a v1 box.
  Result<std::string> Open(std::string_view sealed, std::string_view associated_data) const;

  // A MAC key for one purpose, derived from the master key with crypto_kdf: `subkey_id` and
  // the 8-character `context` name the purpose, so keys for different purposes are unrelated
  // and none reveals the master key.
  MacKey DeriveMacKey(uint64_t subkey_id, const char (&context)[9]) const;

 private:
  MasterKey key_;
};

}  // namespace provisio::security
