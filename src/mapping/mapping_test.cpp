#include "mapping/mapping.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "mapping/canonical.h"
#include "mapping/defaults.h"
#include "mapping/portal_user.h"
#include "mapping/test_user.h"

namespace provisio::mapping {
namespace {

namespace json = boost::json;
using testing::TestUser;
using A = AttributeMapping::Apply;

CompiledMappings MustCompile(std::vector<AttributeMapping> list, const CompileOptions& o = {}) {
  auto c = Compile(list, o);
  EXPECT_TRUE(c.ok()) << c.error().ToString();
  return c.ok() ? std::move(c).value() : CompiledMappings();
}

json::object MustApply(const CompiledMappings& m, const json::object& user, bool creating = true) {
  auto r = Apply(m, user, creating);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? std::move(r).value() : json::object();
}

void ExpectJson(const json::object& got, const char* expected) {
  json::value want = json::parse(expected);
  EXPECT_EQ(CanonicalJson(got), CanonicalJson(want))
      << "got " << json::serialize(got) << "\nwant " << expected;
}

// ---- targets --------------------------------------------------------------------------------

TEST(Apply, PlainAndSubAttributeTargets) {
  auto m = MustCompile({{"userName", "[userName]"},
                        {"name.givenName", "[name.givenName]"},
                        {"name.familyName", "ToUpper([name.familyName])"},
                        {"active", "[active]"}});
  ExpectJson(MustApply(m, TestUser()),
             R"({"userName":"jose.garcia@example.com","active":true,
                 "name":{"givenName":"José","familyName":"GARCÍA NÚÑEZ"}})");
}

TEST(Apply, ValuePathTargetCreatesTheElement) {
  auto m = MustCompile({{R"(emails[type eq "work"].value)", R"([emails[type eq "work"].value])"}});
  ExpectJson(MustApply(m, TestUser()),
             R"({"emails":[{"type":"work","value":"jose.garcia@example.com"}]})");
}

TEST(Apply, SeveralMappingsMergeIntoEmails) {
  auto m = MustCompile({
      {R"(emails[type eq "work"].value)", R"([emails[type eq "work"].value])"},
      {R"(emails[type eq "home"].value)", R"([emails[type eq "home"].value])"},
      {R"(emails[type eq "work"].primary)", "true"},
      {R"(emails[type eq "home"].display)", R"("Home")"},
      {R"(emails[type eq "other"].value)", "[missing]"},
  });
  ExpectJson(MustApply(m, TestUser()),
             R"({"emails":[{"type":"work","value":"jose.garcia@example.com","primary":true},
                           {"type":"home","value":"jgarcia@home.example","display":"Home"}]})");
}

TEST(Apply, ValuePathTargetWithSeveralTerms) {
  auto m = MustCompile({
      {R"(phoneNumbers[type eq "work" and primary eq true].value)", R"("+1 555")"},
      {R"(phoneNumbers[type eq "mobile"].value)", R"([phoneNumbers[type eq "mobile"].value])"},
  });
  ExpectJson(MustApply(m, TestUser()),
             R"({"phoneNumbers":[{"type":"work","primary":true,"value":"+1 555"},
                                 {"type":"mobile","value":"+34 600 000 000"}]})");
}

TEST(Apply, EnterpriseExtensionTargets) {
  const std::string ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  auto m = MustCompile({
      {ent + ":department", "[" + ent + ":department]"},
      {ent + ":manager.value", "[" + ent + ":manager.value]"},
      {ent + ":employeeNumber", "[" + ent + ":employeeNumber]"},
  });
  ExpectJson(MustApply(m, TestUser()),
             R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
                  {"department":"R&D","employeeNumber":"417",
                   "manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d"}}})");
}

TEST(Apply, CoreUrnQualifiedTargetIsTopLevel) {
  auto m = MustCompile({{"urn:ietf:params:scim:schemas:core:2.0:User:userName", "[userName]"}});
  ExpectJson(MustApply(m, TestUser()), R"({"userName":"jose.garcia@example.com"})");
}

TEST(Apply, NullValuesAreOmitted) {
  auto m = MustCompile({{"nickName", "[nickName]"},
                        {"title", "[missing]"},
                        {"name.middleName", "[name.middleName]"},
                        {"displayName", "null"}});
  ExpectJson(MustApply(m, TestUser()), R"({"nickName":""})");
}

