#include "security/secret_box.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/ids.h"

namespace provisio::security {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDecryptFailed =
    "secret cannot be decrypted (wrong master key or tampered data)";
constexpr std::string_view kConnection = "3f1c2a9e-0000-4000-8000-000000000001";

std::string Base64(std::string_view bin) {
  std::string out(sodium_base64_ENCODED_LEN(bin.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bin.data()),
                    bin.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();
  return out;
}

std::string Unbase64(std::string_view b64) {
  std::string out(b64.size(), '\0');
  size_t len = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                              b64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL),
            0);
  out.resize(len);
  return out;
}

unsigned Mode(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return st.st_mode & 07777;
}

TEST(SecretBoxTest, RoundTrip) {
  SecretBox box(MasterKey::Generate());
  Result<std::string> sealed = box.Seal("s3cr3t-api-key", kConnection);
  ASSERT_TRUE(sealed.ok()) << sealed.error().ToString();
  EXPECT_EQ(sealed->find("s3cr3t"), std::string::npos);
  Result<std::string> opened = box.Open(*sealed, kConnection);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(*opened, "s3cr3t-api-key");
}

TEST(SecretBoxTest, WireFormatIsBase64OfVersionNonceCiphertext) {
  SecretBox box(MasterKey::Generate());
  Result<std::string> sealed = box.Seal("hello", kConnection);
  ASSERT_TRUE(sealed.ok());
  std::string raw = Unbase64(*sealed);
  EXPECT_EQ(raw.substr(0, 2), "v1");
  EXPECT_EQ(raw.size(), 2u + 24u + 5u + 16u);
}

TEST(SecretBoxTest, FreshNonceEachSeal) {
  SecretBox box(MasterKey::Generate());
  Result<std::string> a = box.Seal("same", kConnection);
  Result<std::string> b = box.Seal("same", kConnection);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(SecretBoxTest, EmptyPlaintextAndEmptyAssociatedData) {
  SecretBox box(MasterKey::Generate());
  Result<std::string> sealed = box.Seal("", "");
  ASSERT_TRUE(sealed.ok());
  Result<std::string> opened = box.Open(*sealed, "");
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(*opened, "");
}

TEST(SecretBoxTest, BinaryPlaintextSurvives) {
  SecretBox box(MasterKey::Generate());
  const std::string binary("\0\xff\x01pem\0", 7);
  Result<std::string> sealed = box.Seal(binary, kConnection);
  ASSERT_TRUE(sealed.ok());
  Result<std::string> opened = box.Open(*sealed, kConnection);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, binary);
}

TEST(SecretBoxTest, WrongAssociatedDataRefused) {
  SecretBox box(MasterKey::Generate());
  Result<std::string> sealed = box.Seal("token", kConnection);
  ASSERT_TRUE(sealed.ok());
  Result<std::string> opened = box.Open(*sealed, "another-connection");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), Code::kPermissionDenied);
  EXPECT_EQ(opened.error().message(), kDecryptFailed);
}

TEST(SecretBoxTest, WrongKeyRefused) {
  SecretBox a(MasterKey::Generate());
  SecretBox b(MasterKey::Generate());
  Result<std::string> sealed = a.Seal("token", kConnection);
  ASSERT_TRUE(sealed.ok());
  Result<std::string> opened = b.Open(*sealed, kConnection);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), Code::kPermissionDenied);
  EXPECT_EQ(opened.error().message(), kDecryptFailed);
}

TEST(SecretBoxTest, EveryTamperedByteRefused) {
  SecretBox box(MasterKey::Generate());
  Result<std::string> sealed = box.Seal("secret value", kConnection);
  ASSERT_TRUE(sealed.ok());
  const std::string raw = Unbase64(*sealed);
  // Nonce, ciphertext and tag: authentication fails.
  for (size_t i = 2; i < raw.size(); ++i) {
    std::string tampered = raw;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    Result<std::string> opened = box.Open(Base64(tampered), kConnection);
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.error().code(), Code::kPermissionDenied) << "byte " << i;
  }
  // The version prefix: not a box this code knows.
  std::string tampered = raw;
  tampered[1] = '2';
  Result<std::string> opened = box.Open(Base64(tampered), kConnection);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), Code::kInvalidArgument);
}

