#include "mapping/scoping.h"

#include <gtest/gtest.h>

#include "mapping/portal_user.h"
#include "mapping/test_user.h"

namespace provisio::mapping {
namespace {

namespace json = boost::json;
using testing::TestUser;

struct ScopeCase {
  const char* filter;
  bool in_scope;
};

void PrintTo(const ScopeCase& c, std::ostream* os) { *os << c.filter; }

class Scoping : public ::testing::TestWithParam<ScopeCase> {};

TEST_P(Scoping, DecidesForTheTestUser) {
  auto f = ParseScopingFilter(GetParam().filter);
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  EXPECT_EQ(InScope(*f, TestUser()), GetParam().in_scope) << GetParam().filter;
}

INSTANTIATE_TEST_SUITE_P(
    All, Scoping,
    ::testing::Values(
        ScopeCase{"", true}, ScopeCase{"   ", true}, ScopeCase{"active eq true", true},
        ScopeCase{"active eq false", false}, ScopeCase{"userName sw \"jose\"", true},
        ScopeCase{"USERNAME ew \"@EXAMPLE.COM\"", true},
        ScopeCase{"userName ew \"@other.com\"", false},
        ScopeCase{"emails[type eq \"work\" and value ew \"@example.com\"]", true},
        ScopeCase{"emails[type eq \"work\"].value ew \"@example.com\"", true},
        ScopeCase{"emails[type eq \"home\" and value ew \"@example.com\"]", false},
        ScopeCase{"emails.value co \"home\"", true},
        ScopeCase{
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"R&D\"",
            true},
        ScopeCase{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"HR\"",
                  false},
        ScopeCase{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr",
                  true},
        ScopeCase{"groups[display eq \"Engineering\"]", true},
        ScopeCase{"groups.display eq \"Sales\"", false},
        ScopeCase{"title pr and not (nickName pr)", true}, ScopeCase{"nickName pr", false},
        ScopeCase{"active eq true and (title co \"senior\" or title co \"lead\")", true},
        ScopeCase{"meta.created gt \"2023-01-01T00:00:00Z\"", true},
        ScopeCase{"meta.created lt \"2023-01-01T00:00:00Z\"", false},
        ScopeCase{"externalId eq \"HR-000417\"", true},
        ScopeCase{"externalId eq \"hr-000417\"", false}, ScopeCase{"not (active eq true)", false}));

TEST(Scoping, EmptyFilterIsEveryoneEvenAnEmptyUser) {
  auto f = ParseScopingFilter("");
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->everyone());
  EXPECT_TRUE(InScope(*f, json::object()));
  EXPECT_EQ(ToString(*f), "");
  EXPECT_TRUE(InScope(ScopingFilter(), json::object()));
}

TEST(Scoping, MissingAttributesAreOutOfScope) {
  auto f = ParseScopingFilter("active eq true");
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(InScope(*f, json::object()));
}

TEST(Scoping, ErrorsAreInvalidFilter) {
  for (const char* text : {"active eq", "nosuch eq 1", "active gt true", "userName eq 1",
                           "(active eq true", "emails[type eq \"work\"", "name eq \"x\""}) {
    auto f = ParseScopingFilter(text);
    ASSERT_FALSE(f.ok()) << text;
    EXPECT_EQ(f.error().code(), Code::kInvalidFilter) << text;
  }
}

TEST(Scoping, CanonicalTextAfterBinding) {
  auto f = ParseScopingFilter(
      "USERNAME SW \"j\" AND urn:ietf:params:scim:schemas:core:2.0:User:active eq true");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(ToString(*f), "userName sw \"j\" and active eq true");
}

TEST(Scoping, CustomResourceType) {
  auto f = ParseScopingFilter("active eq true", PortalUserType());
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->type(), &PortalUserType());
  EXPECT_TRUE(InScope(*f, TestUser()));
}

}  // namespace
}  // namespace provisio::mapping
