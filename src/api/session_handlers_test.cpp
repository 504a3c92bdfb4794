#include "api/api_test_support.h"

namespace provisio::api {
namespace {

using std::chrono::minutes;

std::string Login(const std::string& email, const std::string& password) {
  return boost::json::serialize(boost::json::object{{"email", email}, {"password", password}});
}

class SessionApiTest : public ApiFixture {};

TEST_F(SessionApiTest, SignInSetsAHardenedCookieAndReturnsCsrfAndAdmin) {
  AddAdmin("root@example.com", "super-admin");
  auto r = Send("POST", "/api/v1/session", {}, Login("root@example.com", kPassword));
  ASSERT_EQ(r.status, 200) << r.body;
  std::string cookie = r.Header("Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("provisio_session=pss_")) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP here
  EXPECT_FALSE(r.json.at("csrf_token").as_string().empty());
  EXPECT_EQ(r.json.at("admin").at("email"), "root@example.com");
  EXPECT_EQ(r.json.at("admin").at("role"), "super-admin");
  EXPECT_EQ(r.json.at("admin").as_object().count("password_hash"), 0u);
}

TEST_F(SessionApiTest, WhoAmIAndSignOut) {
  AddAdmin("root@example.com", "super-admin");
  As as = SignIn("root@example.com");
  auto me = Send("GET", "/api/v1/session", as);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json.at("kind"), "session");
  EXPECT_EQ(me.json.at("admin").at("email"), "root@example.com");
  As no_csrf = as;
  no_csrf.csrf.clear();
  EXPECT_EQ(Send("DELETE", "/api/v1/session", no_csrf).Code(), "csrf_failed");
  auto out = Send("DELETE", "/api/v1/session", as);
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Send("GET", "/api/v1/session", as).status, 401);
}

TEST_F(SessionApiTest, WrongPasswordAndUnknownEmailLookAlike) {
  AddAdmin("root@example.com", "super-admin");
  auto wrong = Send("POST", "/api/v1/session", {}, Login("root@example.com", "not the password!"));
  auto unknown = Send("POST", "/api/v1/session", {}, Login("nobody@example.com", kPassword));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.Code(), "invalid_credentials");
  EXPECT_EQ(wrong.json.at("error").at("message"), unknown.json.at("error").at("message"));
}

TEST_F(SessionApiTest, CsrfIsRequiredOnStateChangesWithACookie) {
  AddAdmin("root@example.com", "super-admin");
  As as = SignIn("root@example.com");
  std::string body = R"({"name":"ci","role":"admin"})";
  As none = as;
  none.csrf.clear();
  As wrong = as;
  wrong.csrf = "forged";
  EXPECT_EQ(Send("POST", "/api/v1/api-tokens", none, body).Code(), "csrf_failed");
  EXPECT_EQ(Send("POST", "/api/v1/api-tokens", wrong, body).status, 403);
  EXPECT_EQ(Send("GET", "/api/v1/api-tokens", none).status, 200);  // reads need none
  EXPECT_EQ(Send("POST", "/api/v1/api-tokens", as, body).status, 201);
}

TEST_F(SessionApiTest, IdleAndAbsoluteExpiry) {
  AddAdmin("root@example.com", "super-admin");
  As as = SignIn("root@example.com");
  clock_.Advance(minutes(29));
  EXPECT_EQ(Send("GET", "/api/v1/session", as).status, 200);
  clock_.Advance(minutes(31));
  auto r = Send("GET", "/api/v1/session", as);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Code(), "session_expired");
  As again = SignIn("root@example.com");
  for (int i = 0; i < 26; ++i) {  // active every 29 minutes, for 12.5 hours
    clock_.Advance(minutes(29));
    if (Send("GET", "/api/v1/session", again).status != 200) break;
  }
  EXPECT_EQ(Send("GET", "/api/v1/session", again).status, 401);
}

TEST_F(SessionApiTest, RepeatedFailuresLockTheEmailWithRetryAfter) {
  AddAdmin("root@example.com", "super-admin");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(
        Send("POST", "/api/v1/session", {}, Login("root@example.com", "wrong password!!")).status,
        401);
  }
  auto locked = Send("POST", "/api/v1/session", {}, Login("root@example.com", "wrong password!!"));
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.Code(), "too_many_attempts");
  EXPECT_EQ(locked.Header("Retry-After"), "900");
  // Even the right password waits out the lockout.
  auto right = Send("POST", "/api/v1/session", {}, Login("root@example.com", kPassword));
  EXPECT_EQ(right.status, 429);
  clock_.Advance(minutes(15));
  EXPECT_EQ(Send("POST", "/api/v1/session", {}, Login("root@example.com", kPassword)).status, 200);
}

