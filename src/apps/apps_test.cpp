#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <filesystem>

#include "apps/audit_log.h"
#include "apps/auth_kinds.h"
#include "apps/catalog.h"
#include "apps/connections.h"
#include "apps/input.h"
#include "core/ids.h"

namespace provisio::apps {
namespace {

namespace fs = std::filesystem;

TEST(CatalogTest, HasTheFourTemplatesWithKnownAuthKindsAndMappings) {
  for (std::string_view id : {"scim2", "salesforce", "google-workspace", "ldap"}) {
    const Template* t = FindTemplate(id);
    ASSERT_NE(t, nullptr) << id;
    EXPECT_FALSE(t->auth_kinds.empty());
    for (auto k : t->auth_kinds) EXPECT_NE(FindAuthKind(k), nullptr) << id << " " << k;
    EXPECT_FALSE(t->default_mappings.empty());
    EXPECT_FALSE(t->default_matching_attribute.empty());
    auto json = TemplateJson(*t);
    EXPECT_EQ(json.at("connection").at("type").as_string(), id);
  }
  EXPECT_EQ(FindTemplate("workday"), nullptr);
  EXPECT_EQ(Catalog().size(), 4u);
}

TEST(InputTest, PreciseCodes) {
  auto code = [](const Error& e) { return std::string(e.details().at(kReasonKey).as_string()); };
  EXPECT_EQ(code(Input::Parse("{").error()), "invalid_json");
  EXPECT_EQ(code(Input::Parse("3").error()), "invalid_type");
  auto in = *Input::Parse(R"({"a":"x","n":1,"e":"","l":["a","a"],"c":"a\u0001"})");
  EXPECT_EQ(code(in.AllowOnly({"a"}).error()), "unknown_field");
  EXPECT_EQ(code(in.String("missing", 10).error()), "missing_field");
  EXPECT_EQ(code(in.String("n", 10).error()), "invalid_type");
  EXPECT_EQ(code(in.String("e", 10).error()), "empty_value");
  EXPECT_EQ(code(in.String("a", 0).error()), "value_too_long");
  EXPECT_EQ(code(in.String("c", 10).error()), "invalid_value");
  EXPECT_EQ(code(in.OptStringList("l", 5, 5).error()), "duplicate_value");
  EXPECT_EQ(code(in.OptStringList("l", 1, 5).error()), "too_many_items");
  EXPECT_EQ(*in.String("a", 1), "x");
  EXPECT_EQ(in.String("e", 10, true).value(), "");
}

TEST(ConnectionsTest, SecretsAreBoundToTheConnectionId) {
  security::SecretBox box(security::MasterKey::Generate());
  auto body = *Input::Parse(R"({"name":"c","type":"scim2","base_url":"https://x.example",
      "auth":{"kind":"api_key","header":"X-Api-Key","value":"v-secret"}})");
  auto c = NewConnection(body, box, FromMicros(1));
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(OpenSecrets(*c, box)->at("value"), "v-secret");
  auto json = boost::json::serialize(ConnectionJson(*c));
  EXPECT_EQ(json.find("v-secret"), std::string::npos);
  EXPECT_NE(json.find(R"("header":"X-Api-Key")"), std::string::npos);
  auto moved = *c;
  moved.id = NewUuid();  // sealed secrets copied to another row do not open there
  EXPECT_FALSE(OpenSecrets(moved, box).ok());
  security::SecretBox other(security::MasterKey::Generate());
  EXPECT_FALSE(OpenSecrets(*c, other).ok());
}

TEST(ConnectionsTest, LdapNeedsBaseDnAndLdapScheme) {
  security::SecretBox box(security::MasterKey::Generate());
  auto ok =
      NewConnection(*Input::Parse(R"j({"name":"dir","type":"ldap","base_url":"ldap://127.0.0.1:389",
      "auth":{"kind":"basic","username":"cn=admin,dc=x","password":"p"},
      "settings":{"base_dn":"dc=x","user_filter":"(objectClass=person)"}})j"),
                    box, FromMicros(1));
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ConnectionJson(*ok).at("settings").at("base_dn"), "dc=x");
  auto https = NewConnection(*Input::Parse(R"({"name":"dir","type":"ldap","base_url":"https://x",
      "auth":{"kind":"basic","username":"u","password":"p"},"settings":{"base_dn":"dc=x"}})"),
                             box, FromMicros(1));
  EXPECT_EQ(https.error().details().at(kReasonKey), "invalid_url");
}

class AuditChainTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    store_ = std::move(store::OpenStore("sqlite://" + (dir_ / "p.db").string())).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void Append(int n) {
    for (int i = 0; i < n; ++i) {
      auto tx = store_->Begin();
      AuditEntry e{"session",
                   "a1",
                   "root@example.com",
                   "127.0.0.1",
                   "thing.update",
                   "thing",
                   "t" + std::to_string(i),
                   "success",
                   boost::json::object{{"password", "hunter2"}},
                   boost::json::object{{"n", i}}};
      ASSERT_TRUE(AppendAudit(*store_, **tx, clock_, e).ok());
      ASSERT_TRUE((*tx)->Commit().ok());
      clock_.Advance(std::chrono::seconds(1));
    }
  }
  void Tamper(const std::string& sql) {
    store_.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "p.db").c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
    sqlite3_close(db);
    store_ = std::move(store::OpenStore("sqlite://" + (dir_ / "p.db").string())).value();
  }
  fs::path dir_ = fs::temp_directory_path() / ("provisio-audit-" + NewUuid());
  std::unique_ptr<store::Store> store_;
  FakeClock clock_{FromMicros(1'700'000'000'000'000)};
};

TEST_F(AuditChainTest, IntactChainVerifiesAndSecretsAreRedacted) {
  Append(5);
  auto check = VerifyAuditChain(*store_);
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok);
  EXPECT_EQ(check->checked, 5);
  auto rows = *store_->audit().Scan(0, 10);
  EXPECT_EQ(rows[0].before->find("hunter2"), std::string::npos);
  EXPECT_EQ(rows[1].prev_hash, rows[0].hash);
}

TEST_F(AuditChainTest, AnEditedRowIsFound) {
  Append(5);
  Tamper(
      "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor_name = 'mallory' WHERE id = 3");
  auto check = VerifyAuditChain(*store_);
  EXPECT_FALSE(check->ok);
  EXPECT_EQ(check->first_bad_id, 3);
}

TEST_F(AuditChainTest, ARemovedRowIsFound) {
  Append(5);
  Tamper("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2");
  auto check = VerifyAuditChain(*store_);
  EXPECT_FALSE(check->ok);
  EXPECT_EQ(check->first_bad_id, 2);
}

TEST_F(AuditChainTest, TheTableRefusesEditsWhileTriggersStand) {
  Append(1);
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "p.db").c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET actor_name = 'x'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace
}  // namespace provisio::apps
