// GET/PUT /api/v1/security-settings: who may do what, strict input, the audit row, and the
// settings taking effect on sessions, lockout and passwords without a restart.
#include "security/security_settings.h"
#include "api/api_test_support.h"
#include "api/call.h"

namespace provisio::api {
namespace {

using std::chrono::seconds;

constexpr const char* kPath = "/api/v1/security-settings";

std::string Settings(int64_t idle, int64_t absolute, int64_t threshold, int64_t lockout,
                     int64_t min_password) {
  return boost::json::serialize(boost::json::object{
      {"session_idle_timeout_seconds", idle},
      {"session_absolute_lifetime_seconds", absolute},
      {"lockout_threshold", threshold},
      {"lockout_duration_seconds", lockout},
      {"min_password_length", min_password},
  });
}

class SecuritySettingsTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    AddAdmin("root@example.com", "super-admin");
    AddAdmin("admin@example.com", "admin");
    AddAdmin("operator@example.com", "operator");
    root_ = SignIn("root@example.com");
  }
  int64_t AuditCount() { return static_cast<int64_t>(store_->audit().Scan(0, 100000)->size()); }
  As root_;
};

TEST_F(SecuritySettingsTest, EveryRoleReadsTheDefaultsOnlySuperAdminChanges) {
  const boost::json::value defaults = boost::json::parse(Settings(1800, 43200, 5, 900, 12));
  for (const char* email : {"root@example.com", "admin@example.com", "operator@example.com"}) {
    auto r = Send("GET", kPath, SignIn(email));
    ASSERT_EQ(r.status, 200) << email << " " << r.body;
    EXPECT_EQ(r.json, defaults) << email;
  }
  EXPECT_EQ(Send("GET", kPath).status, 401);
  std::string body = Settings(600, 3600, 3, 300, 14);
  for (const char* email : {"admin@example.com", "operator@example.com"}) {
    auto r = Send("PUT", kPath, SignIn(email), body);
    EXPECT_EQ(r.status, 403) << email;
    EXPECT_EQ(r.Code(), "permission_denied");
  }
  EXPECT_EQ(Send("GET", kPath, root_).json, defaults);
}

TEST_F(SecuritySettingsTest, APutIsStoredAuditedWithBeforeAndAfterAndReadBack) {
  auto r = Send("PUT", kPath, root_, Settings(600, 3600, 3, 300, 14));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json, boost::json::parse(Settings(600, 3600, 3, 300, 14)));
  EXPECT_EQ(Send("GET", kPath, SignIn("operator@example.com")).json, r.json);
  auto stored = store_->GetSetting(security::kSecuritySettingsKey);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(boost::json::parse(**stored), r.json);
  auto rows = *store_->audit().Query({"", "portal", 0, 10});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].action, "security_settings.update");
  EXPECT_EQ(rows[0].object_type, "security_settings");
  EXPECT_EQ(boost::json::parse(*rows[0].before),
            boost::json::parse(Settings(1800, 43200, 5, 900, 12)));
  EXPECT_EQ(boost::json::parse(*rows[0].after), r.json);
}

TEST_F(SecuritySettingsTest, BadInputIsRefusedPreciselyAndChangesNothing) {
  const std::string good = Settings(600, 3600, 3, 300, 14);
  struct Case {
    std::string body;
    std::string code;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"[]", "invalid_type", ""},
      {"{", "invalid_json", ""},
      {good.substr(0, good.size() - 1) + R"(,"colour":1})", "unknown_field", "colour"},
      {R"({"session_idle_timeout_seconds":600})", "missing_field",
       "session_absolute_lifetime_seconds"},
      {Settings(59, 3600, 3, 300, 14), "out_of_range", "session_idle_timeout_seconds"},
      {Settings(600, 31 * 86400, 3, 300, 14), "out_of_range", "session_absolute_lifetime_seconds"},
      {Settings(600, 3600, 0, 300, 14), "out_of_range", "lockout_threshold"},
      {Settings(600, 3600, 101, 300, 14), "out_of_range", "lockout_threshold"},
      {Settings(600, 3600, 3, 86401, 14), "out_of_range", "lockout_duration_seconds"},
      {Settings(600, 3600, 3, 300, 7), "out_of_range", "min_password_length"},
      {Settings(600, 3600, 3, 300, 257), "out_of_range", "min_password_length"},
      {Settings(7200, 3600, 3, 300, 14), "idle_exceeds_lifetime", "session_idle_timeout_seconds"},
      {R"({"session_idle_timeout_seconds":"600","session_absolute_lifetime_seconds":3600,)"
       R"("lockout_threshold":3,"lockout_duration_seconds":300,"min_password_length":14})",
       "invalid_type", "session_idle_timeout_seconds"},
      {R"({"session_idle_timeout_seconds":600.5,"session_absolute_lifetime_seconds":3600,)"
       R"("lockout_threshold":3,"lockout_duration_seconds":300,"min_password_length":14})",
       "invalid_type", "session_idle_timeout_seconds"},
      {R"({"session_idle_timeout_seconds":18446744073709551615,)"
       R"("session_absolute_lifetime_seconds":3600,"lockout_threshold":3,)"
       R"("lockout_duration_seconds":300,"min_password_length":14})",
       "out_of_range", "session_idle_timeout_seconds"},
  };
  const int64_t audited = AuditCount();
  const auto before = Send("GET", kPath, root_).json;
  for (const Case& c : cases) {
    auto r = Send("PUT", kPath, root_, c.body);
    EXPECT_EQ(r.status, 400) << c.body << " -> " << r.body;
    EXPECT_EQ(r.Code(), c.code) << c.body << " -> " << r.body;
    if (!c.field.empty()) {
      EXPECT_EQ(r.json.at("error").at("details").at("field"), boost::json::value(c.field))
          << r.body;
    }
  }
  EXPECT_EQ(Send("GET", kPath, root_).json, before);
  EXPECT_EQ(AuditCount(), audited);
  auto stored = store_->GetSetting(security::kSecuritySettingsKey);
  EXPECT_FALSE(stored->has_value());
}

