#include "directory/admin_accounts.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/ids.h"
#include "security/password.h"

namespace provisio::directory {
namespace {

namespace fs = std::filesystem;

class AdminAccountsTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    auto s = store::OpenStore("sqlite://" + (dir_ / "p.db").string());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  fs::path dir_ = fs::temp_directory_path() / ("provisio-admins-" + NewUuid());
  std::unique_ptr<store::Store> store_;
  FakeClock clock_{FromMicros(1'700'000'000'000'000)};
  security::PasswordParams fast_ = security::PasswordParams::Minimal();
};

TEST_F(AdminAccountsTest, CreatesWithAHashNotThePassword) {
  auto a = CreateAdmin(*store_, clock_,
                       {"root@example.com", "super-admin", "correct horse battery"}, fast_);
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  EXPECT_NE(a->password_hash.find("$argon2id$"), std::string::npos);
  EXPECT_EQ(a->password_hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(security::VerifyPassword(a->password_hash, "correct horse battery"));
  EXPECT_EQ(a->created, clock_.Now());
}

TEST_F(AdminAccountsTest, RejectsBadInputAndWritesNothing) {
  struct Case {
    NewAdmin in;
    std::string field;
  };
  for (const auto& c : std::vector<Case>{
           {{"not-an-email", "admin", "long enough password"}, "email"},
           {{"a@example.com", "root", "long enough password"}, "role"},
           {{"a@example.com", "admin", "short"}, "password"},
       }) {
    auto r = CreateAdmin(*store_, clock_, c.in, fast_);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.error().code(), Code::kInvalidArgument) << c.field;
  }
  EXPECT_EQ(*store_->admins().Count(), 0);
}

TEST_F(AdminAccountsTest, DuplicateEmailIsUniqueness) {
  ASSERT_TRUE(
      CreateAdmin(*store_, clock_, {"a@example.com", "admin", "long enough password"}, fast_).ok());
  auto r =
      CreateAdmin(*store_, clock_, {"A@EXAMPLE.com", "operator", "long enough password"}, fast_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kUniqueness);
}

TEST_F(AdminAccountsTest, BootstrapOnlyWhenEmpty) {
  auto first =
      BootstrapSuperAdmin(*store_, clock_, "boss@example.com", "long enough password", fast_);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  auto second =
      BootstrapSuperAdmin(*store_, clock_, "other@example.com", "long enough password", fast_);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  auto boss = store_->admins().FindByEmail("boss@example.com");
  EXPECT_EQ((*boss)->role, "super-admin");
}

TEST(EmailTest, Plausibility) {
  EXPECT_TRUE(IsPlausibleEmail("first.last+tag@sub.example.co"));
  EXPECT_FALSE(IsPlausibleEmail("@example.com"));
  EXPECT_FALSE(IsPlausibleEmail("a@@example.com"));
  EXPECT_FALSE(IsPlausibleEmail("a@example"));
  EXPECT_FALSE(IsPlausibleEmail("a b@example.com"));
  EXPECT_FALSE(IsPlausibleEmail("a@.example.com"));
}

}  // namespace
}  // namespace provisio::directory
