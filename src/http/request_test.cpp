#include "http/request.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/response.h"
#include "http/status.h"
#include "http/target.h"

namespace provisio::http {
namespace {

TEST(TargetTest, SplitsAndDecodesPathAndQuery) {
  auto t = ParseTarget("/scim/v2/Users%20x?filter=userName+eq+%22bjensen%22&count=10&flag&&a=1=2");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->path, "/scim/v2/Users x");
  ASSERT_EQ(t->query.size(), 4u);
  EXPECT_EQ(t->query[0],
            (std::pair<std::string, std::string>{"filter", "userName eq \"bjensen\""}));
  EXPECT_EQ(t->query[1], (std::pair<std::string, std::string>{"count", "10"}));
  EXPECT_EQ(t->query[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(t->query[3], (std::pair<std::string, std::string>{"a", "1=2"}));
}

TEST(TargetTest, PlusIsLiteralInThePath) {
  auto t = ParseTarget("/a+b%2Bc?q=a%2Bb+c");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/a+b+c");
  EXPECT_EQ(t->query[0].second, "a+b c");
}

TEST(TargetTest, AcceptsAbsoluteFormAndAsterisk) {
  auto t = ParseTarget("http://example.com:8080/healthz?x=1");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/healthz");
  EXPECT_EQ(t->query[0].second, "1");
  EXPECT_EQ(ParseTarget("http://example.com")->path, "/");
  EXPECT_EQ(ParseTarget("*")->path, "*");
}

TEST(TargetTest, RejectsBadEncodingAndForms) {
  EXPECT_FALSE(ParseTarget("").ok());
  EXPECT_FALSE(ParseTarget("/a%zz").ok());
  EXPECT_FALSE(ParseTarget("/a%4").ok());
  EXPECT_FALSE(ParseTarget("/a%").ok());
  EXPECT_FALSE(ParseTarget("/a%00b").ok());
  EXPECT_FALSE(ParseTarget("/a?x=%g1").ok());
  EXPECT_FALSE(ParseTarget("relative/path").ok());
  EXPECT_EQ(ParseTarget("/a%zz").error().code(), Code::kInvalidArgument);
}

TEST(RequestTest, HeaderLookupIsCaseInsensitiveAndReturnsTheFirst) {
  Request req;
  req.headers = {{"Content-Type", "application/json"}, {"X-Dup", "1"}, {"x-dup", "2"}};
  EXPECT_EQ(req.Header("content-type"), "application/json");
  EXPECT_EQ(req.Header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(req.Header("x-DUP"), "1");
  EXPECT_FALSE(req.Header("Authorization").has_value());
}

TEST(RequestTest, QueryAndParamLookups) {
  Request req;
  req.query = {{"count", "10"}, {"count", "20"}, {"empty", ""}};
  req.params = {{"id", "42"}};
  EXPECT_EQ(req.Query("count"), "10");
  EXPECT_EQ(req.Query("empty"), "");
  EXPECT_FALSE(req.Query("Count").has_value());
  EXPECT_EQ(req.Param("id"), "42");
  EXPECT_EQ(req.Param("missing"), "");
}

TEST(RequestTest, CookiesFromOneOrSeveralHeaders) {
  Request req;
  req.headers = {{"Cookie", "a=1; provisio_session=abc.def ;quoted=\"v w\"; flag"},
                 {"cookie", "late=x"}};
  EXPECT_EQ(req.Cookie("provisio_session"), "abc.def");
  EXPECT_EQ(req.Cookie("a"), "1");
  EXPECT_EQ(req.Cookie("quoted"), "v w");
  EXPECT_EQ(req.Cookie("late"), "x");
  EXPECT_FALSE(req.Cookie("flag").has_value());
  EXPECT_FALSE(req.Cookie("provisio").has_value());
}

TEST(ResponseTest, SetHeaderReplacesCaseInsensitivelyAddHeaderAppends) {
  Response r;
  r.SetHeader("Content-Type", "text/plain");
  r.SetHeader("content-type", "application/json");
  r.AddHeader("Set-Cookie", "a=1");
  r.AddHeader("Set-Cookie", "b=2");
  ASSERT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.headers[0],
            (std::pair<std::string, std::string>{"content-type", "application/json"}));
  EXPECT_EQ(r.headers[1].second, "a=1");
  EXPECT_EQ(r.headers[2].second, "b=2");
}

TEST(ResponseTest, FactoriesSetStatusTypeAndBody) {
  Response j = Response::Json(201, boost::json::object{{"id", "x"}});
  EXPECT_EQ(j.status, 201);
  EXPECT_EQ(j.body, R"({"id":"x"})");
  EXPECT_EQ(j.headers.at(0).second, "application/json");
  Response scim = Response::Json(200, boost::json::object{}, "application/scim+json");
  EXPECT_EQ(scim.headers.at(0).second, "application/scim+json");
  Response t = Response::Text(418, "teapot");
  EXPECT_EQ(t.status, 418);
  EXPECT_EQ(t.headers.at(0).second, "text/plain; charset=utf-8");
  EXPECT_EQ(Response::NoContent().status, 204);
  EXPECT_TRUE(Response::NoContent().body.empty());
}

TEST(ResponseTest, FromErrorUsesTheStatusTableAndTheErrorBody) {
  Error e(Code::kUniqueness, "userName taken", {{"attribute", "userName"}});
  Response r = Response::FromError(e);
  EXPECT_EQ(r.status, 409);
  auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("error").at("code").as_string(), "uniqueness");
  EXPECT_EQ(body.at("error").at("message").as_string(), "userName taken");
  EXPECT_EQ(body.at("error").at("details").at("attribute").as_string(), "userName");
}

TEST(StatusTest, TableCoversEveryCode) {
  EXPECT_EQ(HttpStatus(Code::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatus(Code::kInvalidSyntax), 400);
  EXPECT_EQ(HttpStatus(Code::kInvalidFilter), 400);
  EXPECT_EQ(HttpStatus(Code::kInvalidPath), 400);
  EXPECT_EQ(HttpStatus(Code::kInvalidValue), 400);
  EXPECT_EQ(HttpStatus(Code::kNoTarget), 400);
  EXPECT_EQ(HttpStatus(Code::kMutability), 400);
  EXPECT_EQ(HttpStatus(Code::kTooMany), 400);
  EXPECT_EQ(HttpStatus(Code::kInvalidVersion), 400);
  EXPECT_EQ(HttpStatus(Code::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatus(Code::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatus(Code::kNotFound), 404);
  EXPECT_EQ(HttpStatus(Code::kMethodNotAllowed), 405);
  EXPECT_EQ(HttpStatus(Code::kTimeout), 408);
  EXPECT_EQ(HttpStatus(Code::kConflict), 409);
  EXPECT_EQ(HttpStatus(Code::kUniqueness), 409);
  EXPECT_EQ(HttpStatus(Code::kPreconditionFailed), 412);
  EXPECT_EQ(HttpStatus(Code::kPayloadTooLarge), 413);
  EXPECT_EQ(HttpStatus(Code::kRateLimited), 429);
  EXPECT_EQ(HttpStatus(Code::kInternal), 500);
  EXPECT_EQ(HttpStatus(Code::kNotImplemented), 501);
  EXPECT_EQ(HttpStatus(Code::kUnavailable), 503);
}

}  // namespace
}  // namespace provisio::http
