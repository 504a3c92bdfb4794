// Filter binding and evaluation against RFC 7643 §8 resources: every operator per attribute
// type, multi-valued semantics, value paths, extension paths and the errors BindFilter raises.
#include "scim/filter_eval.h"

#include <gtest/gtest.h>

#include "scim/test_resources.h"
#include "scim/value_compare.h"

namespace provisio::scim {
namespace {

using testing_data::FullUser;
using testing_data::Json;
using testing_data::UserType;

struct MatchCase {
  std::string_view filter;
  bool expected;
};

class UserMatchTest : public testing::TestWithParam<MatchCase> {};

TEST_P(UserMatchTest, BoundAndUnboundAgree) {
  static const boost::json::object kUser = FullUser();
  auto bound = ParseFilter(GetParam().filter, UserType());
  ASSERT_TRUE(bound.ok()) << GetParam().filter << ": " << bound.error().ToString();
  EXPECT_EQ(Matches(*bound, kUser, UserType()), GetParam().expected)
      << GetParam().filter << " bound as " << ToString(*bound);
  auto raw = ParseFilter(GetParam().filter);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(Matches(*raw, kUser, UserType()), GetParam().expected) << GetParam().filter;
}

INSTANTIATE_TEST_SUITE_P(
    Rfc7644Examples, UserMatchTest,
    testing::Values(
        MatchCase{R"(userName eq "bjensen@example.com")", true},
        MatchCase{R"(userName eq "BJENSEN@EXAMPLE.COM")", true},  // Okta: case-insensitive
        MatchCase{R"(userName eq "bjensen")", false},
        MatchCase{R"(name.familyName co "ens")", true},
        MatchCase{R"(name.familyName co "O'Malley")", false}, MatchCase{R"(userName sw "B")", true},
        MatchCase{R"(userName sw "J")", false},
        MatchCase{R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bj")", true},
        MatchCase{"title pr", true}, MatchCase{"nickName pr", true},
        MatchCase{"name.honorificPrefix pr", true}, MatchCase{"name pr", true},
        MatchCase{R"(meta.lastModified gt "2011-05-13T04:42:34Z")", false},
        MatchCase{R"(meta.lastModified ge "2011-05-13T04:42:34Z")", true},
        MatchCase{R"(meta.lastModified lt "2011-05-13T04:42:34Z")", false},
        MatchCase{R"(meta.lastModified le "2011-05-13T04:42:34Z")", true},
        MatchCase{R"(meta.lastModified gt "2011-05-13T04:42:33Z")", true},
        MatchCase{R"(meta.lastModified eq "2011-05-13T06:42:34+02:00")", true},
        MatchCase{R"(meta.lastModified lt "2011-05-13T04:42:34.001Z")", true},
        MatchCase{R"(meta.created lt "2011-01-01T00:00:00Z")", true},
        MatchCase{R"(title pr and userType eq "Employee")", true},
        MatchCase{R"(title pr and userType eq "Intern")", false},
        MatchCase{R"(title pr or userType eq "Intern")", true},
        MatchCase{R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")",
                  true},
        MatchCase{R"(schemas eq "urn:ietf:params:scim:schemas:extension:other:2.0:User")", false},
        MatchCase{
            R"(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))",
            true},
        MatchCase{
            R"(userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org"))",
            false},
        MatchCase{R"(userType eq "Employee" and (emails.type eq "work"))", true},
        MatchCase{
            R"(userType eq "Employee" and emails[type eq "work" and value co "@example.com"])",
            true},
        MatchCase{R"(emails[type eq "home" and value co "@example.com"])", false},
        MatchCase{
            R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])",
            true},
        MatchCase{R"(ims[type eq "xmpp" and value co "@foo.com"])", false},
        MatchCase{R"(ims[type eq "aim"])", true},
        // Entra's value-path form.
        MatchCase{R"(emails[type eq "work"].value eq "bjensen@example.com")", true},
        MatchCase{R"(emails[type eq "home"].value eq "bjensen@example.com")", false},
        MatchCase{R"(emails[type eq "work"].value ew "@EXAMPLE.com")", true},
        // Multi-valued: any value matches.
        MatchCase{R"(emails.value eq "babs@jensen.org")", true},
        MatchCase{R"(emails eq "babs@jensen.org")", true},
        MatchCase{R"(emails.value ne "babs@jensen.org")", false},
        MatchCase{R"(emails.value ne "nobody@x.org")", true},
        MatchCase{R"(emails.primary eq true)", true},
        MatchCase{R"(addresses.primary eq false)", false},
        MatchCase{R"(phoneNumbers.type eq "mobile")", true},
        MatchCase{R"(groups.display eq "employees")", true},
        MatchCase{R"(groups.value eq "fc348aa8-3835-40eb-a20b-c726e15c55b5")", true},
        MatchCase{R"(groups[display sw "Tour"])", true},
        // Booleans.
        MatchCase{"active eq true", true}, MatchCase{"active eq false", false},
        MatchCase{"active ne false", true}, MatchCase{R"(active eq "True")", true},
        MatchCase{"active pr", true},
        // caseExact: id and externalId compare exactly.
        MatchCase{R"(id eq "2819c223-7f76-453a-919d-413861904646")", true},
        MatchCase{R"(id eq "2819C223-7F76-453A-919D-413861904646")", false},
        MatchCase{R"(externalId eq "701984")", true},
        MatchCase{R"(meta.resourceType eq "User")", true},
        MatchCase{R"(meta.resourceType eq "user")", false},
        // Ordering on strings.
        MatchCase{R"(userName gt "a")", true}, MatchCase{R"(userName gt "C")", false},
        MatchCase{R"(userName lt "C")", true},
        MatchCase{R"(userName le "BJENSEN@EXAMPLE.COM")", true},
        MatchCase{R"(userName ge "bjensen@example.com")", true},
        // Extensions.
        MatchCase{
            R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984")",
            true},
        MatchCase{
            R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1")",
            false},
        MatchCase{
            R"(URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:DEPARTMENT co "operations")",
            true},
        MatchCase{
            R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d")",
            true},
        MatchCase{
            R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName sw "john")",
            true},
        MatchCase{R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager pr)", true},
        // Case-insensitive attribute names.
        MatchCase{R"(USERNAME eq "bjensen@example.com")", true},
        MatchCase{R"(Name.GivenName eq "barbara")", true},
        MatchCase{R"(EMAILS[TYPE eq "work"])", true},
        // not / nested logic.
        MatchCase{R"(not (userName eq "x"))", true},
        MatchCase{R"(not (userName eq "bjensen@example.com"))", false},
        MatchCase{R"(not (not (title pr)))", true},
        MatchCase{R"(userName eq "x" or userName eq "y" or title eq "tour guide")", true},
        MatchCase{R"((userName eq "x" or title pr) and (active eq false or nickName eq "babs"))",
                  true},
        // Absent attributes.
        MatchCase{"preferredLanguage pr", true}, MatchCase{R"(entitlements pr)", false},
        MatchCase{R"(roles.value eq "admin")", false}, MatchCase{R"(roles.value ne "admin")", true},
        MatchCase{"nickName eq null", false}, MatchCase{"nickName ne null", true},
        MatchCase{"entitlements.value eq null", true}, MatchCase{"x509Certificates.value pr", true},
        MatchCase{R"(x509Certificates.value sw "MIID")", true},
        MatchCase{R"(x509Certificates.value sw "miid")", false},  // binary is caseExact
        MatchCase{R"(profileUrl sw "https://login.example.com/")", true}));

TEST(MatchTest, PresentIsFalseForEmptyValues) {
  auto u = Json(R"({"userName":"a","title":"","emails":[],"name":{},"nickName":null})");
  for (std::string_view f : {"title pr", "emails pr", "name pr", "nickName pr", "roles pr"}) {
    auto filter = ParseFilter(f, UserType());
    ASSERT_TRUE(filter.ok()) << f;
    EXPECT_FALSE(Matches(*filter, u, UserType())) << f;
  }
  auto ok = ParseFilter("userName pr", UserType());
  EXPECT_TRUE(Matches(*ok, u, UserType()));
}

TEST(MatchTest, CaseExactCustomAttribute) {
  SchemaRegistry r = SchemaRegistry::WithCoreSchemas();
  Schema ext;
  ext.id = "urn:example:params:scim:schemas:extension:acme:2.0:User";
  ext.name = "Acme";
  Attribute code;
  code.name = "badgeCode";
  code.case_exact = true;
  Attribute level;
  level.name = "level";
  level.type = AttributeType::kInteger;
  Attribute score;
  score.name = "score";
  score.type = AttributeType::kDecimal;
  Attribute since;
  since.name = "since";
  since.type = AttributeType::kDateTime;
  ext.attributes = {code, level, score, since};
  ASSERT_TRUE(r.AddSchema(ext).ok());
  ASSERT_TRUE(r.AddExtension("User", ext.id, false).ok());
  const ResourceType& t = *r.FindResourceType("User");
  auto u = Json(R"({"userName":"a","urn:example:params:scim:schemas:extension:acme:2.0:User":
      {"badgeCode":"AbC","level":7,"score":2.5,"since":"2020-02-29T12:00:00Z"}})");
  const std::string u_urn = "urn:example:params:scim:schemas:extension:acme:2.0:User:";
  auto check = [&](std::string f, bool expected) {
    auto filter = ParseFilter(u_urn + f, t);
    ASSERT_TRUE(filter.ok()) << f << ": " << filter.error().ToString();
    EXPECT_EQ(Matches(*filter, u, t), expected) << f;
  };
  check(R"(badgeCode eq "AbC")", true);
  check(R"(badgeCode eq "abc")", false);
  check(R"(badgeCode co "bC")", true);
  check(R"(badgeCode co "bc")", false);
  check("level eq 7", true);
  check("level eq 7.0", true);
  check("level gt 6", true);
  check("level gt 7", false);
  check("level ge 7", true);
  check("level lt 10", true);
  check("level le 6", false);
  check("level ne 7", false);
  check("score gt 2", true);
  check("score lt 2.5", false);
  check("score le 2.5", true);
  check(R"(since gt "2020-02-29T11:59:59Z")", true);
  check(R"(since eq "2020-02-29T13:00:00+01:00")", true);
  check(R"(since lt "2020-02-29T12:00:00.5Z")", true);
  check(R"(since sw "2020-02")", true);
}