TEST(SecretBoxTest, TruncatedInputIsMalformed) {
  SecretBox box(MasterKey::Generate());
  Result<std::string> sealed = box.Seal("x", kConnection);
  ASSERT_TRUE(sealed.ok());
  const std::string raw = Unbase64(*sealed);
  // Shorter than version + nonce + tag.
  Result<std::string> short_box = box.Open(Base64(raw.substr(0, 2 + 24 + 15)), kConnection);
  ASSERT_FALSE(short_box.ok());
  EXPECT_EQ(short_box.error().code(), Code::kInvalidArgument);
  // Long enough but missing its last byte: authentication fails.
  Result<std::string> cut = box.Open(Base64(raw.substr(0, raw.size() - 1)), kConnection);
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code(), Code::kPermissionDenied);
  // Base64 cut mid-quantum.
  Result<std::string> cut_b64 = box.Open(sealed->substr(0, sealed->size() - 3), kConnection);
  ASSERT_FALSE(cut_b64.ok());
  EXPECT_EQ(cut_b64.error().code(), Code::kInvalidArgument);
  for (std::string_view bad : {"", "not base64!", "djE="}) {
    Result<std::string> opened = box.Open(bad, kConnection);
    ASSERT_FALSE(opened.ok()) << bad;
    EXPECT_EQ(opened.error().code(), Code::kInvalidArgument) << bad;
  }
}

TEST(MasterKeyTest, FromBase64RoundTripsBetweenInstances) {
  const std::string b64 = Base64(std::string(32, '\x42'));
  Result<MasterKey> k1 = MasterKey::FromBase64(b64);
  Result<MasterKey> k2 = MasterKey::FromBase64(" " + b64 + "\n");
  ASSERT_TRUE(k1.ok()) << k1.error().ToString();
  ASSERT_TRUE(k2.ok()) << k2.error().ToString();
  SecretBox a(std::move(*k1));
  SecretBox b(std::move(*k2));
  Result<std::string> sealed = a.Seal("shared", kConnection);
  ASSERT_TRUE(sealed.ok());
  Result<std::string> opened = b.Open(*sealed, kConnection);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "shared");
}

TEST(MasterKeyTest, FromBase64WrongLengthOrAlphabet) {
  for (const std::string& bad :
       {Base64(std::string(31, 'k')), Base64(std::string(33, 'k')), std::string(),
        std::string("!!!not-base64!!!"), Base64(std::string(32, 'k')).substr(0, 43)}) {
    Result<MasterKey> key = MasterKey::FromBase64(bad);
    ASSERT_FALSE(key.ok()) << bad;
    EXPECT_EQ(key.error().code(), Code::kInvalidArgument);
    EXPECT_EQ(key.error().message(), "master key must be standard base64 of exactly 32 bytes");
  }
}

