// Every function over the test user: normal values, nulls, wrong types. Each case is an
// expression and the JSON it must evaluate to (or a substring of the error).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "mapping/evaluate.h"
#include "mapping/expression_parser.h"
#include "mapping/test_user.h"

namespace provisio::mapping {
namespace {

namespace json = boost::json;
using testing::TestUser;

struct EvalCase {
  const char* expression;
  const char* expected;  // JSON text
};

void PrintTo(const EvalCase& c, std::ostream* os) { *os << c.expression; }

class Evaluates : public ::testing::TestWithParam<EvalCase> {};

TEST_P(Evaluates, ToTheExpectedValue) {
  const EvalCase& c = GetParam();
  auto e = ParseExpression(c.expression);
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  auto v = Evaluate(*e, TestUser());
  ASSERT_TRUE(v.ok()) << c.expression << ": " << v.error().ToString();
  json::value expected = json::parse(c.expected);
  bool same_kind = v->kind() == expected.kind() || (v->is_number() && expected.is_number());
  EXPECT_TRUE(same_kind && ValuesEqual(*v, expected))
      << c.expression << " gave " << json::serialize(*v) << ", expected " << c.expected;
}

#define ENT "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define ACME "urn:example:params:scim:schemas:extension:acme:1.0:User"

INSTANTIATE_TEST_SUITE_P(
    References, Evaluates,
    ::testing::Values(
        EvalCase{"[userName]", R"("jose.garcia@example.com")"},
        EvalCase{"[USERNAME]", R"("jose.garcia@example.com")"},
        EvalCase{"[name.givenName]", R"("José")"}, EvalCase{"[Name.GivenName]", R"("José")"},
        EvalCase{"[name.middleName]", "null"}, EvalCase{"[name.honorificPrefix]", "null"},
        EvalCase{"[missing]", "null"}, EvalCase{"[missing.sub]", "null"},
        EvalCase{"[active]", "true"}, EvalCase{"[id]", R"("2819c223-7f76-453a-919d-413861904646")"},
        EvalCase{"[externalId]", R"("HR-000417")"},
        EvalCase{
            "[name]",
            R"({"givenName":"José","familyName":"García Núñez","middleName":null,"formatted":"José García Núñez"})"},
        EvalCase{"[emails.value]", R"(["jose.garcia@example.com","jgarcia@home.example"])"},
        EvalCase{"[emails.display]", "null"},
        EvalCase{"[groups.display]", R"(["Engineering","Madrid"])"},
        EvalCase{R"([emails[type eq "work"].value])", R"("jose.garcia@example.com")"},
        EvalCase{R"([emails[type eq "WORK"].value])", R"("jose.garcia@example.com")"},
        EvalCase{R"([emails[type eq "home"].value])", R"("jgarcia@home.example")"},
        EvalCase{R"([emails[type eq "other"].value])", "null"},
        EvalCase{R"([emails[primary eq true].value])", R"("jose.garcia@example.com")"},
        EvalCase{R"([emails[not (primary eq true)].value])", R"("jgarcia@home.example")"},
        EvalCase{R"([emails[value ew "home.example"].type])", R"("home")"},
        EvalCase{R"([emails[type eq "home"]])",
                 R"({"value":"jgarcia@home.example","type":"home"})"},
        EvalCase{R"([emails[type eq "home"].primary])", "null"},
        EvalCase{R"([phoneNumbers[type eq "mobile"].value])", R"("+34 600 000 000")"},
        EvalCase{R"([groups[display eq "madrid"].value])", R"("g2")"},
        EvalCase{R"([missing[type eq "x"].value])", "null"},
        EvalCase{"[" ENT ":department]", R"("R&D")"},
        EvalCase{"[" ENT ":employeeNumber]", R"("417")"},
        EvalCase{"[" ENT ":manager.value]", R"("26118915-6090-4610-87e4-49d8ca9f808d")"},
        EvalCase{"[" ENT ":manager.displayName]", R"("Ana Ruiz")"},
        EvalCase{"[urn:ietf:params:scim:schemas:extension:ENTERPRISE:2.0:User:costCenter]",
                 R"("4130")"},
        EvalCase{"[" ENT ":division]", "null"},
        EvalCase{"[urn:ietf:params:scim:schemas:core:2.0:User:userName]",
                 R"("jose.garcia@example.com")"},
        EvalCase{"[urn:example:unknown:1.0:User:x]", "null"}, EvalCase{"[" ACME ":level]", "3"},
        EvalCase{"[" ACME R"(:badges[kind eq "car"].code])", "7"},
        EvalCase{"[" ACME R"(:badges[code eq 7].kind])", R"("car")"},
        EvalCase{"[" ACME R"(:badges[active eq false].kind])", R"("car")"},
        EvalCase{"[" ACME R"(:badges[kind eq "none"].code])", "null"},
        EvalCase{"[" ACME ":badges.code]", R"(["D-1",7])"},
        EvalCase{"[meta.created]", R"("2023-01-15T09:30:00Z")"}));

INSTANTIATE_TEST_SUITE_P(Literals, Evaluates,
                         ::testing::Values(EvalCase{R"("x")", R"("x")"}, EvalCase{"1", "1"},
                                           EvalCase{"-2.5", "-2.5"}, EvalCase{"true", "true"},
                                           EvalCase{"null", "null"}, EvalCase{R"("")", R"("")"}));

INSTANTIATE_TEST_SUITE_P(
    Join, Evaluates,
    ::testing::Values(
        EvalCase{R"(Join(" ", [name.givenName], [name.familyName]))", R"("José García Núñez")"},
        EvalCase{R"(Join(" ", [name.givenName], [name.middleName], [name.familyName]))",
                 R"("José García Núñez")"},
        EvalCase{R"(Join(" ", [nickName], [name.givenName]))", R"("José")"},
        EvalCase{R"(Join(",", [groups.display]))", R"("Engineering,Madrid")"},
        EvalCase{R"(Join(";", [emails.value], "x"))",
                 R"("jose.garcia@example.com;jgarcia@home.example;x")"},
        EvalCase{R"(Join("-", 1, 2.5, true))", R"("1-2.5-true")"},
        EvalCase{R"(Join(",", 1e21, 0.5e-7, -0.0, 3.0))", R"("1e+21,5e-8,0,3")"},
        EvalCase{R"(Join("", "a", "b"))", R"("ab")"},
        EvalCase{R"(Join(null, "a", "b"))", R"("ab")"},
        EvalCase{R"(Join(",", [missing], null, ""))", "null"},
        EvalCase{R"(Join(",", Split("a,,b", ",")))", R"("a,b")"},
        EvalCase{R"(Join("/", "only"))", R"("only")"}));

INSTANTIATE_TEST_SUITE_P(
    Append, Evaluates,
    ::testing::Values(EvalCase{R"(Append([name.givenName], "!"))", R"("José!")"},
                      EvalCase{R"(Append("pre-", [externalId]))", R"("pre-HR-000417")"},
                      EvalCase{R"(Append([missing], "@x"))", R"("@x")"},
                      EvalCase{R"(Append("a", null))", R"("a")"},
                      EvalCase{R"(Append(null, [missing]))", "null"},
                      EvalCase{R"(Append("", ""))", R"("")"}));

INSTANTIATE_TEST_SUITE_P(
    Case, Evaluates,
    ::testing::Values(EvalCase{"ToLower([displayName])", R"("josé garcía")"},
                      EvalCase{"ToUpper([displayName])", R"("JOSÉ GARCÍA")"},
                      EvalCase{"ToUpper([name.familyName])", R"("GARCÍA NÚÑEZ")"},
                      EvalCase{R"(ToLower("ÀÉÎÕÜ ŁŒŠŽ ΑΒΓ АБВ ЁЂ"))", R"("àéîõü łœšž αβγ абв ёђ")"},
                      EvalCase{R"(ToUpper("àéîõü łœšž αβγ абв ёђ ÿ ς"))",
                               R"("ÀÉÎÕÜ ŁŒŠŽ ΑΒΓ АБВ ЁЂ Ÿ Σ")"},
                      EvalCase{R"(ToUpper("straße"))", R"("STRAßE")"},
                      EvalCase{R"(ToLower("×÷"))", R"("×÷")"},
                      EvalCase{R"(ToLower("MiXeD 123"))", R"("mixed 123")"},
                      EvalCase{"ToLower([missing])", "null"}, EvalCase{"ToUpper(null)", "null"},
                      EvalCase{R"(ToLower(""))", R"("")"}));

INSTANTIATE_TEST_SUITE_P(Replace, Evaluates,
                         ::testing::Values(EvalCase{R"(Replace([name.familyName], " ", "-"))",
                                                    R"("García-Núñez")"},
                                           EvalCase{R"(Replace("a.b.c", ".", ""))", R"("abc")"},
                                           EvalCase{R"(Replace("aaa", "aa", "b"))", R"("ba")"},
                                           EvalCase{R"(Replace("abc", "x", "y"))", R"("abc")"},
                                           EvalCase{R"(Replace("abc", "", "y"))", R"("abc")"},
                                           EvalCase{R"(Replace("abc", null, "y"))", R"("abc")"},
                                           EvalCase{R"(Replace("abc", "b", null))", R"("ac")"},
                                           EvalCase{R"(Replace([missing], "b", "c"))", "null"},
                                           EvalCase{R"(Replace("é-é", "é", "e"))", R"("e-e")"}));

INSTANTIATE_TEST_SUITE_P(LeftMid, Evaluates,
                         ::testing::Values(EvalCase{"Left([userName], 4)", R"("jose")"},
                                           EvalCase{"Left([name.familyName], 4)", R"("Garc")"},
                                           EvalCase{"Left([name.givenName], 4)", R"("José")"},
                                           EvalCase{"Left([name.givenName], 3)", R"("Jos")"},
                                           EvalCase{"Left([name.givenName], 100)", R"("José")"},
                                           EvalCase{"Left([name.givenName], 0)", R"("")"},
                                           EvalCase{"Left([name.givenName], 2.0)", R"("Jo")"},
                                           EvalCase{"Left([missing], 3)", "null"},
                                           EvalCase{"Mid([userName], 1, 4)", R"("jose")"},
                                           EvalCase{"Mid([userName], 6, 6)", R"("garcia")"},
                                           EvalCase{"Mid([name.familyName], 5, 3)", R"("ía ")"},
                                           EvalCase{"Mid([name.givenName], 4, 10)", R"("é")"},
                                           EvalCase{"Mid([name.givenName], 5, 1)", R"("")"},
                                           EvalCase{"Mid([name.givenName], 99, 1)", R"("")"},
                                           EvalCase{"Mid([name.givenName], 1, 0)", R"("")"},
                                           EvalCase{"Mid(null, 1, 1)", "null"}));

INSTANTIATE_TEST_SUITE_P(
    SplitWord, Evaluates,
    ::testing::Values(EvalCase{R"(Split([userName], "@"))", R"(["jose.garcia","example.com"])"},
                      EvalCase{R"(Split("a,,b,", ","))", R"(["a","","b",""])"},
                      EvalCase{R"(Split("abc", ","))", R"(["abc"])"},
                      EvalCase{R"(Split("a::b", "::"))", R"(["a","b"])"},
                      EvalCase{R"(Split([missing], ","))", "null"},
                      EvalCase{R"(Word([userName], 1, "@"))", R"("jose.garcia")"},
                      EvalCase{R"(Word([userName], 2, "@."))", R"("garcia")"},
                      EvalCase{R"(Word([userName], 4, "@."))", R"("com")"},
                      EvalCase{R"(Word([userName], 5, "@."))", "null"},
                      EvalCase{R"(Word("  a  b ", 2, " "))", R"("b")"},
                      EvalCase{R"(Word("a—b", 2, "—"))", R"("b")"},
                      EvalCase{R"(Word("abc", 1, ""))", R"("abc")"},
                      EvalCase{R"(Word(null, 1, " "))", "null"}));

INSTANTIATE_TEST_SUITE_P(
    SwitchIifCoalesce, Evaluates,
    ::testing::Values(
        EvalCase{R"(Switch([)" ENT
                 R"(:department], "Other", "R&D", "Engineering", "HR", "People"))",
                 R"("Engineering")"},
        EvalCase{R"(Switch("HR", "Other", "R&D", "Engineering", "HR", "People"))", R"("People")"},
        EvalCase{R"(Switch("hr", "Other", "R&D", "Engineering", "HR", "People"))", R"("Other")"},
        EvalCase{R"(Switch([missing], "Other", "R&D", "Engineering"))", R"("Other")"},
        EvalCase{R"(Switch([)" ACME R"(:level], "low", 3, "three", 4, "four"))", R"("three")"},
        EvalCase{R"(Switch(3.0, "d", 3, "three"))", R"("three")"},
        EvalCase{R"(Switch([active], "d", true, "on", false, "off"))", R"("on")"},
        EvalCase{R"(Switch("a", null, "b", "B"))", "null"},
        EvalCase{R"(Switch("b", "d", "a", Left(5, 1)))", R"("d")"},
        EvalCase{R"(IIF([active], "enabled", "disabled"))", R"("enabled")"},
        EvalCase{R"(IIF(Not([active]), "enabled", "disabled"))", R"("disabled")"},
        EvalCase{R"(IIF([missing], "yes", "no"))", R"("no")"},
        EvalCase{R"(IIF([)" ENT R"(:department] = "R&D", "eng", "other"))", R"("eng")"},
        EvalCase{R"(IIF(true, "taken", Left(5, 1)))", R"("taken")"},
        EvalCase{R"(IIF(false, Left(5, 1), "taken"))", R"("taken")"},
        EvalCase{R"(Coalesce([nickName], [name.givenName]))", R"("José")"},
        EvalCase{R"(Coalesce([missing], [name.middleName], "fallback"))", R"("fallback")"},
        EvalCase{R"(Coalesce([missing], null))", "null"},
        EvalCase{R"(Coalesce([emails[type eq "other"].value], [emails[primary eq true].value]))",
                 R"("jose.garcia@example.com")"},
        EvalCase{R"(Coalesce(Split("", ","), "x"))", R"([""])"},
        EvalCase{R"(Coalesce("first", Left(5, 1)))", R"("first")"},
        EvalCase{R"(Coalesce(false, "x"))", "false"}, EvalCase{R"(Coalesce(0, "x"))", "0"}));

INSTANTIATE_TEST_SUITE_P(
    Diacritics, Evaluates,
    ::testing::Values(
        EvalCase{"NormalizeDiacritics([name.givenName])", R"("Jose")"},
        EvalCase{"NormalizeDiacritics([name.familyName])", R"("Garcia Nunez")"},
        EvalCase{R"(NormalizeDiacritics("Ærøskøbing"))", R"("AEroskobing")"},
        EvalCase{R"(NormalizeDiacritics("Straße"))", R"("Strasse")"},
        EvalCase{R"(NormalizeDiacritics("Łódź Kraków"))", R"("Lodz Krakow")"},
        EvalCase{R"(NormalizeDiacritics("Œuvre Ĳssel þorn ÐÞ"))", R"("OEuvre IJssel thorn DTH")"},
        EvalCase{R"(NormalizeDiacritics("Çağrı Şahin İlker"))", R"("Cagri Sahin Ilker")"},
        EvalCase{R"(NormalizeDiacritics("Dvořák Žižek Čapek"))", R"("Dvorak Zizek Capek")"},
        EvalCase{R"(NormalizeDiacritics("Ångström Øre ÿ"))", R"("Angstrom Ore y")"},
        EvalCase{"NormalizeDiacritics(\"Jose\xCC\x81\")", R"("Jose")"},
        EvalCase{R"(NormalizeDiacritics("日本 Ωμέγα"))", R"("日本 Ωμέγα")"},
        EvalCase{R"(NormalizeDiacritics("plain"))", R"("plain")"},
        EvalCase{"NormalizeDiacritics([missing])", "null"}));

INSTANTIATE_TEST_SUITE_P(
    DateTime, Evaluates,
    ::testing::Values(
        EvalCase{R"(FormatDateTime([meta.created], "ISO8601", "yyyyMMdd"))", R"("20230115")"},
        EvalCase{R"(FormatDateTime([meta.created], "", "yyyy-MM-dd"))", R"("2023-01-15")"},
        EvalCase{R"(FormatDateTime([meta.lastModified], "RFC3339", "yyyy-MM-ddTHH:mm:ssZ"))",
                 R"("2024-03-05T09:20:30Z")"},
        EvalCase{R"(FormatDateTime([meta.lastModified], "ISO8601", "yyyy-MM-dd'T'HH:mm:ss.fffK"))",
                 R"("2024-03-05T09:20:30.500Z")"},
        EvalCase{R"(FormatDateTime("2024-12-31T23:30:00-01:00", "ISO8601", "yyyyMMdd"))",
                 R"("20250101")"},
        EvalCase{R"(FormatDateTime("20240305102030.0Z", "yyyyMMddHHmmss.fZ", "yyyy-MM-dd"))",
                 R"("2024-03-05")"},
        EvalCase{R"(FormatDateTime("05/03/2024", "dd/MM/yyyy", "yyyy-MM-dd"))", R"("2024-03-05")"},
        EvalCase{R"(FormatDateTime("5/3/24", "d/M/yy", "yyyyMMdd"))", R"("20240305")"},
        EvalCase{R"(FormatDateTime("2024-02-29 13:05", "yyyy-MM-dd HH:mm", "ISO8601"))",
                 R"("2024-02-29T13:05:00Z")"},
        EvalCase{
            R"(FormatDateTime("2024-03-05T10:20:30+02:00", "yyyy-MM-ddTHH:mm:sszzz", "HH:mm"))",
            R"("08:20")"},
        EvalCase{R"(FormatDateTime("1969-12-31T23:59:59Z", "ISO8601", "yyyy-MM-dd HH:mm:ss"))",
                 R"("1969-12-31 23:59:59")"},
        EvalCase{R"(FormatDateTime("2000-01-01T00:00:00Z", "ISO8601", "d.M.yy H:m:s"))",
                 R"("1.1.00 0:0:0")"},
        EvalCase{R"(FormatDateTime([missing], "ISO8601", "yyyyMMdd"))", "null"},
        EvalCase{R"(FormatDateTime("", "ISO8601", "yyyyMMdd"))", "null"}));

INSTANTIATE_TEST_SUITE_P(
    Logic, Evaluates,
    ::testing::Values(
        EvalCase{"Not([active])", "false"}, EvalCase{"Not(false)", "true"},
        EvalCase{"Not([missing])", "null"}, EvalCase{"IsPresent([userName])", "true"},
        EvalCase{"IsPresent([nickName])", "false"}, EvalCase{"IsPresent([missing])", "false"},
        EvalCase{"IsPresent([name.middleName])", "false"}, EvalCase{"IsPresent(false)", "true"},
        EvalCase{"IsPresent(0)", "true"}, EvalCase{R"(IsPresent(Split("a", ",")))", "true"},
        EvalCase{"IsNullOrEmpty([nickName])", "true"}, EvalCase{"IsNullOrEmpty([missing])", "true"},
        EvalCase{"IsNullOrEmpty([title])", "false"}, EvalCase{R"(IsNullOrEmpty(" "))", "false"},
        EvalCase{R"(Equals([title], "Senior Engineer"))", "true"},
        EvalCase{R"(Equals([title], "senior engineer"))", "false"},
        EvalCase{"Equals(1, 1.0)", "true"}, EvalCase{"Equals(1, 2)", "false"},
        EvalCase{R"(Equals(1, "1"))", "false"}, EvalCase{"Equals(null, [missing])", "true"},
        EvalCase{"Equals([name], [name])", "true"},
        EvalCase{R"(Equals(Split("a,b", ","), Split("a,b", ",")))", "true"},
        EvalCase{R"([active] = true)", "true"}, EvalCase{R"(Not([userName] = "x"))", "true"}));

INSTANTIATE_TEST_SUITE_P(
    Composed, Evaluates,
    ::testing::Values(
        EvalCase{
            R"(ToLower(Join(".", Left(NormalizeDiacritics([name.givenName]), 1), Replace(NormalizeDiacritics([name.familyName]), " ", ""))))",
            R"("j.garcianunez")"},
        EvalCase{
            R"(Append(ToLower(NormalizeDiacritics(Word([name.familyName], 1, " "))), "@corp.example"))",
            R"("garcia@corp.example")"},
        EvalCase{R"(Left(NormalizeDiacritics(Word([userName], 1, "@")), 8))", R"("jose.gar")"},
        EvalCase{R"(IIF(IsPresent([)" ENT R"(:manager.value]), [)" ENT
                 R"(:manager.displayName], "none"))",
                 R"("Ana Ruiz")"},
        EvalCase{R"(Join(" ", Split(ToUpper([displayName]), " ")))", R"("JOSÉ GARCÍA")"}));

// ---- errors ---------------------------------------------------------------------------------

struct FailCase {
  const char* expression;
  const char* message;  // substring
};

void PrintTo(const FailCase& c, std::ostream* os) { *os << c.expression; }

class Fails : public ::testing::TestWithParam<FailCase> {};

TEST_P(Fails, WithTheFunctionNamed) {
  const FailCase& c = GetParam();
  auto e = ParseExpression(c.expression);
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  auto v = Evaluate(*e, TestUser());
  ASSERT_FALSE(v.ok()) << c.expression << " gave " << json::serialize(*v);
  EXPECT_EQ(v.error().code(), Code::kInvalidValue);
  EXPECT_NE(v.error().message().find(c.message), std::string::npos)
      << c.expression << ": " << v.error().message();
  EXPECT_TRUE(v.error().details().contains("position"));
}

INSTANTIATE_TEST_SUITE_P(
    All, Fails,
    ::testing::Values(
        FailCase{"Left(123, 2)", "Left: argument 1 (source) must be a string, got number"},
        FailCase{"Left([active], 2)", "Left: argument 1 (source) must be a string, got boolean"},
        FailCase{"Left([userName], -1)",
                 "Left: argument 2 (length) must be a non-negative integer, got number"},
        FailCase{"Left([userName], 1.5)", "Left: argument 2 (length)"},
        FailCase{R"(Left([userName], "2"))", "got string"},
        FailCase{"Left([userName], null)", "got null"},
        FailCase{"Mid([userName], 0, 2)", "Mid: argument 2 (start) must be a positive integer"},
        FailCase{"Mid([userName], 1, -2)", "Mid: argument 3 (length)"},
        FailCase{"Mid([emails], 1, 2)", "Mid: argument 1 (source) must be a string, got array"},
        FailCase{"ToLower([name])", "ToLower: argument 1 (source) must be a string, got object"},
        FailCase{"ToUpper(1)", "ToUpper: argument 1"},
        FailCase{"NormalizeDiacritics(true)", "NormalizeDiacritics: argument 1"},
        FailCase{R"(Replace(1, "a", "b"))", "Replace: argument 1 (source)"},
        FailCase{R"(Replace("a", 1, "b"))", "Replace: argument 2 (oldValue)"},
        FailCase{R"(Replace("a", "a", 2))", "Replace: argument 3 (newValue)"},
        FailCase{R"(Split("a", ""))", "Split: argument 2 (separator) must be a non-empty string"},
        FailCase{R"(Split("a", null))", "Split: argument 2"},
        FailCase{R"(Split(1, ","))", "Split: argument 1"},
        FailCase{R"(Append(1, "x"))", "Append: argument 1 (source)"},
        FailCase{R"(Append("x", [name]))", "Append: argument 2 (suffix)"},
        FailCase{R"(Join(",", [name]))", "Join: argument 2"},
        FailCase{R"(Join(",", "a", [emails]))",
                 "Join: argument 3 (source2) must be a string, number, boolean or array of them, "
                 "got object"},
        FailCase{R"(Join(1, "a"))", "Join: argument 1 (separator)"},
        FailCase{"Not(1)", "Not: argument 1 (source) must be a boolean, got number"},
        FailCase{R"(Not("true"))", "got string"},
        FailCase{R"(IIF("yes", 1, 2))",
                 "IIF: argument 1 (condition) must be a boolean, got string"},
        FailCase{R"(Word(1, 1, " "))", "Word: argument 1"},
        FailCase{R"(Word("a", 0, " "))",
                 "Word: argument 2 (wordNumber) must be a positive integer"},
        FailCase{R"(Word("a", 1, 2))", "Word: argument 3 (delimiters)"},
        FailCase{R"(FormatDateTime("not a date", "ISO8601", "yyyy"))",
                 "FormatDateTime: 'not a date' is not an ISO 8601"},
        FailCase{R"(FormatDateTime("2024-13-01", "yyyy-MM-dd", "yyyy"))",
                 "FormatDateTime: '2024-13-01' is not a valid date"},
        FailCase{R"(FormatDateTime("2023-02-29", "yyyy-MM-dd", "yyyy"))", "not a valid date"},
        FailCase{R"(FormatDateTime("2024-01-01x", "yyyy-MM-dd", "yyyy"))", "does not match format"},
        FailCase{R"(FormatDateTime("2024/01/01", "yyyy-MM-dd", "yyyy"))", "does not match format"},
        FailCase{R"(FormatDateTime("2024-01-01", "yyyy-MM-dd", ""))", "output format is empty"},
        FailCase{R"(FormatDateTime("2024-01-01", "yyyy-MM-dd", null))",
                 "FormatDateTime: argument 3 (outputFormat)"},
        FailCase{R"(FormatDateTime("2024-01-01", "'yyyy", "yyyy"))", "unclosed quote"},
        FailCase{R"(FormatDateTime(20240101, "yyyyMMdd", "yyyy"))", "FormatDateTime: argument 1"},
        FailCase{R"(Join(",", Left(1, 1)))", "Left: argument 1"},
        FailCase{R"(IIF(true, Left(1, 1), "x"))", "Left: argument 1"},
        FailCase{R"(Switch("a", "d", "a", Left(1, 1)))", "Left: argument 1"},
        FailCase{R"(Coalesce(null, Left(1, 1)))", "Left: argument 1"}));

TEST(Evaluate, ErrorPositionPointsAtTheFailingCall) {
  auto e = ParseExpression(R"(Join(",", [a], Left(1, 1)))");
  ASSERT_TRUE(e.ok());
  auto v = Evaluate(*e, TestUser());
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().details().at("position"), json::value(16));
  EXPECT_EQ(v.error().details().at("function"), json::value("Left"));
  EXPECT_EQ(v.error().details().at("argument"), json::value(1));
}

TEST(Evaluate, EmptyUserGivesNullsNotErrors) {
  json::object empty;
  for (const char* text :
       {"[userName]", "[name.givenName]", R"([emails[type eq "work"].value])",
        "[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value]",
        "ToLower([userName])", "Left([userName], 3)", "Not([active])",
        R"(FormatDateTime([meta.created], "ISO8601", "yyyy"))"}) {
    auto e = ParseExpression(text);
    ASSERT_TRUE(e.ok()) << text;
    auto v = Evaluate(*e, empty);
    ASSERT_TRUE(v.ok()) << text << ": " << v.error().ToString();
    EXPECT_TRUE(v->is_null()) << text;
  }
}

TEST(Evaluate, ExtensionThatIsNotAnObjectIsAbsent) {
  json::object user{{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "oops"}};
  auto e =
      ParseExpression("[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department]");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(Evaluate(*e, user)->is_null());
}

TEST(Evaluate, SingleValuedComplexWithValueFilter) {
  json::object user = json::parse(R"({"x":{"type":"a","value":1}})").as_object();
  auto e = ParseExpression(R"([x[type eq "a"].value])");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*Evaluate(*e, user), json::value(1));
}

TEST(Functions, TableIsConsistent) {
  for (const FunctionInfo& f : Functions()) {
    EXPECT_EQ(&Info(f.function), &f);
    EXPECT_EQ(FindFunction(f.name), &f);
    EXPECT_TRUE(f.signature.starts_with(f.name)) << f.name;
    EXPECT_TRUE(CheckArity(f.function, f.min_args).empty()) << f.name;
    EXPECT_FALSE(CheckArity(f.function, f.min_args - 1).empty()) << f.name;
  }
  EXPECT_EQ(FindFunction("nosuch"), nullptr);
  EXPECT_EQ(FindFunction("JOIN")->function, Function::kJoin);
}

TEST(Functions, ApplyFunctionRejectsLazyOnesAndBadArity) {
  std::vector<json::value> args{json::value(true), json::value(1), json::value(2)};
  EXPECT_FALSE(ApplyFunction(Function::kIIF, args).ok());
  EXPECT_FALSE(ApplyFunction(Function::kNot, args).ok());
}

}  // namespace
}  // namespace provisio::mapping
