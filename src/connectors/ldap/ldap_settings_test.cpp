#include <gtest/gtest.h>

#include "connectors/ldap/ldap_connector.h"
#include "connectors/ldap/ldap_settings.h"

namespace provisio::connectors::ldap {
namespace {

TEST(LdapSettings, DefaultsAndValidation) {
  auto s = ParseLdapSettings({{"base_dn", "dc=example,dc=com"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->user_filter, "(objectClass=inetOrgPerson)");
  EXPECT_FALSE(s->start_tls.has_value());
  EXPECT_FALSE(ParseLdapSettings({}).ok());  // base_dn is required
  EXPECT_FALSE(ParseLdapSettings({{"base_dn", "dc=x"}, {"user_filter", "uid=*"}}).ok());
  EXPECT_FALSE(ParseLdapSettings({{"base_dn", "dc=x"}, {"colour", "red"}}).ok());
  EXPECT_TRUE(
      ParseLdapSettings({{"base_dn", "dc=x"}, {"start_tls", true}, {"page_size", 1000}}).ok());
}

TEST(LdapSettings, FilterValuesAreEscaped) {
  EXPECT_EQ(EscapeFilterValue("a*(b)\\c"), "a\\2a\\28b\\29\\5cc");
  EXPECT_EQ(EscapeFilterBytes(std::string("\x01\xff", 2)), "\\01\\ff");
}

TEST(LdapSettings, Base64RoundTrips) {
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\x10\xfe", 3)}) {
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s);
  }
  EXPECT_EQ(Base64Encode("hello"), "aGVsbG8=");
  EXPECT_FALSE(Base64Decode("a$==").has_value());
}

TEST(LdapConnector, WritesAreNotImplementedAndOpeningNeedsLdapUrl) {
  LdapConnector c("ldap://127.0.0.1:1", "cn=x", "pw", *ParseLdapSettings({{"base_dn", "dc=x"}}));
  EXPECT_FALSE(c.capabilities().create_users);
  EXPECT_TRUE(c.capabilities().list_users);
  EXPECT_EQ(c.CreateUser({}).error().code(), Code::kNotImplemented);
  EXPECT_EQ(c.DeleteUser("x").error().code(), Code::kNotImplemented);
  EXPECT_NE(IncrementalCursor("20260101000000Z"), "");
}

}  // namespace
}  // namespace provisio::connectors::ldap
