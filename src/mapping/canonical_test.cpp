#include "mapping/canonical.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "mapping/test_user.h"

namespace provisio::mapping {
namespace {

namespace json = boost::json;

struct CanonCase {
  const char* input;
  const char* canonical;
};

void PrintTo(const CanonCase& c, std::ostream* os) { *os << c.input; }

class Canonical : public ::testing::TestWithParam<CanonCase> {};

TEST_P(Canonical, Form) {
  EXPECT_EQ(CanonicalJson(json::parse(GetParam().input)), GetParam().canonical);
}

INSTANTIATE_TEST_SUITE_P(
    All, Canonical,
    ::testing::Values(
        CanonCase{"null", "null"}, CanonCase{"true", "true"}, CanonCase{" false ", "false"},
        CanonCase{"0", "0"}, CanonCase{"-0", "0"}, CanonCase{"-0.0", "0"}, CanonCase{"1.0", "1"},
        CanonCase{"1e2", "100"}, CanonCase{"-17", "-17"}, CanonCase{"1.5", "1.5"},
        CanonCase{"0.1", "0.1"}, CanonCase{"123.456", "123.456"}, CanonCase{"1e21", "1e+21"},
        CanonCase{"1e20", "100000000000000000000"}, CanonCase{"1.5e-7", "1.5e-7"},
        CanonCase{"0.000001", "0.000001"}, CanonCase{"1e-7", "1e-7"},
        CanonCase{"-1.25e30", "-1.25e+30"}, CanonCase{"9007199254740993", "9007199254740993"},
        CanonCase{"18446744073709551615", "18446744073709551615"},
        CanonCase{"-9223372036854775808", "-9223372036854775808"},
        CanonCase{"4.5e15", "4500000000000000"}, CanonCase{R"("a\"b\\c\/d")", R"("a\"b\\c/d")"},
        CanonCase{R"("\u0001\b\f\n\r\t\u001f")", R"("\u0001\b\f\n\r\t\u001f")"},
        CanonCase{R"("\u00e9\u20ac\ud83d\ude00")", "\"é€😀\""},
        CanonCase{R"({"b":1,"a":2})", R"({"a":2,"b":1})"},
        CanonCase{R"({ "b" : [ 3 , {"z":1,"y":2} ] , "a" : { "d":null,"c":true } })",
                  R"({"a":{"c":true,"d":null},"b":[3,{"y":2,"z":1}]})"},
        CanonCase{R"({"aa":1,"a":2,"B":3,"":4})", R"({"":4,"B":3,"a":2,"aa":1})"},
        CanonCase{R"({"\ue000":1,"\ud83d\ude00":2})", "{\"😀\":2,\"\xee\x80\x80\":1}"},
        CanonCase{R"({"é":1,"z":2})", R"({"z":2,"é":1})"}, CanonCase{"[]", "[]"},
        CanonCase{"{}", "{}"}, CanonCase{"[[],[{}]]", "[[],[{}]]"}));

// The RFC 8785 §3.2.2.3 sample numbers (built by the compiler, which rounds correctly).
TEST(Canonical, Rfc8785Numbers) {
  EXPECT_EQ(CanonicalJson(json::value(333333333.33333329)), "333333333.3333333");
  EXPECT_EQ(CanonicalJson(json::value(1e30)), "1e+30");
  EXPECT_EQ(CanonicalJson(json::value(4.50)), "4.5");
  EXPECT_EQ(CanonicalJson(json::value(2e-3)), "0.002");
  EXPECT_EQ(CanonicalJson(json::value(0.000000000000000000000000001)), "1e-27");
  EXPECT_EQ(CanonicalJson(json::value(5e-324)), "5e-324");
  EXPECT_EQ(CanonicalJson(json::value(1.7976931348623157e308)), "1.7976931348623157e+308");
  EXPECT_EQ(CanonicalJson(json::value(295147905179352830000.0)), "295147905179352830000");
  EXPECT_EQ(CanonicalJson(json::value(-1.5)), "-1.5");
}

TEST(DesiredStateHash, IsHexSha256OfTheCanonicalForm) {
  // SHA-256 of the 2 bytes "{}".
  EXPECT_EQ(DesiredStateHash(json::object()),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  EXPECT_EQ(DesiredStateHash(json::parse(R"({"b":1,"a":2})")).size(), 64u);
}

TEST(DesiredStateHash, IndependentOfKeyOrderAndWhitespace) {
  json::value a = json::parse(R"({"userName":"x","name":{"givenName":"A","familyName":"B"},
                                  "emails":[{"type":"work","value":"x@y"}],"active":true})");
  json::value b = json::parse(R"({"active":true,"emails":[{"value":"x@y","type":"work"}],
                                  "name":{"familyName":"B","givenName":"A"},"userName":"x"})");
  EXPECT_EQ(DesiredStateHash(a), DesiredStateHash(b));
  EXPECT_EQ(DesiredStateHash(json::parse("{\"n\":1.0}")),
            DesiredStateHash(json::parse("{\"n\":1}")));
}

TEST(DesiredStateHash, SensitiveToEveryValueChange) {
  const json::value base = testing::TestUser();
  std::string h = DesiredStateHash(base);
  EXPECT_EQ(DesiredStateHash(base), h);
  auto changed = [&](auto&& edit) {
    json::value v = base;
    edit(v.as_object());
    return DesiredStateHash(v);
  };
  EXPECT_NE(changed([](json::object& o) { o["active"] = false; }), h);
  EXPECT_NE(changed([](json::object& o) { o["userName"] = "Jose.garcia@example.com"; }), h);
  EXPECT_NE(changed([](json::object& o) { o["nickName"] = nullptr; }), h);
  EXPECT_NE(changed([](json::object& o) { o.erase("nickName"); }), h);
  EXPECT_NE(changed([](json::object& o) { o["extra"] = nullptr; }), h);
  EXPECT_NE(changed([](json::object& o) { o["name"].as_object()["givenName"] = "Jose"; }), h);
  // Array order is significant: element order is data.
  EXPECT_NE(changed([](json::object& o) {
              auto& e = o["emails"].as_array();
              std::swap(e[0], e[1]);
            }),
            h);
  EXPECT_NE(changed([](json::object& o) {
              o["urn:example:params:scim:schemas:extension:acme:1.0:User"].as_object()["ratio"] =
                  0.2500001;
            }),
            h);
  EXPECT_NE(changed([](json::object& o) { o["externalId"] = 417; }), h);
  EXPECT_NE(DesiredStateHash(json::parse(R"({"a":"1"})")),
            DesiredStateHash(json::parse(R"({"a":1})")));
}

TEST(DesiredStateHash, StableAcrossRuns) {
  // A fixed value pinned so a change of the canonical form is noticed (stored hashes would all
  // mismatch and trigger a full re-push).
  json::value v = json::parse(R"({"userName":"jose","active":true,"n":[1,2.5,"x"]})");
  EXPECT_EQ(CanonicalJson(v), R"({"active":true,"n":[1,2.5,"x"],"userName":"jose"})");
  EXPECT_EQ(DesiredStateHash(v), DesiredStateHash(json::parse(CanonicalJson(v))));
}

}  // namespace
}  // namespace provisio::mapping
