// The Active Directory helpers of the LDAP connector on data shaped as AD returns it:
// objectGUID bytes and their string, uSNChanged as a change marker.
#include "connectors/ldap/ldap_connector.h"

#include <gtest/gtest.h>

#include "connectors/ldap/ldap_settings.h"

namespace provisio::connectors::ldap {
namespace {

TEST(LdapGuid, BytesToStringAsActiveDirectoryShowsIt) {
  // objectGUID:: 4AQlP4lP0xGaDAMF6CwzAQ== as ldapsearch prints it from AD.
  auto raw = Base64Decode("4AQlP4lP0xGaDAMF6CwzAQ==");
  ASSERT_TRUE(raw && raw->size() == 16);
  EXPECT_EQ(GuidString(*raw), "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  auto back = GuidBytes("3F2504E0-4F89-11D3-9A0C-0305E82C3301");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, *raw);
  EXPECT_EQ(GuidString("short"), "");
  EXPECT_FALSE(GuidBytes("3f2504e0-4f89-11d3-9a0c-0305e82c330"));
  EXPECT_FALSE(GuidBytes("3f2504e0x4f89-11d3-9a0c-0305e82c3301"));
  EXPECT_FALSE(GuidBytes("3f2504e0-4f89-11d3-9a0c-0305e82c33zz"));
}

TEST(LdapChangeMarker, UsnChangedBeforeModifyTimestamp) {
  Account ad;
  ad.attributes = {{"uSNChanged", "12843"}, {"modifyTimestamp", "20261129114400Z"}};
  EXPECT_EQ(ChangeMarker(ad), "usn:00000000000000012843");
  Account ad_lower;  // attribute names are case-insensitive
  ad_lower.attributes = {{"usnchanged", "9"}};
  EXPECT_EQ(ChangeMarker(ad_lower), "usn:00000000000000000009");
  // Zero-padded markers order as their numbers do.
  EXPECT_LT(ChangeMarker(ad_lower), ChangeMarker(ad));
  Account openldap;
  openldap.attributes = {{"modifyTimestamp", "20261129114400Z"}};
  EXPECT_EQ(ChangeMarker(openldap), "20261129114400Z");
  Account junk;  // not a number: the timestamp, if any
  junk.attributes = {{"uSNChanged", "12a"}};
  EXPECT_EQ(ChangeMarker(junk), "");
  EXPECT_EQ(ChangeMarker(Account{}), "");
}

TEST(LdapCursor, IncrementalAndIdsOnlyCursorsDiffer) {
  EXPECT_NE(IdsOnlyCursor(), IncrementalCursor(""));
  EXPECT_NE(IncrementalCursor("usn:00000000000000000009"), IncrementalCursor("20261129114400Z"));
}

}  // namespace
}  // namespace provisio::connectors::ldap