TEST(Apply, ArraysAndNumbersAreWrittenAsIs) {
  auto m =
      MustCompile({{"roles", R"(Split("a,b", ","))"},
                   {"level", "[urn:example:params:scim:schemas:extension:acme:1.0:User:level]"}});
  ExpectJson(MustApply(m, TestUser()), R"({"roles":["a","b"],"level":3})");
}

TEST(Apply, OnCreateOnlyMappingsApplyOnlyWhenCreating) {
  auto m = MustCompile(
      {{"userName", "[userName]"}, {"TimeZoneSidKey", R"("Europe/Madrid")", A::kOnCreateOnly}});
  ExpectJson(MustApply(m, TestUser(), true),
             R"({"userName":"jose.garcia@example.com","TimeZoneSidKey":"Europe/Madrid"})");
  ExpectJson(MustApply(m, TestUser(), false), R"({"userName":"jose.garcia@example.com"})");
}

TEST(Apply, TargetKeysMergeCaseInsensitively) {
  auto m = MustCompile({{"Name.givenName", R"("a")"}, {"name.familyName", R"("b")"}});
  ExpectJson(MustApply(m, TestUser()), R"({"Name":{"givenName":"a","familyName":"b"}})");
}

TEST(Apply, EvaluationErrorNamesTheMapping) {
  auto m = MustCompile({{"userName", "[userName]"}, {"Alias", "Left([active], 8)"}});
  auto r = Apply(m, TestUser(), true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidValue);
  EXPECT_EQ(r.error().message(),
            "mapping 1 (target 'Alias'): Left: argument 1 (source) must be a string, got boolean");
  EXPECT_EQ(r.error().details().at("mapping"), json::value(1));
  EXPECT_EQ(r.error().details().at("target"), json::value("Alias"));
  EXPECT_EQ(r.error().details().at("function"), json::value("Left"));
}

TEST(Apply, SkippedOnCreateOnlyMappingDoesNotFailUpdates) {
  auto m = MustCompile({{"x", "Left(1, 1)", A::kOnCreateOnly}});
  EXPECT_TRUE(Apply(m, TestUser(), false).ok());
  EXPECT_FALSE(Apply(m, TestUser(), true).ok());
}

TEST(Apply, EmptyMappingsGiveAnEmptyObject) {
  auto m = MustCompile({});
  EXPECT_TRUE(MustApply(m, TestUser()).empty());
  EXPECT_EQ(m.size(), 0u);
}

// ---- compile errors -------------------------------------------------------------------------

struct CompileErrorCase {
  std::vector<AttributeMapping> mappings;
  size_t index;
  const char* field;
  const char* message;  // substring
};

void PrintTo(const CompileErrorCase& c, std::ostream* os) { *os << c.message; }

class CompileErrors : public ::testing::TestWithParam<CompileErrorCase> {};

TEST_P(CompileErrors, NameTheMappingAndTarget) {
  const CompileErrorCase& c = GetParam();
  auto r = Compile(c.mappings);
  ASSERT_FALSE(r.ok());
  const Error& e = r.error();
  EXPECT_EQ(e.code(), Code::kInvalidArgument);
  const AttributeMapping& bad = c.mappings[c.index];
  std::string prefix = "mapping " + std::to_string(c.index) + " (target '" + bad.target + "'): ";
  EXPECT_TRUE(e.message().starts_with(prefix)) << e.message();
  EXPECT_NE(e.message().find(c.message), std::string::npos) << e.message();
  EXPECT_EQ(e.details().at("mapping"), json::value(c.index));
  EXPECT_EQ(e.details().at("target"), json::value(bad.target));
  EXPECT_EQ(e.details().at("field"), json::value(c.field));
}

