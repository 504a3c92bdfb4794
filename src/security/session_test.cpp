#include "security/session.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/ids.h"
#include "security/session_throttle.h"

namespace provisio::security {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class SessionTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    store_ = std::move(store::OpenStore("sqlite://" + (dir_ / "p.db").string())).value();
    admin_.id = NewUuid();
    admin_.email = "root@example.com";
    admin_.role = "super-admin";
    admin_.password_hash = "$argon2id$unused";
    admin_.created = admin_.updated = clock_.Now();
    auto tx = store_->Begin();
    ASSERT_TRUE(store_->admins().Insert(**tx, admin_).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  NewSession Start() {
    auto tx = store_->Begin();
    auto s = StartSession(*store_, **tx, clock_, policy_, admin_.id, "10.0.0.1");
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE((*tx)->Commit().ok());
    return std::move(s).value();
  }
  fs::path dir_ = fs::temp_directory_path() / ("provisio-session-" + NewUuid());
  std::unique_ptr<store::Store> store_;
  FakeClock clock_{FromMicros(1'700'000'000'000'000)};
  SessionPolicy policy_;
  store::AdminRecord admin_;
};

TEST_F(SessionTest, StoresOnlyHashes) {
  auto s = Start();
  EXPECT_TRUE(s.session_id.starts_with("pss_"));
  EXPECT_NE(s.row.id_hash, s.session_id);
  EXPECT_FALSE(store_->sessions().FindByHash(s.session_id)->has_value());
  auto active = ResumeSession(*store_, clock_, policy_, s.session_id);
  ASSERT_TRUE(active.ok()) << active.error().ToString();
  EXPECT_EQ(active->admin.email, "root@example.com");
  EXPECT_TRUE(CsrfMatches(active->row, s.csrf_token));
  EXPECT_FALSE(CsrfMatches(active->row, s.csrf_token + "x"));
  EXPECT_FALSE(CsrfMatches(active->row, ""));
}

TEST_F(SessionTest, IdleExpiry) {
  auto s = Start();
  clock_.Advance(minutes(29));
  ASSERT_TRUE(ResumeSession(*store_, clock_, policy_, s.session_id).ok());  // touches
  clock_.Advance(minutes(29));
  ASSERT_TRUE(ResumeSession(*store_, clock_, policy_, s.session_id).ok());
  clock_.Advance(minutes(30));
  auto r = ResumeSession(*store_, clock_, policy_, s.session_id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kUnauthenticated);
  EXPECT_FALSE(store_->sessions().FindByHash(s.row.id_hash)->has_value());
}

TEST_F(SessionTest, AbsoluteExpiryEvenWhenActive) {
  auto s = Start();
  for (int i = 0; i < 24; ++i) {
    clock_.Advance(minutes(29));
    if (!ResumeSession(*store_, clock_, policy_, s.session_id).ok()) {
      EXPECT_GE(clock_.Now() - s.row.created, hours(12));
      return;
    }
  }
  clock_.Advance(minutes(29));
  EXPECT_FALSE(ResumeSession(*store_, clock_, policy_, s.session_id).ok());
}

TEST_F(SessionTest, AShortenedLifetimeAppliesToSessionsAlreadyOpen) {
  NewSession s = Start();  // expires 12 hours from now
  SessionPolicy shorter = policy_;
  shorter.absolute = hours(1);
  for (int i = 0; i < 3; ++i) {  // kept busy, so the 30-minute idle limit never trips
    clock_.Advance(minutes(19));
    ASSERT_TRUE(ResumeSession(*store_, clock_, shorter, s.session_id).ok()) << i;
  }
  clock_.Advance(minutes(3));  // 60 minutes after it began
  auto r = ResumeSession(*store_, clock_, shorter, s.session_id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kUnauthenticated);
}

TEST_F(SessionTest, DisabledAdminLosesTheSession) {
  auto s = Start();
  admin_.disabled = true;
  {
    auto tx = store_->Begin();  // a transaction holds the writer until destroyed
    ASSERT_TRUE(store_->admins().Update(**tx, admin_).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  EXPECT_FALSE(ResumeSession(*store_, clock_, policy_, s.session_id).ok());
}

TEST_F(SessionTest, UnknownAndMalformedIdsAreRefused) {
  EXPECT_FALSE(ResumeSession(*store_, clock_, policy_, "").ok());
  EXPECT_FALSE(ResumeSession(*store_, clock_, policy_, "pss_nope").ok());
  EXPECT_FALSE(ResumeSession(*store_, clock_, policy_, std::string(1000, 'a')).ok());
}

TEST(SessionCookieTest, Attributes) {
  auto c = SessionCookie("abc", false, hours(12));
  EXPECT_EQ(c, "provisio_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
  EXPECT_TRUE(SessionCookie("abc", true, hours(1)).ends_with("; Secure"));
  EXPECT_NE(ClearedSessionCookie(false).find("Max-Age=0"), std::string::npos);
}

TEST(LoginThrottleTest, LocksAnEmailAfterRepeatedFailuresThenReleases) {
  FakeClock clock(FromMicros(1'700'000'000'000'000));
  LoginThrottle t(clock);
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(t.Check("a@example.com", "1.1.1.1"));
    t.RecordFailure("a@example.com", "1.1.1.1");
  }
  EXPECT_FALSE(t.Check("a@example.com", "1.1.1.1"));
  t.RecordFailure("A@Example.com", "1.1.1.1");  // the same email, differently cased
  auto wait = t.Check("a@example.com", "2.2.2.2");
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, minutes(15));
  EXPECT_FALSE(t.Check("b@example.com", "1.1.1.1"));  // the address is not locked yet
  clock.Advance(minutes(14));
  EXPECT_EQ(*t.Check("a@example.com", "1.1.1.1"), minutes(1));
  clock.Advance(minutes(1));
  EXPECT_FALSE(t.Check("a@example.com", "1.1.1.1"));
}

TEST(LoginThrottleTest, FailuresOutsideTheWindowDoNotAccumulate) {
  FakeClock clock(FromMicros(1'700'000'000'000'000));
  LoginThrottle t(clock);
  for (int i = 0; i < 10; ++i) {
    t.RecordFailure("a@example.com", "1.1.1.1");
    t.RecordFailure("a@example.com", "1.1.1.1");
    clock.Advance(minutes(16));
  }
  EXPECT_FALSE(t.Check("a@example.com", "1.1.1.1"));
}

TEST(LoginThrottleTest, LocksASourceTryingManyEmails) {
  FakeClock clock(FromMicros(1'700'000'000'000'000));
  LoginThrottle t(clock);
  for (int i = 0; i < 20; ++i) t.RecordFailure("u" + std::to_string(i) + "@x.com", "6.6.6.6");
  EXPECT_TRUE(t.Check("fresh@x.com", "6.6.6.6"));
  EXPECT_FALSE(t.Check("fresh@x.com", "7.7.7.7"));
}

TEST(LoginThrottleTest, SuccessClearsTheEmailButNotTheAddress) {
  FakeClock clock(FromMicros(1'700'000'000'000'000));
  ThrottlePolicy p;
  p.max_failures_per_email = 3;
  p.max_failures_per_address = 4;
  LoginThrottle t(clock, p);
  t.RecordFailure("a@x.com", "1.1.1.1");
  t.RecordFailure("a@x.com", "1.1.1.1");
  t.RecordSuccess("a@x.com");
  t.RecordFailure("a@x.com", "1.1.1.1");
  EXPECT_FALSE(t.Check("a@x.com", "9.9.9.9"));
  t.RecordFailure("b@x.com", "1.1.1.1");  // the 4th from this address
  EXPECT_TRUE(t.Check("c@x.com", "1.1.1.1"));
}

TEST(LoginThrottleTest, MemoryStaysBounded) {
  FakeClock clock(FromMicros(1'700'000'000'000'000));
  ThrottlePolicy p;
  p.max_tracked_keys = 100;
  LoginThrottle t(clock, p);
  for (int i = 0; i < 1000; ++i) t.RecordFailure("u" + std::to_string(i), "a" + std::to_string(i));
  EXPECT_LE(t.TrackedKeys(), 101u);
}

}  // namespace
}  // namespace provisio::security