struct BindErrorCase {
  std::string_view filter;
  std::string_view message_part;
};

class BindErrorTest : public testing::TestWithParam<BindErrorCase> {};

TEST_P(BindErrorTest, InvalidFilter) {
  auto f = ParseFilter(GetParam().filter, UserType());
  ASSERT_FALSE(f.ok()) << GetParam().filter;
  EXPECT_EQ(f.error().code(), Code::kInvalidFilter);
  EXPECT_NE(f.error().message().find(GetParam().message_part), std::string::npos)
      << f.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, BindErrorTest,
    testing::Values(BindErrorCase{"active gt true", "supports only eq and ne"},
                    BindErrorCase{"active lt false", "supports only eq and ne"},
                    BindErrorCase{R"(active co "t")", "supports only eq and ne"},
                    BindErrorCase{R"(active eq "yes")", "non-boolean"},
                    BindErrorCase{"active eq 1", "non-boolean"},
                    BindErrorCase{R"(x509Certificates.value gt "A")", "binary"},
                    BindErrorCase{R"(x509Certificates.value le "A")", "binary"},
                    BindErrorCase{"userName eq 5", "non-string"},
                    BindErrorCase{"userName eq true", "non-string"},
                    BindErrorCase{R"(meta.lastModified gt "yesterday")", "not a dateTime"},
                    BindErrorCase{"meta.lastModified gt 5", "non-string"},
                    BindErrorCase{R"(nosuch eq "x")", "unknown attribute"},
                    BindErrorCase{R"(name.nosuch eq "x")", "unknown sub-attribute"},
                    BindErrorCase{R"(emails[nosuch eq "x"])", "unknown sub-attribute"},
                    BindErrorCase{R"(userName[value eq "x"])", "not a complex attribute"},
                    BindErrorCase{R"(name gt "x")", "needs a sub-attribute"},
                    BindErrorCase{R"(urn:example:unknown:1.0:User:foo eq "x")", "unknown schema"},
                    BindErrorCase{
                        R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User eq "x")",
                        "names a schema"},
                    BindErrorCase{"userName gt null", "null can only"},
                    BindErrorCase{R"(emails.primary gt true)", "supports only eq and ne"}));

