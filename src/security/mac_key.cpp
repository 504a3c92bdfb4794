#include "security/mac_key.h"

#include <sodium.h>

#include <utility>

namespace provisio::security {

std::string MacKey::Sign(std::string_view message) const {
  unsigned char tag[crypto_auth_BYTES];
  crypto_auth(tag, reinterpret_cast<const unsigned char*>(message.data()), message.size(), key_);
  std::string hex(crypto_auth_BYTES * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), tag, sizeof tag);
  hex.pop_back();
  return hex;
}

bool MacKey::Verify(std::string_view message, std::string_view tag_hex) const {
  unsigned char tag[crypto_auth_BYTES];
  size_t len = 0;
  if (tag_hex.size() != crypto_auth_BYTES * 2 ||
      sodium_hex2bin(tag, sizeof tag, tag_hex.data(), tag_hex.size(), nullptr, &len, nullptr) !=
          0 ||
      len != sizeof tag) {
    return false;
  }
  return crypto_auth_verify(tag, reinterpret_cast<const unsigned char*>(message.data()),
                            message.size(), key_) == 0;
}

MacKey::MacKey(MacKey&& other) noexcept : key_(std::exchange(other.key_, nullptr)) {}

MacKey& MacKey::operator=(MacKey&& other) noexcept {
  if (this != &other) {
    if (key_ != nullptr) sodium_free(key_);
    key_ = std::exchange(other.key_, nullptr);
  }
  return *this;
}

MacKey::~MacKey() {
  if (key_ != nullptr) sodium_free(key_);
}

}  // namespace provisio::security
