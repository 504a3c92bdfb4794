#include "mapping/expression_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace provisio::mapping {
namespace {

namespace json = boost::json;

Expression MustParse(std::string_view text) {
  auto e = ParseExpression(text);
  EXPECT_TRUE(e.ok()) << text << ": " << (e.ok() ? "" : e.error().ToString());
  return e.ok() ? std::move(e).value() : Expression{};
}

TEST(ExpressionParser, StringLiteralWithEscapes) {
  Expression e = MustParse(R"("a \"quoted\" \\ word")");
  EXPECT_EQ(std::get<Literal>(e.node).value, json::value("a \"quoted\" \\ word"));
  EXPECT_EQ(e.position, 1u);
}

TEST(ExpressionParser, Numbers) {
  EXPECT_TRUE(std::get<Literal>(MustParse("42").node).value.is_int64());
  EXPECT_EQ(std::get<Literal>(MustParse("-7").node).value, json::value(-7));
  EXPECT_TRUE(std::get<Literal>(MustParse("1.5").node).value.is_double());
  EXPECT_EQ(std::get<Literal>(MustParse("2e3").node).value, json::value(2000.0));
  EXPECT_TRUE(std::get<Literal>(MustParse("99999999999999999999").node).value.is_double());
}

TEST(ExpressionParser, KeywordsAreCaseInsensitive) {
  EXPECT_EQ(std::get<Literal>(MustParse("TRUE").node).value, json::value(true));
  EXPECT_EQ(std::get<Literal>(MustParse("False").node).value, json::value(false));
  EXPECT_TRUE(std::get<Literal>(MustParse("null").node).value.is_null());
}

TEST(ExpressionParser, SimpleReference) {
  Expression e = MustParse("[userName]");
  const auto& ref = std::get<Reference>(e.node);
  EXPECT_EQ(ref.path.attr.attr, "userName");
  EXPECT_TRUE(ref.path.attr.urn.empty());
  EXPECT_FALSE(ref.path.filter.has_value());
}

TEST(ExpressionParser, SubAttributeReference) {
  Expression parsed = MustParse("[name.givenName]");
  const auto& ref = std::get<Reference>(parsed.node);
  EXPECT_EQ(ref.path.attr.attr, "name");
  EXPECT_EQ(ref.path.attr.sub, "givenName");
}

TEST(ExpressionParser, EnterpriseReference) {
  Expression parsed =
      MustParse("[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value]");
  const auto& ref = std::get<Reference>(parsed.node);
  EXPECT_EQ(ref.path.attr.urn, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
  EXPECT_EQ(ref.path.attr.attr, "manager");
  EXPECT_EQ(ref.path.attr.sub, "value");
}

TEST(ExpressionParser, ValuePathReference) {
  Expression parsed = MustParse(R"([emails[type eq "work"].value])");
  const auto& ref = std::get<Reference>(parsed.node);
  EXPECT_EQ(ref.path.attr.attr, "emails");
  ASSERT_TRUE(ref.path.filter.has_value());
  EXPECT_EQ(scim::ToString(*ref.path.filter), R"(type eq "work")");
  EXPECT_EQ(ref.path.filter_sub, "value");
}

TEST(ExpressionParser, ValuePathWithBracketInsideString) {
  Expression parsed = MustParse(R"([emails[type eq "w]o[rk"].value])");
  const auto& ref = std::get<Reference>(parsed.node);
  EXPECT_EQ(scim::ToString(*ref.path.filter), R"(type eq "w]o[rk")");
}

TEST(ExpressionParser, ReferenceWithInnerSpaces) {
  Expression parsed = MustParse("[ userName ]");
  const auto& ref = std::get<Reference>(parsed.node);
  EXPECT_EQ(ref.path.attr.attr, "userName");
}

TEST(ExpressionParser, CallWithArgumentsAndPositions) {
  Expression e = MustParse(R"(Join(" ", [name.givenName], [name.familyName]))");
  const auto& call = std::get<Call>(e.node);
  EXPECT_EQ(call.function, Function::kJoin);
  ASSERT_EQ(call.args.size(), 3u);
  EXPECT_EQ(call.args[0].position, 6u);
  EXPECT_EQ(call.args[1].position, 11u);
  EXPECT_EQ(call.args[2].position, 29u);
}

TEST(ExpressionParser, FunctionNamesAreCaseInsensitive) {
  EXPECT_EQ(std::get<Call>(MustParse("tolower([x])").node).function, Function::kToLower);
  EXPECT_EQ(std::get<Call>(MustParse("iif(true, 1, 2)").node).function, Function::kIIF);
  EXPECT_EQ(ToString(MustParse("normalizediacritics([x])")), "NormalizeDiacritics([x])");
}

TEST(ExpressionParser, EqualsOperatorIsEqualsCall) {
  Expression e = MustParse(R"(IIF([country] = "ES", "Spain", "Other"))");
  const auto& cond = std::get<Call>(std::get<Call>(e.node).args[0].node);  // e outlives it
  EXPECT_EQ(cond.function, Function::kEquals);
  EXPECT_EQ(ToString(e), R"(IIF(Equals([country], "ES"), "Spain", "Other"))");
}

TEST(ExpressionParser, WhitespaceAnywhere) {
  EXPECT_EQ(MustParse(" \tJoin ( \",\" ,\n[a] , [b] ) \r\n"), MustParse(R"(Join(",", [a], [b]))"));
}

TEST(ExpressionParser, NonAsciiPositionsCountCharacters) {
  auto e = ParseExpression("Join(\"é\", [a], )");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().details().at("position"), json::value(16));
}

TEST(ExpressionParser, LimitsDepth) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "Not(";
  text += "true";
  for (int i = 0; i < 100; ++i) text += ")";
  auto e = ParseExpression(text);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message().find("nested"), std::string::npos);
  ExpressionLimits wide;
  wide.max_depth = 200;
  EXPECT_TRUE(ParseExpression(text, wide).ok());
}

