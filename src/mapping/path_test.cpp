#include "mapping/path.h"

#include <gtest/gtest.h>

namespace provisio::mapping {
namespace {

class PathRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(PathRoundTrip, PrintsBackTheSamePath) {
  auto p = ParseAttributePath(GetParam());
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(ToString(*p), GetParam());
  auto again = ParseAttributePath(ToString(*p));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *p);
  AttributePath copy = *p;  // deep copy of the filter
  EXPECT_EQ(copy, *p);
}

INSTANTIATE_TEST_SUITE_P(
    All, PathRoundTrip,
    ::testing::Values("userName", "name.givenName", "$ref", "Username", "FederationIdentifier",
                      R"(emails[type eq "work"].value)", R"(emails[type eq "work"])",
                      R"(emails[type eq "work" and primary eq true].value)",
                      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
                      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                      R"(urn:example:1.0:User:badges[kind eq "door"].code)",
                      R"(externalIds[type eq "organization"].value)"));

TEST(Path, Parts) {
  auto p = ParseAttributePath(R"(urn:example:1.0:User:badges[kind eq "door"].code)");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->attr.urn, "urn:example:1.0:User");
  EXPECT_EQ(p->attr.attr, "badges");
  EXPECT_EQ(p->filter_sub, "code");
}

TEST(Path, ErrorsCarryPositions) {
  struct Case {
    const char* text;
    int position;
  };
  for (const Case& c : {Case{"", 1}, Case{"a b", 1}, Case{"a[b eq 1", 2}, Case{"a[b eq 1]c", 10},
                        Case{"a[b eq]", 7}, Case{"a.b[c eq 1]", 1}}) {
    auto p = ParseAttributePath(c.text);
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_EQ(p.error().code(), Code::kInvalidArgument);
    EXPECT_EQ(p.error().details().at("position"), boost::json::value(c.position)) << c.text;
  }
}

}  // namespace
}  // namespace provisio::mapping
