#include "security/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "security/sodium_init.h"

namespace provisio::security {
namespace {

static_assert(MasterKey::kBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(MasterKey::kBytes == crypto_kdf_KEYBYTES);
static_assert(crypto_kdf_CONTEXTBYTES == 8);

constexpr std::string_view kVersion = "v1";
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kHeaderBytes = kVersion.size() + kNonceBytes;
constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
constexpr size_t kMaxKeyFileBytes = 4096;  // a key file is 45 bytes; refuse to slurp big files

constexpr std::string_view kDecryptFailed =
    "secret cannot be decrypted (wrong master key or tampered data)";

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* AllocateKey() {
  InitSodium();
  auto* p = static_cast<unsigned char*>(sodium_malloc(MasterKey::kBytes));
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

// Standard base64 of `n` bytes, without the trailing NUL.
std::string ToBase64(const unsigned char* data, size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, kVariant);
  out.resize(out.size() - 1);
  return out;
}

std::string_view TrimSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

std::string ErrnoText(int err) { return std::strerror(err); }

Error FileError(const std::filesystem::path& path, std::string_view action, int err) {
  std::string msg =
      "cannot " + std::string(action) + " master key file " + path.string() + ": " + ErrnoText(err);
  if (err == EACCES || err == EPERM) return Error::PermissionDenied(std::move(msg));
  if (err == ENOENT) return Error::NotFound(std::move(msg));
  return Error::Internal(std::move(msg));
}

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Reads the whole key file behind `fd` after checking that only its owner can access it.
Result<std::string> ReadKeyFile(const std::filesystem::path& path, int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return FileError(path, "stat", errno);
  if (!S_ISREG(st.st_mode)) {
    return Error::InvalidArgument("master key file " + path.string() + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Error::PermissionDenied("master key file " + path.string() + " has mode " + mode +
                                   ", so group or others can access it; restrict it with "
                                   "`chmod 600 " +
                                   path.string() + "`");
  }
  if (st.st_size > static_cast<off_t>(kMaxKeyFileBytes)) {
    return Error::InvalidArgument("master key file " + path.string() + " is too large");
  }
  std::string text(kMaxKeyFileBytes, '\0');
  size_t used = 0;
  while (used < text.size()) {
    ssize_t n = ::read(fd, text.data() + used, text.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      sodium_memzero(text.data(), text.size());
      return FileError(path, "read", err);
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  text.resize(used);
  return text;
}

// Best effort: makes the new directory entry durable. Failure only weakens crash safety.
void SyncParentDir(const std::filesystem::path& path) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

}  // namespace

MasterKey MasterKey::Generate() {
  unsigned char* p = AllocateKey();
  crypto_aead_xchacha20poly1305_ietf_keygen(p);
  sodium_mprotect_readonly(p);
  return MasterKey(p);
}

Result<MasterKey> MasterKey::FromBase64(std::string_view b64) {
  b64 = TrimSpace(b64);
  unsigned char* p = AllocateKey();
  size_t len = 0;
  // Decoding straight into guarded memory keeps the key out of ordinary buffers.
  if (sodium_base642bin(p, kBytes, b64.data(), b64.size(), nullptr, &len, nullptr, kVariant) != 0 ||
      len != kBytes) {
    sodium_free(p);
    return Error::InvalidArgument("master key must be standard base64 of exactly 32 bytes");
  }
  sodium_mprotect_readonly(p);
  return MasterKey(p);
}

Result<MasterKey> MasterKey::LoadOrCreate(const std::filesystem::path& key_file) {
  // Two rounds: if another process creates the file between our open and our create,
  // read what it wrote.
  for (int round = 0; round < 2; ++round) {
    Fd in(::open(key_file.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() >= 0) {
      Result<std::string> text = ReadKeyFile(key_file, in.get());
      if (!text.ok()) return std::move(text).error();
      Result<MasterKey> key = FromBase64(*text);
      sodium_memzero(text->data(), text->size());
      if (!key.ok()) {
        return Error::InvalidArgument("master key file " + key_file.string() +
                                      " does not hold a base64-encoded 32-byte key");
      }
      return key;
    }
    if (errno != ENOENT) return FileError(key_file, "open", errno);

    // O_EXCL: never truncate or follow a symlink to someone else's file. Mode 0600 from the
    // start, so the key is never readable by others, even for a moment.
    Fd out(::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (out.get() < 0) {
      if (errno == EEXIST) continue;
      return FileError(key_file, "create", errno);
    }
    MasterKey key = Generate();
    std::string text = ToBase64(key.key_, kBytes);
    text.push_back('\n');  // fits the capacity ToBase64 reserved: no stray copy of the key
    // fchmod: a restrictive umask (say 0277) must not leave the owner unable to read it back.
    bool written =
        ::fchmod(out.get(), 0600) == 0 && WriteAll(out.get(), text) && ::fsync(out.get()) == 0;
    int err = errno;
    sodium_memzero(text.data(), text.size());
    if (written && ::close(out.Release()) != 0) {
      written = false;
      err = errno;
    }
    if (!written) {
      ::unlink(key_file.c_str());  // never leave a half-written key behind
      return FileError(key_file, "write", err);
    }
    SyncParentDir(key_file);
    return key;
  }
  return Error::Internal("master key file " + key_file.string() +
                         " appeared and disappeared while being opened");
}

MasterKey::MasterKey(MasterKey&& other) noexcept : key_(std::exchange(other.key_, nullptr)) {}

MasterKey& MasterKey::operator=(MasterKey&& other) noexcept {
  if (this != &other) {
    if (key_ != nullptr) sodium_free(key_);
    key_ = std::exchange(other.key_, nullptr);
  }
  return *this;
}

// sodium_free zeroes the memory (and checks the canary) before releasing it.
MasterKey::~MasterKey() {
  if (key_ != nullptr) sodium_free(key_);
}

Result<std::string> SecretBox::Seal(std::string_view plaintext,
                                    std::string_view associated_data) const {
  if (key_.key_ == nullptr) return Error::Internal("secret box has no master key");
  std::string box(kHeaderBytes + plaintext.size() + kTagBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(box.data());
  kVersion.copy(box.data(), kVersion.size());
  unsigned char* nonce = out + kVersion.size();
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(
          out + kHeaderBytes, &written, Bytes(plaintext), plaintext.size(), Bytes(associated_data),
          associated_data.size(), nullptr, nonce, key_.key_) != 0) {
    return Error::Internal("secret encryption failed");
  }
  return ToBase64(out, kHeaderBytes + written);
}

MacKey SecretBox::DeriveMacKey(uint64_t subkey_id, const char (&context)[9]) const {
  InitSodium();
  auto* p = static_cast<unsigned char*>(sodium_malloc(crypto_auth_KEYBYTES));
  if (p == nullptr) throw std::bad_alloc();
  if (key_.key_ == nullptr ||
      crypto_kdf_derive_from_key(p, crypto_auth_KEYBYTES, subkey_id, context, key_.key_) != 0) {
    // Only a moved-from box gets here; a random key makes every tag fail to verify.
    randombytes_buf(p, crypto_auth_KEYBYTES);
  }
  sodium_mprotect_readonly(p);
  return MacKey(p);
}

Result<std::string> SecretBox::Open(std::string_view sealed,
                                    std::string_view associated_data) const {
  if (key_.key_ == nullptr) return Error::Internal("secret box has no master key");
  std::string box(sealed.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), sealed.data(),
                        sealed.size(), nullptr, &len, nullptr, kVariant) != 0) {
    return Error::InvalidArgument("sealed secret is not valid base64");
  }
  box.resize(len);
  if (len < kHeaderBytes + kTagBytes) return Error::InvalidArgument("sealed secret is truncated");
  if (!std::string_view(box).starts_with(kVersion)) {
    return Error::InvalidArgument("sealed secret has an unknown format version");
  }
  const auto* in = reinterpret_cast<const unsigned char*>(box.data());
  std::string plain(len - kHeaderBytes - kTagBytes, '\0');
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr, in + kHeaderBytes,
          len - kHeaderBytes, Bytes(associated_data), associated_data.size(), in + kVersion.size(),
          key_.key_) != 0) {
    return Error::PermissionDenied(std::string(kDecryptFailed));
  }
  plain.resize(plain_len);
  return plain;
}

}  // namespace provisio::security