INSTANTIATE_TEST_SUITE_P(
    All, CompileErrors,
    ::testing::Values(
        CompileErrorCase{{{"userName", "[userName]"}, {"Alias", "Left([userName]"}},
                         1,
                         "expression",
                         "position 16: expected ',' or ')'"},
        CompileErrorCase{{{"", "[userName]"}}, 0, "target", "expected an attribute name"},
        CompileErrorCase{{{"bad name", "[userName]"}}, 0, "target", "expected an attribute name"},
        CompileErrorCase{{{"name.", "[userName]"}}, 0, "target", "expected an attribute name"},
        CompileErrorCase{{{"a.b.c", "[userName]"}}, 0, "target", "expected an attribute name"},
        CompileErrorCase{{{R"(emails[type eq "work")", "[x]"}}, 0, "target", "expected ']'"},
        CompileErrorCase{{{R"(emails[type eq "work"])", "[x]"}},
                         0,
                         "target",
                         "names the sub-attribute to write"},
        CompileErrorCase{
            {{R"(emails[type ne "work"].value)", "[x]"}}, 0, "target", "`sub eq value` terms"},
        CompileErrorCase{{{R"(emails[type eq "a" or type eq "b"].value)", "[x]"}},
                         0,
                         "target",
                         "`sub eq value` terms"},
        CompileErrorCase{
            {{R"(emails[type pr].value)", "[x]"}}, 0, "target", "`sub eq value` terms"},
        CompileErrorCase{
            {{R"(emails[type eq null].value)", "[x]"}}, 0, "target", "`sub eq value` terms"},
        CompileErrorCase{
            {{R"(emails[not (type eq "a")].value)", "[x]"}}, 0, "target", "`sub eq value` terms"},
        CompileErrorCase{{{"userName", "[a]"}, {"UserName", "[b]"}},
                         1,
                         "target",
                         "overlaps the target of mapping 0 ('userName')"},
        CompileErrorCase{{{"name", "[name]"}, {"name.givenName", "[b]"}}, 1, "target", "overlaps"},
        CompileErrorCase{{{"name.givenName", "[a]"}, {"name", "[name]"}}, 1, "target", "overlaps"},
        CompileErrorCase{
            {{"name.givenName", "[a]"}, {"name.givenName", "[b]"}}, 1, "target", "overlaps"},
        CompileErrorCase{{{R"(emails[type eq "work"].value)", "[a]"},
                          {R"(emails[type eq "work"].value)", "[b]"}},
                         1,
                         "target",
                         "overlaps"},
        CompileErrorCase{{{R"(emails[type eq "work"].value)", "[a]"}, {"emails", "[emails]"}},
                         1,
                         "target",
                         "overlaps"},
        CompileErrorCase{{{R"(emails[type eq "work"].value)", "[a]"}, {"emails.value", "[b]"}},
                         1,
                         "target",
                         "overlaps"},
        CompileErrorCase{
            {{"urn:x:1.0:User:a", "[a]"}, {"urn:X:1.0:User:a", "[b]"}}, 1, "target", "overlaps"},
        CompileErrorCase{{{"userName", "ToLower([userName], 1)"}},
                         0,
                         "expression",
                         "ToLower expects 1 argument"},
        CompileErrorCase{{{"userName", ""}}, 0, "expression", "position 1: expected an expression"},
        CompileErrorCase{{{"userName", "userName"}}, 0, "expression", "[userName]"}));

TEST(Compile, ExpressionErrorKeepsThePosition) {
  std::vector<AttributeMapping> list{{"Alias", R"(Left([userName] 8))"}};
  auto r = Compile(list);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().details().at("position"), json::value(17));
}

TEST(Compile, DifferentElementsAndSubsDoNotOverlap) {
  EXPECT_TRUE(Compile(std::vector<AttributeMapping>{{R"(emails[type eq "work"].value)", "[a]"},
                                                    {R"(emails[type eq "work"].primary)", "true"},
                                                    {R"(emails[type eq "home"].value)", "[b]"},
                                                    {"name.givenName", "[c]"},
                                                    {"name.familyName", "[d]"},
                                                    {"urn:x:1.0:User:name", "[e]"},
                                                    {"name.formatted", "[f]"}})
                  .ok());
}

