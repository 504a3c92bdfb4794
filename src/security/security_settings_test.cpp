#include "security/security_settings.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/ids.h"

namespace provisio::security {
namespace {

namespace fs = std::filesystem;

class SecuritySettingsStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    store_ = std::move(store::OpenStore("sqlite://" + (dir_ / "p.db").string())).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void PutRaw(const std::string& value) {
    auto tx = store_->Begin();
    ASSERT_TRUE(store_->PutSetting(**tx, kSecuritySettingsKey, value).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  fs::path dir_ = fs::temp_directory_path() / ("provisio-settings-" + NewUuid());
  std::unique_ptr<store::Store> store_;
};

TEST_F(SecuritySettingsStoreTest, DefaultsUntilSavedThenWhatWasSaved) {
  EXPECT_EQ(*LoadSecuritySettings(*store_), SecuritySettings{});
  SecuritySettings s{600, 3600, 3, 300, 16};
  auto tx = store_->Begin();
  ASSERT_TRUE(SaveSecuritySettings(*store_, **tx, s).ok());
  ASSERT_TRUE((*tx)->Commit().ok());
  EXPECT_EQ(*LoadSecuritySettings(*store_), s);
}

TEST_F(SecuritySettingsStoreTest, SavingRefusesValuesOutOfRange) {
  SecuritySettings s;
  s.lockout_threshold = 0;
  auto tx = store_->Begin();
  auto st = SaveSecuritySettings(*store_, **tx, s);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().details().at("reason"), "out_of_range");
  EXPECT_EQ(st.error().details().at("field"), "lockout_threshold");
}

TEST_F(SecuritySettingsStoreTest, AHandEditedBadValueFallsBackToTheDefaults) {
  for (const std::string bad :
       {"not json", R"({"lockout_threshold":"5"})", R"({"min_password_length":1})", "[]"}) {
    PutRaw(bad);
    EXPECT_EQ(*LoadSecuritySettings(*store_), SecuritySettings{}) << bad;
  }
  PutRaw(R"({"lockout_threshold":7})");  // fields missing keep their defaults
  SecuritySettings expected;
  expected.lockout_threshold = 7;
  EXPECT_EQ(*LoadSecuritySettings(*store_), expected);
}

TEST(SecuritySettingsPolicyTest, PoliciesCarryTheSettings) {
  SecuritySettings s{600, 3600, 30, 120, 12};
  SessionPolicy session = SessionPolicyFor(s);
  EXPECT_EQ(session.idle, std::chrono::seconds(600));
  EXPECT_EQ(session.absolute, std::chrono::seconds(3600));
  EXPECT_EQ(session.touch_every, SessionPolicy{}.touch_every);
  ThrottlePolicy throttle = ThrottlePolicyFor(s);
  EXPECT_EQ(throttle.max_failures_per_email, 30);
  EXPECT_EQ(throttle.max_failures_per_address, 30);  // never below the per-email threshold
  EXPECT_EQ(throttle.lockout, std::chrono::seconds(120));
  EXPECT_EQ(ThrottlePolicyFor(SecuritySettings{}).max_failures_per_address, 20);
}

}  // namespace
}  // namespace provisio::security
