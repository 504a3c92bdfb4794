// Message authentication with a key derived from the master key for one purpose (libsodium
// crypto_kdf, then crypto_auth: HMAC-SHA-512-256). Whoever holds the database but not the
// master key can neither forge a tag nor check a guess against one.
#pragma once

#include <string>
#include <string_view>

namespace provisio::security {

class SecretBox;

// A 32-byte key in sodium_malloc'd memory (guarded, read-only, zeroed when freed). Made only
// by SecretBox::DeriveMacKey; move-only, and offers no way to print or export it.
class MacKey {
 public:
  // Lowercase hex of the tag of `message`.
  std::string Sign(std::string_view message) const;
  // Constant-time check of a hex tag from Sign.
  bool Verify(std::string_view message, std::string_view tag_hex) const;

  MacKey(MacKey&& other) noexcept;
  MacKey& operator=(MacKey&& other) noexcept;
  MacKey(const MacKey&) = delete;
  MacKey& operator=(const MacKey&) = delete;
  ~MacKey();

 private:
  friend class SecretBox;
  explicit MacKey(unsigned char* key) : key_(key) {}

  unsigned char* key_ = nullptr;  // crypto_auth_KEYBYTES from sodium_malloc; null once moved
};

}  // namespace provisio::security