TEST(Compile, SourceTypeCheckCatchesUnknownAttributes) {
  CompileOptions strict;
  strict.source_type = &PortalUserType();
  EXPECT_TRUE(Compile(DefaultScimMappings(), strict).ok());
  EXPECT_TRUE(Compile(DefaultSalesforceMappings(), strict).ok());
  EXPECT_TRUE(Compile(DefaultGoogleMappings(), strict).ok());
  struct Bad {
    const char* expression;
    const char* message;
  };
  for (const Bad& b : {
           Bad{"[usrName]", "position 1: unknown attribute [usrName]"},
           Bad{"Join(\" \", [name.givenName], [name.surname])",
               "position 29: unknown attribute [name.surname]"},
           Bad{R"([emails[kind eq "work"].value])", "kind"},
           Bad{R"([emails[type eq "work"].address])", "unknown sub-attribute"},
           Bad{R"([name[type eq "x"].value])", "unknown sub-attribute 'type' of name"},
           Bad{"[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:dept]",
               "unknown attribute"},
           Bad{R"([emails[primary eq "yes"].value])", "boolean"},
       }) {
    std::vector<AttributeMapping> list{{"x", b.expression}};
    auto r = Compile(list, strict);
    ASSERT_FALSE(r.ok()) << b.expression;
    EXPECT_NE(r.error().message().find(b.message), std::string::npos) << r.error().message();
    EXPECT_EQ(r.error().details().at("field"), json::value("expression"));
    EXPECT_TRUE(Compile(list).ok()) << "syntax-only compile accepts " << b.expression;
  }
}

TEST(Compile, KeepsSourceMappingsAndParsedTrees) {
  std::vector<AttributeMapping> list{{"Alias", "left([userName], 8)", A::kOnCreateOnly}};
  auto m = MustCompile(list);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m.mappings()[0].source, list[0]);
  EXPECT_EQ(ToString(m.mappings()[0].expression), "Left([userName], 8)");
  EXPECT_EQ(ToString(m.mappings()[0].target), "Alias");
}

// ---- explain --------------------------------------------------------------------------------

TEST(Explain, OneRowPerMappingWithValuesAndErrors) {
  auto m = MustCompile({{"userName", "[userName]"},
                        {"Alias", "Left([active], 8)"},
                        {"nickName", "[missing]"},
                        {"TimeZoneSidKey", R"("GMT")", A::kOnCreateOnly}});
  auto rows = Explain(m, TestUser(), false);
  ASSERT_TRUE(rows.ok());
  json::value want = json::parse(R"J([
    {"target":"userName","expression":"[userName]","apply":"always","applied":true,
     "value":"jose.garcia@example.com"},
    {"target":"Alias","expression":"Left([active], 8)","apply":"always","applied":true,
     "value":null,"error":"Left: argument 1 (source) must be a string, got boolean"},
    {"target":"nickName","expression":"[missing]","apply":"always","applied":true,"value":null},
    {"target":"TimeZoneSidKey","expression":"\"GMT\"","apply":"on_create_only","applied":false,
     "value":"GMT"}])J");
  EXPECT_EQ(CanonicalJson(*rows), CanonicalJson(want)) << json::serialize(*rows);
}

TEST(Explain, CreatingMarksCreateOnlyRowsApplied) {
  auto m = MustCompile({{"TimeZoneSidKey", R"("GMT")", A::kOnCreateOnly}});
  auto rows = Explain(m, TestUser(), true);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].at("applied"), json::value(true));
}

// ---- defaults -------------------------------------------------------------------------------

TEST(Defaults, ScimOnTheTestUser) {
  auto m = MustCompile(DefaultScimMappings());
  const char* want = R"({"userName":"jose.garcia@example.com","active":true,
      "displayName":"José García","name":{"givenName":"José","familyName":"García Núñez"},
      "emails":[{"type":"work","value":"jose.garcia@example.com"}],"externalId":"HR-000417",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
        {"manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d"}}})";
  ExpectJson(MustApply(m, TestUser(), true), want);
  ExpectJson(MustApply(m, TestUser(), false), want);
}

TEST(Defaults, SalesforceOnTheTestUser) {
  auto m = MustCompile(DefaultSalesforceMappings());
  ExpectJson(
      MustApply(m, TestUser(), true),
      R"({"Username":"jose.garcia@example.com","FederationIdentifier":"jose.garcia@example.com",
                 "IsActive":true,"Email":"jose.garcia@example.com","FirstName":"José",
                 "LastName":"García Núñez","Alias":"jose.gar","TimeZoneSidKey":"America/Los_Angeles",
                 "LocaleSidKey":"en_US","EmailEncodingKey":"UTF-8","LanguageLocaleKey":"en_US",
                 "ManagerId":"26118915-6090-4610-87e4-49d8ca9f808d"})");
  ExpectJson(
      MustApply(m, TestUser(), false),
      R"({"Username":"jose.garcia@example.com","FederationIdentifier":"jose.garcia@example.com",
                 "IsActive":true,"Email":"jose.garcia@example.com","FirstName":"José",
                 "LastName":"García Núñez","Alias":"jose.gar",
                 "ManagerId":"26118915-6090-4610-87e4-49d8ca9f808d"})");
}