TEST_F(SecuritySettingsTest, IdleTimeoutAppliesWithoutARestart) {
  ASSERT_EQ(Send("PUT", kPath, root_, Settings(120, 600, 5, 900, 12)).status, 200);
  As idle = SignIn("operator@example.com");
  clock_.Advance(seconds(119));
  EXPECT_EQ(Send("GET", "/api/v1/session", idle).status, 200);
  clock_.Advance(seconds(121));
  EXPECT_EQ(Send("GET", "/api/v1/session", idle).Code(), "session_expired");
  // The sign-in answer and the cookie carry the new values.
  auto login =
      Send("POST", "/api/v1/session", {},
           R"({"email":"operator@example.com","password":")" + std::string(kPassword) + R"("})");
  EXPECT_EQ(login.json.at("idle_timeout_seconds"), 120);
  EXPECT_NE(login.Header("Set-Cookie").find("Max-Age=600"), std::string::npos);
}

TEST_F(SecuritySettingsTest, AShortenedLifetimeEndsSessionsAlreadyOpen) {
  As early = SignIn("admin@example.com");  // opened under the default 12 hours
  ASSERT_EQ(Send("PUT", kPath, root_, Settings(300, 600, 5, 900, 12)).status, 200);
  // Absolute: a session kept busy still ends ten minutes after it began, including one
  // opened before the lifetime was shortened.
  As busy = SignIn("root@example.com");
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(seconds(100));
    EXPECT_EQ(Send("GET", "/api/v1/session", busy).status, 200);
    EXPECT_EQ(Send("GET", "/api/v1/session", early).status, 200);
  }
  clock_.Advance(seconds(201));  // 601 s after both began
  EXPECT_EQ(Send("GET", "/api/v1/session", busy).Code(), "session_expired");
  EXPECT_EQ(Send("GET", "/api/v1/session", early).Code(), "session_expired");
}

TEST_F(SecuritySettingsTest, LockoutThresholdAndDurationApplyAtOnce) {
  ASSERT_EQ(Send("PUT", kPath, root_, Settings(1800, 43200, 2, 60, 12)).status, 200);
  const std::string wrong = R"({"email":"admin@example.com","password":"not the password!"})";
  EXPECT_EQ(Send("POST", "/api/v1/session", {}, wrong).status, 401);
  auto locked = Send("POST", "/api/v1/session", {}, wrong);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.Header("Retry-After"), "60");
  clock_.Advance(seconds(61));
  SignIn("admin@example.com");
}

TEST_F(SecuritySettingsTest, MinimumPasswordLengthAppliesToNewPasswords) {
  ASSERT_EQ(Send("PUT", kPath, root_, Settings(1800, 43200, 5, 900, 20)).status, 200);
  auto create = [&](const std::string& email, const std::string& password) {
    return Send("POST", "/api/v1/admins", root_,
                boost::json::serialize(boost::json::object{
                    {"email", email}, {"role", "operator"}, {"password", password}}));
  };
  auto short_one = create("a@example.com", "nineteen characters");
  EXPECT_EQ(short_one.Code(), "weak_password") << short_one.body;
  EXPECT_EQ(short_one.json.at("error").at("details").at("min_length"), 20) << short_one.body;
  EXPECT_EQ(create("a@example.com", "twenty characters!!!").status, 201);
  // Lowered to 8, a ten-character password is enough, for a change of one's own too.
  ASSERT_EQ(Send("PUT", kPath, root_, Settings(1800, 43200, 5, 900, 8)).status, 200);
  EXPECT_EQ(create("b@example.com", "ten chars!").status, 201);
  As op = SignIn("operator@example.com");
  auto changed = Send(
      "POST", "/api/v1/session/password", op,
      R"({"current_password":")" + std::string(kPassword) + R"(","new_password":"ten chars?"})");
  EXPECT_EQ(changed.status, 204) << changed.body;
}

TEST_F(SecuritySettingsTest, AChangeStoredByAnotherProcessArrivesWithoutARestart) {
  EXPECT_EQ(Send("GET", kPath, root_).json.at("lockout_threshold"), 5);
  security::SecuritySettings s;
  s.lockout_threshold = 9;
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(security::SaveSecuritySettings(*store_, **tx, s).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  clock_.Advance(ApiContext::kSettingsRefresh);
  EXPECT_EQ(Send("GET", kPath, root_).json.at("lockout_threshold"), 9);
}

}  // namespace
}  // namespace provisio::api
