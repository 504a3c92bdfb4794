#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <filesystem>

#include "apps/audit_checkpoint.h"
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

TEST(ConnectionsTest, PlainHttpOnlyToThisMachineAndOnlyForHttpsTypes) {
  // Emulators and test targets listen on loopback without TLS.
  EXPECT_TRUE(CheckUrl("base_url", "http://127.0.0.1:8081", {"https"}).ok());
  EXPECT_TRUE(CheckUrl("base_url", "http://localhost:8081/scim/v2", {"https"}).ok());
  EXPECT_TRUE(CheckUrl("base_url", "http://[::1]:8081", {"https"}).ok());
  EXPECT_TRUE(CheckUrl("base_url", "https://admin.googleapis.com", {"https"}).ok());
  for (std::string_view bad :
       {"http://admin.googleapis.com", "http://127.example.com", "http://127.0.0.1.example.com",
        "http://localhost.example.com", "http://[::1]x.example.com"}) {
    auto st = CheckUrl("base_url", bad, {"https"});
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().details().at(kReasonKey), "invalid_url") << bad;
  }
  EXPECT_FALSE(CheckUrl("base_url", "http://127.0.0.1:389", {"ldap", "ldaps"}).ok());
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
      ASSERT_TRUE(AppendAudit(*store_, **tx, clock_, key_, e).ok());
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
  void Truncate(int64_t from_id) {
    Tamper("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id >= " +
           std::to_string(from_id));
  }
  ChainCheck Verify() {
    auto check = VerifyAuditChain(*store_, key_);
    EXPECT_TRUE(check.ok()) << check.error().ToString();
    return check.ok() ? *check : ChainCheck{};
  }
  fs::path dir_ = fs::temp_directory_path() / ("provisio-audit-" + NewUuid());
  std::unique_ptr<store::Store> store_;
  FakeClock clock_{FromMicros(1'700'000'000'000'000)};
  security::SecretBox box_{security::MasterKey::Generate()};
  security::MacKey key_ = AuditCheckpointKey(box_);
};

TEST_F(AuditChainTest, IntactChainVerifiesAndSecretsAreRedacted) {
  Append(5);
  auto check = VerifyAuditChain(*store_, key_);
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
  auto check = VerifyAuditChain(*store_, key_);
  EXPECT_FALSE(check->ok);
  EXPECT_EQ(check->first_bad_id, 3);
}

TEST_F(AuditChainTest, ARemovedRowIsFound) {
  Append(5);
  Tamper("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2");
  auto check = VerifyAuditChain(*store_, key_);
  EXPECT_FALSE(check->ok);
  EXPECT_EQ(check->first_bad_id, 2);
}

TEST_F(AuditChainTest, TheCheckpointFollowsEveryAppend) {
  EXPECT_EQ(Verify().checkpoint, "none");
  Append(5);
  ChainCheck check = Verify();
  EXPECT_TRUE(check.ok);
  EXPECT_EQ(check.checkpoint, "ok");
  EXPECT_EQ(check.checkpoint_last_id, 5);
  EXPECT_EQ(check.checkpoint_since_id, 1);
  EXPECT_FALSE(check.truncated);
  // Several appends in one transaction (a forced delete audits each application it touches).
  auto tx = store_->Begin();
  for (int i = 0; i < 3; ++i) {
    AuditEntry e;
    e.actor_kind = "system";
    e.action = "thing.update";
    ASSERT_TRUE(AppendAudit(*store_, **tx, clock_, key_, e).ok());
  }
  ASSERT_TRUE((*tx)->Commit().ok());
  check = Verify();
  EXPECT_TRUE(check.ok) << boost::json::serialize(ChainCheckJson(check));
  EXPECT_EQ(check.checkpoint_last_id, 8);
}

TEST_F(AuditChainTest, DeletedTailRowsAreReportedAsTruncation) {
  Append(5);
  Truncate(4);  // the chain of rows 1-3 is still perfect
  ChainCheck check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_FALSE(check.first_bad_id.has_value());
  EXPECT_EQ(check.checkpoint, "truncated");
  EXPECT_TRUE(check.truncated);
  EXPECT_EQ(check.checkpoint_last_id, 5);
  EXPECT_EQ(check.last_id, 3);
  auto json = ChainCheckJson(check);
  EXPECT_EQ(json.at("truncation"),
            boost::json::parse(R"({"expected_last_id":5,"found_last_id":3})"));
}

TEST_F(AuditChainTest, TruncationStaysReportedAfterLaterAppends) {
  Append(5);
  Truncate(3);
  Append(4);  // ids 3..6 again, chained onto row 2: the chain alone looks perfect
  ChainCheck check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_FALSE(check.first_bad_id.has_value());
  EXPECT_EQ(check.checkpoint, "ok");
  EXPECT_TRUE(check.truncated);
  ASSERT_EQ(check.anomalies.size(), 1u);
  EXPECT_EQ(check.anomalies[0].at("kind"), "truncated");
  EXPECT_EQ(check.anomalies[0].at("expected_last_id"), 5);
  EXPECT_EQ(check.anomalies[0].at("found_last_id"), 2);
}

TEST_F(AuditChainTest, ACheckpointForgedWithoutTheMasterKeyIsFound) {
  Append(5);
  // The attacker truncates and writes a checkpoint naming row 3; without the master key the
  // MAC can only be a guess.
  auto rows = *store_->audit().Scan(0, 10);
  Truncate(4);
  Tamper("UPDATE settings SET value = '{\"v\":1,\"last_id\":3,\"last_hash\":\"" + rows[2].hash +
         "\",\"since_id\":1,\"anomalies\":[],\"mac\":\"" + std::string(64, 'a') +
         "\"}' WHERE key = 'audit.checkpoint'");
  ChainCheck check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.checkpoint, "forged");
  // Deleting the checkpoint instead leaves rows no checkpoint vouches for.
  Tamper("DELETE FROM settings WHERE key = 'audit.checkpoint'");
  check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.checkpoint, "missing");
}