TEST(BindTest, CanonicalisesNames) {
  auto f = ParseFilter(
      R"(USERNAME eq "a" and urn:ietf:params:scim:schemas:core:2.0:User:Name.FamilyName pr and )"
      R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:EMPLOYEENUMBER eq "1" and )"
      R"(EMAILS co "x" and emails[TYPE eq "work"] and active eq "False")",
      UserType());
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  EXPECT_EQ(ToString(*f),
            R"(userName eq "a" and name.familyName pr and )"
            R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1" )"
            R"(and emails.value co "x" and emails[type eq "work"] and active eq false)");
}

TEST(BindTest, GroupFilters) {
  auto g = testing_data::ExampleGroup();
  const ResourceType& t = testing_data::GroupType();
  auto m = [&](std::string_view text) {
    auto f = ParseFilter(text, t);
    EXPECT_TRUE(f.ok()) << text;
    return f.ok() && Matches(*f, g, t);
  };
  EXPECT_TRUE(m(R"(displayName eq "tour guides")"));
  EXPECT_TRUE(m(R"(members[value eq "902c246b-6245-4190-8e05-00816be7344a"])"));
  EXPECT_TRUE(m(R"(members.value eq "2819c223-7f76-453a-919d-413861904646")"));
  EXPECT_FALSE(m(R"(members.value eq "nobody")"));
  EXPECT_TRUE(m(R"(members eq "2819c223-7f76-453a-919d-413861904646")"));
  EXPECT_FALSE(ParseFilter(R"(userName eq "x")", t).ok());
}

