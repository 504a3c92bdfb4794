#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace provisio::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(200, name); };
}

// Runs the matched handler and returns its body, so a test names which route won.
std::string Winner(const Router& router, std::string_view method, std::string_view path) {
  auto match = router.Find(method, path);
  if (!match.ok()) return "error:" + match.error().ToString();
  Request req;
  return (*match->handler)(req).body;
}

TEST(RouterTest, MatchesLiteralRoutesExactly) {
  Router router;
  router.Add("GET", "/healthz", Named("healthz"));
  router.Add("GET", "/", Named("root"));
  router.Add("GET", "/api/v1/status", Named("status"));
  EXPECT_EQ(Winner(router, "GET", "/healthz"), "healthz");
  EXPECT_EQ(Winner(router, "GET", "/"), "root");
  EXPECT_EQ(Winner(router, "GET", "/api/v1/status"), "status");
  EXPECT_EQ(router.Find("GET", "/healthz/").error().code(), Code::kNotFound);
  EXPECT_EQ(router.Find("GET", "/api/v1").error().code(), Code::kNotFound);
  EXPECT_EQ(router.Find("GET", "/api/v1/status/x").error().code(), Code::kNotFound);
  EXPECT_EQ(router.Find("GET", "").error().code(), Code::kNotFound);
  EXPECT_EQ(router.Find("OPTIONS", "*").error().code(), Code::kNotFound);
}

TEST(RouterTest, CapturesParamsAndReportsThePattern) {
  Router router;
  router.Add("GET", "/api/v1/applications/{id}/assignments/{assignment_id}", Named("a"));
  auto match = router.Find("GET", "/api/v1/applications/app-1/assignments/42");
  ASSERT_TRUE(match.ok()) << match.error().ToString();
  EXPECT_EQ(match->params.at("id"), "app-1");
  EXPECT_EQ(match->params.at("assignment_id"), "42");
  EXPECT_EQ(match->route, "/api/v1/applications/{id}/assignments/{assignment_id}");
  // A parameter is exactly one non-empty segment.
  EXPECT_FALSE(router.Find("GET", "/api/v1/applications//assignments/42").ok());
  EXPECT_FALSE(router.Find("GET", "/api/v1/applications/a/b/assignments/42").ok());
}

TEST(RouterTest, WildcardCapturesTheRestIncludingSlashes) {
  Router router;
  router.Add("GET", "/static/{path*}", Named("static"));
  auto match = router.Find("GET", "/static/js/app.js");
  ASSERT_TRUE(match.ok());
  EXPECT_EQ(match->params.at("path"), "js/app.js");
  EXPECT_EQ(router.Find("GET", "/static/")->params.at("path"), "");
  EXPECT_EQ(router.Find("GET", "/static")->params.at("path"), "");
  EXPECT_FALSE(router.Find("GET", "/other/js").ok());
}

TEST(RouterTest, LiteralBeatsParamBeatsWildcardAtTheSameDepth) {
  Router router;
  router.Add("GET", "/users/{id}", Named("param"));
  router.Add("GET", "/users/me", Named("literal"));
  router.Add("GET", "/users/{rest*}", Named("wildcard"));
  router.Add("GET", "/users/{id}/groups", Named("groups"));
  EXPECT_EQ(Winner(router, "GET", "/users/me"), "literal");
  EXPECT_EQ(Winner(router, "GET", "/users/42"), "param");
  EXPECT_EQ(Winner(router, "GET", "/users/42/groups"), "groups");
  EXPECT_EQ(Winner(router, "GET", "/users/42/other"), "wildcard");
  EXPECT_EQ(router.Find("GET", "/users/42/other")->params.at("rest"), "42/other");
}

TEST(RouterTest, BacktracksWhenTheLiteralBranchDeadEnds) {
  Router router;
  router.Add("GET", "/a/b/c", Named("abc"));
  router.Add("GET", "/a/{x}/d", Named("axd"));
  EXPECT_EQ(Winner(router, "GET", "/a/b/d"), "axd");
  EXPECT_EQ(router.Find("GET", "/a/b/d")->params.at("x"), "b");
  // The literal route matches the path but not the method: the param route takes it.
  router.Add("DELETE", "/a/{x}/c", Named("delete"));
  EXPECT_EQ(Winner(router, "DELETE", "/a/b/c"), "delete");
}

TEST(RouterTest, MethodNotAllowedListsAllowedMethods) {
  Router router;
  router.Add("POST", "/api/v1/admins", Named("create"));
  router.Add("GET", "/api/v1/admins", Named("list"));
  auto match = router.Find("DELETE", "/api/v1/admins");
  ASSERT_FALSE(match.ok());
  EXPECT_EQ(match.error().code(), Code::kMethodNotAllowed);
  EXPECT_EQ(match.error().details().at("allow").as_string(), "GET, POST");
  EXPECT_EQ(router.Find("GET", "/api/v1/nothing").error().code(), Code::kNotFound);
}

TEST(RouterTest, StarMethodMatchesAnyMethodButExactMethodWins) {
  Router router;
  router.Add("*", "/scim/v2/{rest*}", Named("any"));
  router.Add("GET", "/scim/v2/{rest*}", Named("get"));
  EXPECT_EQ(Winner(router, "PATCH", "/scim/v2/Users/1"), "any");
  EXPECT_EQ(Winner(router, "GET", "/scim/v2/Users/1"), "get");
}

TEST(RouterTest, MethodsAreCaseSensitive) {
  Router router;
  router.Add("GET", "/x", Named("x"));
  EXPECT_EQ(router.Find("get", "/x").error().code(), Code::kMethodNotAllowed);
}

TEST(RouterTest, CarriesRouteOptions) {
  Router router;
  router.Add("GET", "/healthz", Named("h"), {.inline_io = true});
  router.Add("POST", "/upload", Named("u"), {.max_body_bytes = 10});
  EXPECT_TRUE(router.Find("GET", "/healthz")->options.inline_io);
  EXPECT_FALSE(router.Find("POST", "/upload")->options.inline_io);
  EXPECT_EQ(router.Find("POST", "/upload")->options.max_body_bytes, 10u);
}

TEST(RouterTest, RejectsMalformedPatternsAndDuplicates) {
  Router router;
  EXPECT_THROW(router.Add("GET", "no-slash", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/{}", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/{x", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/pre{x}", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/{rest*}/b", Named("x")), std::invalid_argument);
  router.Add("GET", "/a/{x}", Named("x"));
  EXPECT_THROW(router.Add("GET", "/a/{x}", Named("x")), std::invalid_argument);
  // Different names for the parameter at one position are fine: names belong to routes.
  router.Add("GET", "/a/{y}/z", Named("y"));
  EXPECT_EQ(router.Find("GET", "/a/1/z")->params.at("y"), "1");
  EXPECT_EQ(router.Find("GET", "/a/1")->params.at("x"), "1");
}

}  // namespace
}  // namespace provisio::http
