#include "security/password.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace provisio::security {
namespace {

const PasswordParams kFast{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

TEST(PasswordTest, HashVerifyRoundTrip) {
  Result<std::string> hash = HashPassword("correct horse battery staple", kFast);
  ASSERT_TRUE(hash.ok()) << hash.error().ToString();
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
}

TEST(PasswordTest, WrongPasswordRejected) {
  Result<std::string> hash = HashPassword("correct horse battery staple", kFast);
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapler"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
}

TEST(PasswordTest, WholePasswordCountsIncludingNulBytes) {
  const std::string with_nul("secret\0suffix-part", 18);
  Result<std::string> hash = HashPassword(with_nul, kFast);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, with_nul));
  EXPECT_FALSE(VerifyPassword(*hash, "secret"));
}

TEST(PasswordTest, DistinctSaltsForSamePassword) {
  Result<std::string> a = HashPassword("same password here", kFast);
  Result<std::string> b = HashPassword("same password here", kFast);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password here"));
  EXPECT_TRUE(VerifyPassword(*b, "same password here"));
}

TEST(PasswordTest, GarbageHashRejected) {
  Result<std::string> hash = HashPassword("some password!!", kFast);
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(VerifyPassword("", "some password!!"));
  EXPECT_FALSE(VerifyPassword("garbage", "some password!!"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=8,t=1,p=1$", "some password!!"));
  EXPECT_FALSE(VerifyPassword(hash->substr(0, hash->size() - 5), "some password!!"));
  EXPECT_FALSE(VerifyPassword(std::string(1000, 'a'), "some password!!"));
  std::string with_nul = *hash;
  with_nul[3] = '\0';
  EXPECT_FALSE(VerifyPassword(with_nul, "some password!!"));
}

TEST(PasswordTest, LimitsBelowMinimumAreInvalid) {
  Result<std::string> hash = HashPassword("whatever password", PasswordParams{0, 8192});
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.error().code(), Code::kInvalidArgument);
}

TEST(PasswordTest, MinimalMatchesLibsodiumMinimum) {
  EXPECT_EQ(PasswordParams::Minimal().opslimit, kFast.opslimit);
  EXPECT_EQ(PasswordParams::Minimal().memlimit, kFast.memlimit);
}

TEST(PasswordTest, NeedsRehashWhenParamsDiffer) {
  Result<std::string> hash = HashPassword("rehash me please", kFast);
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(PasswordNeedsRehash(*hash, kFast));
  EXPECT_TRUE(PasswordNeedsRehash(*hash));  // defaults are INTERACTIVE
  EXPECT_TRUE(PasswordNeedsRehash("garbage", kFast));
  EXPECT_TRUE(PasswordNeedsRehash("", kFast));
}

TEST(PasswordTest, NeedsRehashForArgon2i) {
  char out[crypto_pwhash_argon2i_STRBYTES];
  ASSERT_EQ(
      crypto_pwhash_argon2i_str(out, "legacy password", 15, crypto_pwhash_argon2i_OPSLIMIT_MIN,
                                crypto_pwhash_argon2i_MEMLIMIT_MIN),
      0);
  EXPECT_TRUE(PasswordNeedsRehash(out, kFast));
  EXPECT_TRUE(VerifyPassword(out, "legacy password"));  // still accepted until rehashed
}

// The one test at production cost (about 70 ms).
TEST(PasswordTest, DefaultParamsRoundTrip) {
  Result<std::string> hash = HashPassword("production strength pw");
  ASSERT_TRUE(hash.ok()) << hash.error().ToString();
  EXPECT_NE(hash->find("$m=65536,t=2,p=1$"), std::string::npos) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "production strength pw"));
  EXPECT_FALSE(VerifyPassword(*hash, "production strength pW"));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
}

TEST(PasswordPolicyTest, AcceptsReasonablePasswords) {
  EXPECT_TRUE(CheckPasswordPolicy("twelve chars").ok());
  EXPECT_TRUE(CheckPasswordPolicy(std::string(1024, 'x')).ok());
  EXPECT_TRUE(CheckPasswordPolicy("  padded but real  ").ok());
}

TEST(PasswordPolicyTest, TooShort) {
  Status s = CheckPasswordPolicy("elevenchars");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(s.error().message(), "password must be at least 12 characters long");
  EXPECT_FALSE(CheckPasswordPolicy("").ok());
}

TEST(PasswordPolicyTest, TooLong) {
  Status s = CheckPasswordPolicy(std::string(1025, 'x'));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(s.error().message(), "password must be at most 1024 characters long");
}

TEST(PasswordPolicyTest, AllWhitespace) {
  Status s = CheckPasswordPolicy(" \t\n           ");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(s.error().message(), "password must not consist only of whitespace");
}

TEST(PasswordPolicyTest, CountsCharactersNotBytes) {
  std::string twelve, eleven;
  for (int i = 0; i < 12; ++i) twelve += "\xC3\xA9";  // é, two bytes each
  eleven = twelve.substr(2);
  EXPECT_TRUE(CheckPasswordPolicy(twelve).ok());
  EXPECT_FALSE(CheckPasswordPolicy(eleven).ok());  // 22 bytes, 11 characters
}

}  // namespace
}  // namespace provisio::security