TEST(ExpressionParser, LimitsLength) {
  ExpressionLimits small;
  small.max_length = 10;
  auto e = ParseExpression(R"("01234567890")", small);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Code::kInvalidArgument);
}

// ---- errors with positions ------------------------------------------------------------------

struct ErrorCase {
  const char* text;
  int position;
  const char* expected;  // a substring of the message
};

class ParseErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseErrors, ReportPositionAndWhatWasExpected) {
  const ErrorCase& c = GetParam();
  auto e = ParseExpression(c.text);
  ASSERT_FALSE(e.ok()) << c.text;
  EXPECT_EQ(e.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(e.error().details().at("position"), json::value(c.position))
      << c.text << " -> " << e.error().message();
  EXPECT_NE(e.error().message().find(c.expected), std::string::npos)
      << c.text << " -> " << e.error().message();
  EXPECT_NE(e.error().message().find("position " + std::to_string(c.position)), std::string::npos)
      << e.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    All, ParseErrors,
    ::testing::Values(
        ErrorCase{"", 1, "expected an expression"}, ErrorCase{"   ", 4, "expected an expression"},
        ErrorCase{"userName", 1, "unknown name 'userName'"}, ErrorCase{"userName", 1, "[userName]"},
        ErrorCase{"Foo([x])", 1, "unknown function 'Foo'"},
        ErrorCase{"user.userName", 1, "unknown name 'user.userName'"},
        ErrorCase{"user.name.givenName", 1, "e.g. [name.givenName]"},
        ErrorCase{"not(user.active)", 5, "e.g. [active]"},
        ErrorCase{"name.givenName", 1, "e.g. [name.givenName]"},
        ErrorCase{"ToLower", 8, "expected '(' after the function name"},
        ErrorCase{"ToLower([x]", 12, "expected ',' or ')'"},
        ErrorCase{"ToLower([x] [y])", 13, "expected ',' or ')'"},
        ErrorCase{"ToLower(,[x])", 9, "expected an argument"},
        ErrorCase{"Join(\",\", [a], )", 16, "expected an argument"},
        ErrorCase{"Join(\",\",, [a])", 10, "expected an argument"},
        ErrorCase{"[userName", 1, "expected ']'"},
        ErrorCase{"Join(\" \", [name.givenName, [x])", 11, "expected ']'"},
        ErrorCase{"\"abc", 1, "expected '\"' to close the string"},
        ErrorCase{"ToLower(\"abc)", 9, "expected '\"' to close the string"},
        ErrorCase{"\"a\\nb\"", 3, "after a backslash"}, ErrorCase{"'abc'", 1, "double quotes"},
        ErrorCase{"[userName] [x]", 12, "expected the end of the expression"},
        ErrorCase{"[a])", 4, "expected the end of the expression"},
        ErrorCase{"ToLower([x]))", 13, "expected the end"},
        ErrorCase{"#", 1, "unexpected character"},
        ErrorCase{"ToLower([x] + [y])", 13, "unexpected character"},
        ErrorCase{"1.", 3, "digit after the decimal point"},
        ErrorCase{"1e", 3, "digit in the exponent"},
        ErrorCase{"12abc", 3, "separator after the number"}, ErrorCase{"1e999", 1, "representable"},
        ErrorCase{"[]", 2, "expected an attribute name"},
        ErrorCase{"[1abc]", 2, "expected an attribute name"},
        ErrorCase{"[name.]", 2, "expected an attribute name"},
        ErrorCase{"[emails[type eq ]].value]", 17,
                  "expected a SCIM filter inside [...]: expected a value"},
        ErrorCase{"[emails[type eq \"work\"]value]", 24, "after ']'"},
        ErrorCase{"[emails[type eq \"work\"].value.x]", 24, "after ']'"},
        ErrorCase{"[name.a[type eq \"x\"]]", 2, "before '['"},
        ErrorCase{"[emails[x[y eq 1]]]", 9, "plain sub-attribute"},
        ErrorCase{"[emails[a.b eq 1]]", 9, "plain sub-attribute"},
        ErrorCase{"a = ", 1, "unknown name"},
        ErrorCase{"[a] = ", 7, "expected an expression after '='"},
        ErrorCase{"[a] = [b] = [c]", 11, "does not chain"},
        ErrorCase{"= [a]", 1, "expected an expression"},
        ErrorCase{"Not(true, false)", 1, "Not expects 1 argument"},
        ErrorCase{"ToLower()", 1, "ToLower expects 1 argument"},
        ErrorCase{"Join(\",\")", 1, "at least 2 arguments"},
        ErrorCase{"Coalesce()", 1, "at least 1 argument"},
        ErrorCase{"Append(\"a\")", 1, "Append expects 2 arguments"},
        ErrorCase{"Replace([a], \"b\")", 1, "Replace expects 3 arguments"},
        ErrorCase{"Left([a])", 1, "Left(source, length)"},
        ErrorCase{"Mid([a], 1)", 1, "Mid expects 3 arguments"},
        ErrorCase{"Split([a])", 1, "Split expects 2 arguments"},
        ErrorCase{"Switch([a], \"d\", \"k\")", 1, "at least 4 arguments"},
        ErrorCase{"Switch([a], \"d\", \"k\", \"v\", \"k2\")", 1, "even number of arguments"},
        ErrorCase{"IIF(true, 1)", 1, "IIF expects 3 arguments"},
        ErrorCase{"FormatDateTime([a], \"x\")", 1, "FormatDateTime expects 3 arguments"},
        ErrorCase{"IsPresent()", 1, "IsPresent expects 1 argument"},
        ErrorCase{"IsNullOrEmpty([a], [b])", 1, "IsNullOrEmpty expects 1 argument"},
        ErrorCase{"Equals([a])", 1, "Equals expects 2 arguments"},
        ErrorCase{"Word([a], 1)", 1, "Word expects 3 arguments"},
        ErrorCase{"ToUpper([a], \"en\")", 1, "ToUpper expects 1 argument"},
        ErrorCase{"NormalizeDiacritics()", 1, "NormalizeDiacritics expects 1 argument"},
        ErrorCase{"Join(\",\", Left([a]))", 11, "Left expects 2 arguments"},
        ErrorCase{"Join(\"é\", Foo())", 11, "unknown function 'Foo'"}));

// ---- round trip -----------------------------------------------------------------------------

class RoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(RoundTrip, ParsePrintParseGivesAnEqualTreeAndAFixedPoint) {
  Expression first = MustParse(GetParam());
  std::string printed = ToString(first);
  Expression second = MustParse(printed);
  EXPECT_EQ(first, second) << GetParam() << " printed as " << printed;
  EXPECT_EQ(ToString(second), printed);
}

INSTANTIATE_TEST_SUITE_P(
    All, RoundTrip,
    ::testing::Values(
        "[userName]", "[name.givenName]", R"([emails[type eq "work"].value])",
        R"([emails[type eq "work" and primary eq true].value])",
        R"([emails[not (type eq "home")]])", R"([emails[value ew "@example.com" or type pr]])",
        "[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department]",
        "[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value]",
        "[urn:ietf:params:scim:schemas:core:2.0:User:userName]", R"("")", R"("plain")",
        R"("a \"b\" \\ c")", "\"tab\there\"", R"("ünïcødé ✓")", "0", "-1", "42",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.5", "-0.25", "2.0",
        "1e300", "1.5e-7", "true", "false", "null",
        R"(Join(" ", [name.givenName], [name.familyName]))", R"(Append([a], "@example.com"))",
        "ToLower([userName])", "ToUpper([userName])", R"(Replace([a], "-", ""))",
        "Left([userName], 8)", "Mid([userName], 2, 3)", R"(Split([a], ","))",
        R"(Switch([dept], "Other", "R&D", "Engineering", "HR", "People"))",
        R"(IIF([active], "yes", "no"))", "Coalesce([nickName], [name.givenName], \"x\")",
        "NormalizeDiacritics([name.familyName])",
        R"(FormatDateTime([meta.created], "ISO8601", "yyyyMMdd"))", "Not([active])",
        "IsPresent([title])", "IsNullOrEmpty([title])", "Equals([a], 1)",
        R"(Word([userName], 1, "@."))", R"([a] = "x")",
        R"(ToLower(Join(".", Left(NormalizeDiacritics([name.givenName]), 1), Replace(NormalizeDiacritics([name.familyName]), " ", ""))))",
        R"(IIF(IsPresent([urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value]), [urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value], null))",
        R"(Coalesce([emails[type eq "work"].value], [emails[primary eq true].value]))",
        R"(Switch(ToLower([x]), IIF(Not(true), 1, 2.5), "a", Split("p,q", ","), "b", null))",
        R"([emails[type eq "quote\"in\\filter"].value])", R"(join(",",[a],[b]))",
        R"(COALESCE( [a] ,"b" ))"));

}  // namespace
}  // namespace provisio::mapping

namespace provisio::mapping {
namespace {

// The messages docs/mappings.md quotes.
TEST(ExpressionParser, DocumentedMessages) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"Left([userName] 8)",
                "invalid expression at position 17: expected ',' or ')' in Left(source, length), "
                "found '8'"},
           Case{"ToLower([a], [b])",
                "invalid expression at position 1: ToLower expects 1 argument (ToLower(source)), "
                "got 2"},
           Case{"[emails[type eq ]].value]",
                "invalid expression at position 17: expected a SCIM filter inside [...]: expected "
                "a value, found end of filter"},
       }) {
    auto e = ParseExpression(c.text);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().message(), c.message);
  }
  auto e = ParseExpression("userName");
  ASSERT_FALSE(e.ok());
  EXPECT_TRUE(e.error().message().starts_with(
      "invalid expression at position 1: unknown name 'userName': write attribute references in "
      "brackets, e.g. [userName]"));
}

}  // namespace
}  // namespace provisio::mapping
