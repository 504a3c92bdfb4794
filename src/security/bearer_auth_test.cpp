#include "security/bearer_auth.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/ids.h"
#include "security/token.h"

namespace provisio::security {
namespace {

namespace fs = std::filesystem;

class BearerAuthTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    store_ = std::move(store::OpenStore("sqlite://" + (dir_ / "p.db").string())).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  IssuedToken Add(std::string kind, std::string role) {
    IssuedToken t = IssueToken();
    store::TokenRow row{t.id, kind, "ci", role, t.hash, "admin-1", clock_.Now(), {}, {}};
    auto tx = store_->Begin();
    EXPECT_TRUE(store_->tokens().Insert(**tx, row).ok());
    EXPECT_TRUE((*tx)->Commit().ok());
    return t;
  }
  fs::path dir_ = fs::temp_directory_path() / ("provisio-bearer-" + NewUuid());
  std::unique_ptr<store::Store> store_;
  FakeClock clock_{FromMicros(1'700'000'000'000'000)};
};

TEST_F(BearerAuthTest, ResolvesApiAndScimTokens) {
  auto api = Add("api", "operator");
  auto scim = Add("scim", "");
  auto p = AuthenticateBearer(*store_, clock_, "Bearer " + api.secret);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->kind, Principal::Kind::kApiToken);
  EXPECT_EQ(p->role, "operator");
  EXPECT_EQ(p->admin_id, "admin-1");
  auto s = AuthenticateBearer(*store_, clock_, "bearer " + scim.secret);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->kind, Principal::Kind::kScimToken);
  EXPECT_EQ(s->role, kRoleScimClient);
  EXPECT_TRUE((*store_->tokens().Get(api.id))->last_used.has_value());
}

TEST_F(BearerAuthTest, RejectsMalformedUnknownAndRevoked) {
  auto t = Add("api", "admin");
  for (const std::string& h : std::vector<std::string>{"", "Bearer", "Bearer ", "Basic abc",
                                                       "Bearer pvs_unknown", t.secret}) {
    auto p = AuthenticateBearer(*store_, clock_, h);
    ASSERT_FALSE(p.ok()) << h;
    EXPECT_EQ(p.error().code(), Code::kUnauthenticated);
  }
  auto tx = store_->Begin();
  ASSERT_TRUE(store_->tokens().Revoke(**tx, t.id, clock_.Now()).ok());
  ASSERT_TRUE((*tx)->Commit().ok());
  auto p = AuthenticateBearer(*store_, clock_, "Bearer " + t.secret);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message(), "token revoked");
}

}  // namespace
}  // namespace provisio::security
