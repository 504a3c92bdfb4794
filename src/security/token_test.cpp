#include "security/token.h"

#include <gtest/gtest.h>

#include "core/ids.h"

namespace provisio::security {
namespace {

TEST(TokenTest, IssueShapesIdSecretAndHash) {
  IssuedToken t = IssueToken();
  EXPECT_TRUE(IsUuid(t.id)) << t.id;
  EXPECT_TRUE(t.secret.starts_with("pvs_")) << t.secret;
  EXPECT_EQ(t.secret.size(), 4u + 43u);  // 32 random bytes as unpadded base64url
  EXPECT_EQ(t.hash, HashToken(t.secret));
  EXPECT_EQ(t.hash.size(), 64u);
  EXPECT_EQ(t.hash.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(TokenTest, CustomPrefix) {
  IssuedToken t = IssueToken("scim_");
  EXPECT_TRUE(t.secret.starts_with("scim_"));
  EXPECT_EQ(t.hash, HashToken(t.secret));
}

TEST(TokenTest, TokensAreUnique) {
  IssuedToken a = IssueToken();
  IssuedToken b = IssueToken();
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(a.secret, b.secret);
  EXPECT_NE(a.hash, b.hash);
}

TEST(TokenTest, HashIsStableSha256Hex) {
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashToken(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HashToken("pvs_x"), HashToken("pvs_x"));
}

TEST(TokenTest, HashEquality) {
  IssuedToken t = IssueToken();
  EXPECT_TRUE(TokenHashEquals(t.hash, HashToken(t.secret)));
  EXPECT_FALSE(TokenHashEquals(t.hash, HashToken(t.secret + "x")));
  std::string last_differs = t.hash;
  last_differs.back() = last_differs.back() == '0' ? '1' : '0';
  EXPECT_FALSE(TokenHashEquals(t.hash, last_differs));
  EXPECT_FALSE(TokenHashEquals(t.hash, t.hash.substr(0, 63)));
  EXPECT_FALSE(TokenHashEquals("", ""));
  EXPECT_FALSE(TokenHashEquals(t.hash, ""));
}

}  // namespace
}  // namespace provisio::security
