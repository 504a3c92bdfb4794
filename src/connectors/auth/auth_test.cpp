// Auth providers against a recording server: the headers they add, and OAuth 2.0 client
// credentials caching its token, refreshing it once after a 401, and never looping.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>

#include "connectors/auth/auth_provider.h"
#include "connectors/auth/authorized_client.h"
#include "connectors/auth/oauth2_client_credentials.h"
#include "connectors/error_class.h"
#include "connectors/recording_target.h"
#include "http/response.h"

namespace provisio::connectors {
namespace {

using boost::json::object;
using namespace std::chrono_literals;

http::HttpRequest Get(std::string url) {
  http::HttpRequest r;
  r.url = std::move(url);
  return r;
}

TEST(StaticAuthTest, AddsTheConfiguredHeader) {
  RecordingTarget target([](const http::Request&) { return http::Response::Text(200, "ok"); });
  http::Client http;
  SystemClock clock;
  struct Case {
    object auth;
    std::string expected;
  };
  for (const auto& c :
       {Case{object{{"kind", "bearer"}, {"token", "abc"}}, "Bearer abc"},
        Case{object{{"kind", "basic"}, {"username", "Aladdin"}, {"password", "open sesame"}},
             "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="}}) {
    auto p = MakeAuthProvider(c.auth, http, clock);
    ASSERT_TRUE(p.ok());
    AuthorizedClient client(http, std::move(p).value());
    target.Clear();
    ASSERT_TRUE(client.Send(Get(target.url() + "/x")).ok());
    EXPECT_EQ(target.requests().at(0).authorization, c.expected);
  }
  auto key = MakeAuthProvider(object{{"kind", "api_key"}, {"header", "X-Api-Key"}, {"value", "k1"}},
                              http, clock);
  ASSERT_TRUE(key.ok());
  http::HttpRequest req = Get("http://unused");
  ASSERT_TRUE((*key)->Authorize(req).ok());
  EXPECT_EQ(req.headers.at(0), (std::pair<std::string, std::string>{"X-Api-Key", "k1"}));
  EXPECT_FALSE(MakeAuthProvider(object{{"kind", "kerberos"}}, http, clock).ok());
}

// A token endpoint issuing "tok-1", "tok-2", ... and a resource accepting only `accepted`.
class OAuthTest : public testing::Test {
 protected:
  OAuthTest()
      : target_([this](const http::Request& req) {
          if (req.path == "/token") {
            token_requests_body_ = req.body;
            token_auth_ = std::string(req.Header("Authorization").value_or(""));
            int n = ++issued_;
            return http::Response::Json(200, object{{"access_token", "tok-" + std::to_string(n)},
                                                    {"token_type", "Bearer"},
                                                    {"expires_in", 3600}});
          }
          if (req.Header("Authorization") == "Bearer " + accepted_) {
            return http::Response::Text(200, "ok");
          }
          return http::Response::Text(401, "");
        }),
        clock_(FromMicros(1'700'000'000'000'000)) {}

  std::unique_ptr<OAuth2ClientCredentials> Provider() {
    OAuth2ClientCredentialsOptions o;
    o.token_url = target_.url() + "/token";
    o.client_id = "client";
    o.client_secret = "s3cret";
    o.scope = "scim:write";
    return std::make_unique<OAuth2ClientCredentials>(o, http_, clock_);
  }

  RecordingTarget target_;
  FakeClock clock_;
  http::Client http_;
  std::atomic<int> issued_{0};
  std::string accepted_ = "tok-1";
  std::string token_requests_body_;
  std::string token_auth_;
};

TEST_F(OAuthTest, TokenCachedUntilExpiry) {
  auto provider = Provider();
  auto* raw = provider.get();
  AuthorizedClient client(http_, std::move(provider));
  ASSERT_EQ(client.Send(Get(target_.url() + "/r")).value().status, 200);
  ASSERT_EQ(client.Send(Get(target_.url() + "/r")).value().status, 200);
  EXPECT_EQ(raw->tokens_fetched(), 1);
  EXPECT_EQ(token_requests_body_, "grant_type=client_credentials&scope=scim%3Awrite");
  EXPECT_EQ(token_auth_, "Basic Y2xpZW50OnMzY3JldA==");
  // Near expiry (expires_in 3600 minus the 30 s margin) a new token is fetched first.
  clock_.Advance(3580s);
  accepted_ = "tok-2";
  ASSERT_EQ(client.Send(Get(target_.url() + "/r")).value().status, 200);
  EXPECT_EQ(raw->tokens_fetched(), 2);
}

TEST_F(OAuthTest, A401RefreshesTheTokenOnce) {
  auto provider = Provider();
  auto* raw = provider.get();
  AuthorizedClient client(http_, std::move(provider));
  ASSERT_EQ(client.Send(Get(target_.url() + "/r")).value().status, 200);
  accepted_ = "tok-2";  // the target revoked tok-1
  auto r = client.Send(Get(target_.url() + "/r"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(raw->tokens_fetched(), 2);
  // A target rejecting every token: one refresh, then the 401 is the answer (no loop).
  accepted_ = "never";
  target_.Clear();
  auto denied = client.Send(Get(target_.url() + "/r"));
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->status, 401);
  EXPECT_EQ(raw->tokens_fetched(), 3);
  EXPECT_EQ(target_.lines(), (std::vector<std::string>{"GET /r", "POST /token", "GET /r"}));
}

TEST_F(OAuthTest, TokenEndpointRejectionIsAnAuthError) {
  RecordingTarget bad([](const http::Request&) {
    return http::Response::Json(401, object{{"error", "invalid_client"}});
  });
  OAuth2ClientCredentialsOptions o;
  o.token_url = bad.url() + "/token";
  o.client_id = "c";
  o.client_secret = "wrong";
  OAuth2ClientCredentials provider(o, http_, clock_);
  http::HttpRequest req = Get("http://unused");
  auto s = provider.Authorize(req);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(ClassOf(s.error()), ErrorClass::kAuth);
  EXPECT_NE(s.error().message().find("invalid_client"), std::string::npos);
}

}  // namespace
}  // namespace provisio::connectors
