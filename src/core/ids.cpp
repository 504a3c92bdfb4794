#include "core/ids.h"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <stdexcept>

namespace provisio {
namespace {

void FillRandom(unsigned char* out, size_t n) {
  while (n > 0) {
    ssize_t got = getrandom(out, n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("getrandom failed");
    }
    out += got;
    n -= static_cast<size_t>(got);
  }
}

}  // namespace

std::string NewUuid() {
  std::array<unsigned char, 16> b;
  FillRandom(b.data(), b.size());
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(kHex[b[i] >> 4]);
    s.push_back(kHex[b[i] & 0xf]);
  }
  return s;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string RandomToken(size_t bytes) {
  std::string raw(bytes, '\0');
  FillRandom(reinterpret_cast<unsigned char*>(raw.data()), raw.size());
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes * 4 + 2) / 3);
  unsigned bits = 0;
  int nbits = 0;
  for (unsigned char c : raw) {
    bits = (bits << 8) | c;
    nbits += 8;
    while (nbits >= 6) {
      out.push_back(kAlphabet[(bits >> (nbits - 6)) & 0x3f]);
      nbits -= 6;
    }
  }
  if (nbits > 0) out.push_back(kAlphabet[(bits << (6 - nbits)) & 0x3f]);
  return out;
}

}  // namespace provisio