TEST(MasterKeyTest, MovedKeysStillWork) {
  MasterKey a = MasterKey::Generate();
  MasterKey b = std::move(a);
  MasterKey c = MasterKey::Generate();
  c = std::move(b);
  SecretBox box(std::move(c));
  Result<std::string> sealed = box.Seal("still here", "");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(*box.Open(*sealed, ""), "still here");
}

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("provisio-security-" + NewUuid());
    fs::create_directory(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(KeyFileTest, CreatedWith0600AndReused) {
  const fs::path path = dir_ / "master.key";
  const mode_t old_umask = ::umask(0);  // the file must not depend on the umask
  Result<MasterKey> first = MasterKey::LoadOrCreate(path);
  ::umask(old_umask);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(fs::file_size(path), 45u);  // 44 base64 characters and a newline

  Result<MasterKey> second = MasterKey::LoadOrCreate(path);
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  SecretBox a(std::move(*first));
  SecretBox b(std::move(*second));
  Result<std::string> sealed = a.Seal("persisted", kConnection);
  ASSERT_TRUE(sealed.ok());
  Result<std::string> opened = b.Open(*sealed, kConnection);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(*opened, "persisted");
}

TEST_F(KeyFileTest, RestrictiveUmaskStillReadable) {
  const fs::path path = dir_ / "master.key";
  const mode_t old_umask = ::umask(0277);
  Result<MasterKey> key = MasterKey::LoadOrCreate(path);
  ::umask(old_umask);
  ASSERT_TRUE(key.ok()) << key.error().ToString();
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_TRUE(MasterKey::LoadOrCreate(path).ok());
}

TEST_F(KeyFileTest, WorldReadableKeyFileRefused) {
  const fs::path path = dir_ / "master.key";
  ASSERT_TRUE(MasterKey::LoadOrCreate(path).ok());
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);
  Result<MasterKey> key = MasterKey::LoadOrCreate(path);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), Code::kPermissionDenied);
  EXPECT_NE(key.error().message().find("chmod 600"), std::string::npos) << key.error().message();
  EXPECT_NE(key.error().message().find("0644"), std::string::npos) << key.error().message();
}

TEST_F(KeyFileTest, GroupReadableKeyFileRefused) {
  const fs::path path = dir_ / "master.key";
  ASSERT_TRUE(MasterKey::LoadOrCreate(path).ok());
  fs::permissions(path, fs::perms::group_read, fs::perm_options::add);
  Result<MasterKey> key = MasterKey::LoadOrCreate(path);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), Code::kPermissionDenied);
}

TEST_F(KeyFileTest, ExistingKeyFileWithOperatorKeyIsUsed) {
  const fs::path path = dir_ / "master.key";
  const std::string b64 = Base64(std::string(32, '\x07'));
  std::ofstream(path) << b64 << "\n";
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  Result<MasterKey> from_file = MasterKey::LoadOrCreate(path);
  Result<MasterKey> from_env = MasterKey::FromBase64(b64);
  ASSERT_TRUE(from_file.ok() && from_env.ok());
  SecretBox a(std::move(*from_file));
  SecretBox b(std::move(*from_env));
  Result<std::string> sealed = a.Seal("same key", "");
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(b.Open(*sealed, "").ok());
}

TEST_F(KeyFileTest, MalformedKeyFileRefused) {
  const fs::path path = dir_ / "master.key";
  std::ofstream(path) << "this is not a key\n";
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  Result<MasterKey> key = MasterKey::LoadOrCreate(path);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(key.error().message().find("this is not"), std::string::npos);
}

TEST_F(KeyFileTest, MissingDirectoryIsAnError) {
  Result<MasterKey> key = MasterKey::LoadOrCreate(dir_ / "absent" / "master.key");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), Code::kNotFound);
}

TEST(MacKeyTest, DerivedPerMasterKeyAndPurpose) {
  const std::string b64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  SecretBox a(std::move(MasterKey::FromBase64(b64)).value());
  SecretBox b(std::move(MasterKey::FromBase64(b64)).value());
  SecretBox other(MasterKey::Generate());
  const std::string tag = a.DeriveMacKey(1, "testctx1").Sign("message");
  EXPECT_EQ(tag.size(), 64u);
  // The same master key and purpose give the same key, in any process.
  EXPECT_TRUE(b.DeriveMacKey(1, "testctx1").Verify("message", tag));
  EXPECT_FALSE(b.DeriveMacKey(1, "testctx1").Verify("messagE", tag));
  EXPECT_FALSE(b.DeriveMacKey(2, "testctx1").Verify("message", tag));
  EXPECT_FALSE(b.DeriveMacKey(1, "testctx2").Verify("message", tag));
  EXPECT_FALSE(other.DeriveMacKey(1, "testctx1").Verify("message", tag));
  EXPECT_FALSE(a.DeriveMacKey(1, "testctx1").Verify("message", "not hex"));
  EXPECT_FALSE(a.DeriveMacKey(1, "testctx1").Verify("message", tag.substr(2)));
}

}  // namespace
}  // namespace provisio::security