TEST(Defaults, GoogleOnTheTestUser) {
  auto m = MustCompile(DefaultGoogleMappings());
  ExpectJson(MustApply(m, TestUser(), true),
             R"({"primaryEmail":"jose.garcia@example.com",
                 "name":{"givenName":"José","familyName":"García Núñez"},"suspended":false,
                 "externalIds":[{"type":"organization","value":"417"}],"orgUnitPath":"/",
                 "relations":[{"type":"manager","value":"26118915-6090-4610-87e4-49d8ca9f808d"}]})");
}

TEST(Defaults, MinimalUser) {
  json::object user = json::parse(R"({"userName":"Zoë@x.example","active":false,
      "emails":[{"value":"z@x.example","primary":true}]})")
                          .as_object();
  ExpectJson(MustApply(MustCompile(DefaultScimMappings()), user, false),
             R"({"userName":"Zoë@x.example","active":false,
                 "emails":[{"type":"work","value":"z@x.example"}]})");
  ExpectJson(MustApply(MustCompile(DefaultSalesforceMappings()), user, false),
             R"({"Username":"Zoë@x.example","FederationIdentifier":"Zoë@x.example",
                 "IsActive":false,"Email":"z@x.example","Alias":"Zoe"})");
  ExpectJson(MustApply(MustCompile(DefaultGoogleMappings()), user, false),
             R"({"primaryEmail":"Zoë@x.example","suspended":true})");
}

TEST(WriteAndErase, EachPathShape) {
  auto path = [](std::string_view text) { return ParseAttributePath(text).value(); };
  const std::string ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  json::object o = json::parse(R"({"ManagerId":"p-1","name":{"givenName":"A"},
      "relations":[{"type":"assistant","value":"b@x"},{"type":"manager","value":"p-1"}]})")
                       .as_object();
  o[ent] = json::object{{"manager", {{"value", "p-1"}}}, {"department", "R&D"}};
  WriteAt(o, path("ManagerId"), "005A");
  WriteAt(o, path(R"(relations[type eq "manager"].value)"), "m@x");
  WriteAt(o, path(ent + ":manager.value"), "t-9");
  EXPECT_EQ(o.at("ManagerId"), "005A");
  EXPECT_EQ(o.at("relations").at(1).at("value"), "m@x");
  EXPECT_EQ(o.at("relations").as_array().size(), 2u);  // the element joined, not added
  EXPECT_EQ(o.at(ent).at("manager").at("value"), "t-9");

  EraseAt(o, path("managerid"));  // names are case-insensitive
  EXPECT_FALSE(o.contains("ManagerId"));
  EraseAt(o, path(R"(relations[type eq "manager"].value)"));
  EXPECT_EQ(o.at("relations"), json::parse(R"([{"type":"assistant","value":"b@x"}])"));
  EraseAt(o, path(R"(relations[type eq "assistant"].value)"));
  EXPECT_FALSE(o.contains("relations"));  // an emptied array goes
  EraseAt(o, path(ent + ":manager.value"));
  ExpectJson(o.at(ent).as_object(), R"({"department":"R&D"})");  // the rest stays
  EraseAt(o, path(ent + ":department"));
  EXPECT_FALSE(o.contains(ent));  // an emptied extension goes
  EraseAt(o, path("name.givenName"));
  EXPECT_FALSE(o.contains("name"));
  EraseAt(o, path("nothing.here"));  // absent: nothing to do
  EraseAt(o, path(R"(emails[type eq "work"].value)"));
  EXPECT_TRUE(o.empty()) << o;
}

TEST(Defaults, HashIsStableAndTracksChanges) {
  auto m = MustCompile(DefaultScimMappings());
  json::object a = MustApply(m, TestUser(), false);
  json::object user = TestUser();
  user["title"] = "Principal Engineer";  // not mapped: same desired state
  EXPECT_EQ(DesiredStateHash(MustApply(m, user, false)), DesiredStateHash(a));
  user["displayName"] = "Pepe García";
  EXPECT_NE(DesiredStateHash(MustApply(m, user, false)), DesiredStateHash(a));
}

}  // namespace
}  // namespace provisio::mapping