TEST_F(AuditChainTest, RowsInsertedBehindTheCheckpointAreFound) {
  Append(3);
  auto rows = *store_->audit().Scan(0, 10);
  store::AuditRow forged = rows.back();
  forged.id = 4;
  forged.actor_name = "mallory";
  forged.prev_hash = rows.back().hash;
  forged.hash = AuditRowHash(forged);  // the chain is unkeyed: anyone can extend it
  Tamper(
      "INSERT INTO audit_log SELECT 4, at_us, actor_kind, actor_id, 'mallory', "
      "source_address, action, object_type, object_id, outcome, before_json, after_json, '" +
      forged.prev_hash + "', '" + forged.hash + "' FROM audit_log WHERE id = 3");
  ChainCheck check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_FALSE(check.first_bad_id.has_value()) << "the chain itself holds";
  EXPECT_EQ(check.checkpoint, "unsealed_rows");
}

TEST_F(AuditChainTest, AnAppendCanMoveTheCheckpointToANewKey) {
  Append(3);
  security::SecretBox next(security::MasterKey::Generate());
  security::MacKey next_key = AuditCheckpointKey(next);
  auto tx = store_->Begin();
  AuditEntry e;
  e.action = "master_key.rotate";
  ASSERT_TRUE(AppendAudit(*store_, **tx, clock_, next_key, e, &key_).ok());
  ASSERT_TRUE((*tx)->Commit().ok());
  auto check = VerifyAuditChain(*store_, next_key);
  EXPECT_EQ(check->checkpoint, "ok");
  EXPECT_TRUE(check->ok) << boost::json::serialize(ChainCheckJson(*check));
  EXPECT_EQ(Verify().checkpoint, "forged");
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
