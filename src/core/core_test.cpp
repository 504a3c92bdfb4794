#include <gtest/gtest.h>

#include <set>

#include "core/clock.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/result.h"

namespace provisio {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Error::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.error().ToString(), "invalid_argument: odd");
}

TEST(IdsTest, UuidsAreV4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto u = NewUuid();
    ASSERT_TRUE(IsUuid(u)) << u;
    EXPECT_EQ(u[14], '4');
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_FALSE(IsUuid("not-a-uuid"));
  EXPECT_FALSE(IsUuid("0123456789abcdef0123456789abcdef0123"));
}

TEST(IdsTest, RandomTokenIsBase64Url) {
  auto t = RandomToken(32);
  EXPECT_EQ(t.size(), 43u);
  EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_NE(RandomToken(), RandomToken());
}

TEST(ClockTest, FormatsAndParsesRfc3339) {
  auto t = ParseRfc3339("2011-05-13T04:42:34Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatRfc3339(*t), "2011-05-13T04:42:34.000Z");
  auto with_offset = ParseRfc3339("2011-05-13T06:42:34.5+02:00");
  ASSERT_TRUE(with_offset);
  EXPECT_EQ(FormatRfc3339(*with_offset), "2011-05-13T04:42:34.500Z");
  EXPECT_FALSE(ParseRfc3339("2011-13-13T04:42:34Z"));
  EXPECT_FALSE(ParseRfc3339("2011-05-13T04:42:34"));
  EXPECT_FALSE(ParseRfc3339("yesterday"));
  EXPECT_FALSE(ParseRfc3339("2011-05-13T04:42:34Zjunk"));
}

TEST(ClockTest, FakeClockAdvances) {
  FakeClock c(FromMicros(0));
  c.Advance(std::chrono::seconds(2));
  EXPECT_EQ(ToMicros(c.Now()), 2'000'000);
}

TEST(JsonTest, ParseErrorsAreInvalidSyntax) {
  EXPECT_TRUE(json::Parse(R"({"a":1})").ok());
  auto bad = json::Parse("{\"a\":");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Code::kInvalidSyntax);
}

TEST(JsonTest, ErrorBodyShape) {
  Error e(Code::kNotFound, "no such user", {{"id", "42"}});
  auto body = json::ErrorBody(e);
  EXPECT_EQ(boost::json::serialize(body),
            R"({"error":{"code":"not_found","message":"no such user","details":{"id":"42"}}})");
}

}  // namespace
}  // namespace provisio
