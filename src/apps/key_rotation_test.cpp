// Master key rotation over a real SQLite store: every secret moves to the new key in one
// transaction, or none does.
#include "apps/key_rotation.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <filesystem>

#include "apps/audit_checkpoint.h"
#include "apps/audit_log.h"
#include "apps/connections.h"
#include "core/ids.h"

namespace provisio::apps {
namespace {

namespace fs = std::filesystem;

class KeyRotationTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    store_ = std::move(store::OpenStore("sqlite://" + (dir_ / "p.db").string())).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  // A bearer-token connection named `name` whose token is "secret-<name>", sealed under `box`.
  store::ConnectionRow AddConnection(const std::string& name, const security::SecretBox& box) {
    auto body = *Input::Parse(R"({"name":")" + name +
                              R"(","type":"scim2","base_url":"https://x.example",)"
                              R"("auth":{"kind":"bearer","token":"secret-)" +
                              name + R"("}})");
    auto c = NewConnection(body, box, clock_.Now());
    EXPECT_TRUE(c.ok()) << c.error().ToString();
    Insert(*c);
    return *c;
  }
  void Insert(const store::ConnectionRow& c) {
    auto tx = store_->Begin();
    ASSERT_TRUE(store_->connections().Insert(**tx, c).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  void Audit(const security::SecretBox& box) {
    auto tx = store_->Begin();
    AuditEntry e;
    e.action = "connection.create";
    ASSERT_TRUE(AppendAudit(*store_, **tx, clock_, AuditCheckpointKey(box), e).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  std::string Token(const std::string& id, const security::SecretBox& box) {
    auto c = *store_->connections().Get(nullptr, id);
    auto secrets = OpenSecrets(*c, box);
    return secrets.ok() ? secrets->at("token") : "<" + secrets.error().message() + ">";
  }

  fs::path dir_ = fs::temp_directory_path() / ("provisio-rotate-" + NewUuid());
  std::unique_ptr<store::Store> store_;
  FakeClock clock_{FromMicros(1'700'000'000'000'000)};
  security::SecretBox old_{security::MasterKey::Generate()};
  security::SecretBox new_{security::MasterKey::Generate()};
};

TEST_F(KeyRotationTest, EverySecretMovesToTheNewKeyAndTheAuditLogFollows) {
  auto a = AddConnection("a", old_);
  auto b = AddConnection("b", old_);
  store::ConnectionRow empty = a;  // a connection without secrets is left as it is
  empty.id = NewUuid();
  empty.name = "no secrets";
  empty.secrets = "";
  Insert(empty);
  Audit(old_);
  Audit(old_);
  auto report = ReencryptAllSecrets(*store_, clock_, old_, new_);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->connections, 3);
  EXPECT_EQ(report->reencrypted, 2);
  for (const auto& c : {a, b}) {
    EXPECT_EQ(Token(c.id, new_), "secret-" + c.name);
    EXPECT_NE(Token(c.id, old_), "secret-" + c.name) << "the old key must no longer open it";
  }
  EXPECT_EQ(store_->connections().Get(nullptr, empty.id)->value().secrets, "");
  EXPECT_TRUE(*StoreOpensWith(*store_, new_));
  EXPECT_FALSE(*StoreOpensWith(*store_, old_));
  // The rotation is audited, and the checkpoint is now sealed under the new key.
  auto check = VerifyAuditChain(*store_, AuditCheckpointKey(new_));
  EXPECT_TRUE(check->ok) << boost::json::serialize(ChainCheckJson(*check));
  auto rows = *store_->audit().Query({});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].action, "master_key.rotate");
  EXPECT_EQ(rows[0].actor_kind, "system");
  EXPECT_EQ(rows[0].after->find("secret-"), std::string::npos);
  EXPECT_EQ(VerifyAuditChain(*store_, AuditCheckpointKey(old_))->checkpoint, "forged");
}

TEST_F(KeyRotationTest, ASecretThatDoesNotOpenStopsEverythingAndChangesNothing) {
  auto a = AddConnection("a", old_);
  // "b" comes after "a": its secret is sealed for another connection id, so it cannot open.
  store::ConnectionRow b = a;
  b.id = NewUuid();
  b.name = "b";
  b.secrets = *old_.Seal(R"({"token":"secret-b"})", "another-connection");
  Insert(b);
  auto c = AddConnection("c", old_);
  Audit(old_);
  auto before = *store_->connections().List(nullptr);

  auto report = ReencryptAllSecrets(*store_, clock_, old_, new_);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message().find(b.id), std::string::npos);
  EXPECT_NE(report.error().message().find("nothing was changed"), std::string::npos);
  EXPECT_EQ(report.error().message().find("secret-"), std::string::npos);
  // "a" had been re-encrypted inside the transaction; it was rolled back with the rest.
  auto after = *store_->connections().List(nullptr);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i].secrets, before[i].secrets);
  EXPECT_EQ(Token(a.id, old_), "secret-a");
  EXPECT_EQ(Token(c.id, old_), "secret-c");
  EXPECT_EQ(store_->audit().Query({})->size(), 1u);
  EXPECT_TRUE(VerifyAuditChain(*store_, AuditCheckpointKey(old_))->ok);
}

}  // namespace
}  // namespace provisio::apps