TEST(DateTimeTest, ParsesXsdDateTime) {
  EXPECT_EQ(ParseDateTime("1970-01-01T00:00:00Z"), (Instant{0, 0}));
  EXPECT_EQ(ParseDateTime("1970-01-01T00:00:01Z"), (Instant{1, 0}));
  EXPECT_EQ(ParseDateTime("1970-01-01T01:00:00+01:00"), (Instant{0, 0}));
  EXPECT_EQ(ParseDateTime("1969-12-31T23:00:00-01:00"), (Instant{0, 0}));
  EXPECT_EQ(ParseDateTime("1970-01-01T00:00:00.5Z"), (Instant{0, 500000000}));
  EXPECT_EQ(ParseDateTime("1970-01-01T00:00:00.1234567891Z"), (Instant{0, 123456789}));
  EXPECT_EQ(ParseDateTime("1970-01-01T00:00:00"), (Instant{0, 0}));
  EXPECT_TRUE(ParseDateTime("2024-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(ParseDateTime("2023-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(ParseDateTime("2011-13-01T00:00:00Z").has_value());
  EXPECT_FALSE(ParseDateTime("2011-05-13").has_value());
  EXPECT_FALSE(ParseDateTime("2011-05-13T04:42:34Zjunk").has_value());
  EXPECT_FALSE(ParseDateTime("2011-05-13T04:42:34.Z").has_value());
  EXPECT_FALSE(ParseDateTime("2011-05-13T04:42:34+0100").has_value());
  EXPECT_FALSE(ParseDateTime("").has_value());
}

// Found by fuzz_filter_fuzz: years past 2262 overflowed a nanosecond count (UBSan).
TEST(DateTimeTest, RegressionYear9999DoesNotOverflow) {
  auto late = ParseDateTime("9999-12-31T23:59:59.999999999Z");
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->seconds, 253402300799);
  EXPECT_GT(*late, *ParseDateTime("2262-04-12T00:00:00Z"));
  auto f = ParseFilter(R"(meta.lastModified lt "9999-01-01T00:00:00Z")", UserType());
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(Matches(*f, FullUser(), UserType()));
}

}  // namespace
}  // namespace provisio::scim