TEST_F(SessionApiTest, FailuresOnTwoNodesShareOneLockout) {
  AddAdmin("root@example.com", "super-admin");
  // A second node: its own routes and in-process throttle, the same store.
  http::Router node_b;
  ApiDeps deps{*store_, clock_, *box_};
  deps.password_params = security::PasswordParams::Minimal();
  RegisterApiRoutes(node_b, deps);
  auto fail_on = [&](http::Router* node) {
    target_ = node;
    auto r = Send("POST", "/api/v1/session", {}, Login("root@example.com", "wrong password!!"));
    target_ = &router_;
    return r.status;
  };
  // A balancer alternating between the nodes: neither sees five failures on its own.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(fail_on(i % 2 ? &node_b : &router_), 401);
  EXPECT_EQ(fail_on(&node_b), 429);
  // Locked on both nodes, even with the right password.
  EXPECT_EQ(Send("POST", "/api/v1/session", {}, Login("root@example.com", kPassword)).status, 429);
  target_ = &node_b;
  EXPECT_EQ(Send("POST", "/api/v1/session", {}, Login("root@example.com", kPassword)).status, 429);
  clock_.Advance(minutes(15));
  EXPECT_EQ(Send("POST", "/api/v1/session", {}, Login("root@example.com", kPassword)).status, 200);
  target_ = &router_;
}

TEST_F(SessionApiTest, OneSourceGuessingManyEmailsIsLocked) {
  for (int i = 0; i < 20; ++i) {
    Send("POST", "/api/v1/session", {}, Login("u" + std::to_string(i) + "@example.com", kPassword));
  }
  auto r = Send("POST", "/api/v1/session", {}, Login("fresh@example.com", kPassword));
  EXPECT_EQ(r.status, 429);
  As elsewhere;
  elsewhere.address = "198.51.100.7";
  EXPECT_EQ(
      Send("POST", "/api/v1/session", elsewhere, Login("fresh@example.com", kPassword)).status,
      401);
}

TEST_F(SessionApiTest, PasswordChangeEndsOtherSessions) {
  AddAdmin("root@example.com", "super-admin");
  As a = SignIn("root@example.com");
  As b = SignIn("root@example.com");
  auto bad =
      Send("POST", "/api/v1/session/password", a,
           R"({"current_password":"nope nope nope","new_password":"another long passphrase"})");
  EXPECT_EQ(bad.Code(), "wrong_password");
  auto weak = Send("POST", "/api/v1/session/password", a,
                   boost::json::serialize(boost::json::object{{"current_password", kPassword},
                                                              {"new_password", "short"}}));
  EXPECT_EQ(weak.Code(), "weak_password");
  auto ok =
      Send("POST", "/api/v1/session/password", a,
           boost::json::serialize(boost::json::object{
               {"current_password", kPassword}, {"new_password", "another long passphrase"}}));
  ASSERT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(Send("GET", "/api/v1/session", a).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/session", b).status, 401);
  EXPECT_EQ(Send("POST", "/api/v1/session", {}, Login("root@example.com", kPassword)).status, 401);
  SignIn("root@example.com", "another long passphrase");
}

TEST_F(SessionApiTest, LoginsSucceededAndFailedAreAudited) {
  auto root = AddAdmin("root@example.com", "super-admin");
  Send("POST", "/api/v1/session", {}, Login("root@example.com", "wrong password!!"));
  As as = SignIn("root@example.com");
  auto log = Send("GET", "/api/v1/audit-log", as);
  ASSERT_EQ(log.status, 200) << log.body;
  auto& items = log.json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("action"), "session.login");
  EXPECT_EQ(items[0].at("outcome"), "success");
  EXPECT_EQ(items[0].at("actor").at("id").as_string(), root.id);
  EXPECT_EQ(items[0].at("source_address"), "192.0.2.10");
  EXPECT_EQ(items[1].at("outcome"), "failure");
  EXPECT_EQ(log.body.find("wrong password"), std::string::npos);
}

}  // namespace
}  // namespace provisio::api
