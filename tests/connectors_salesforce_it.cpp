// The Salesforce connector against `provisio-emulator salesforce` started as a child process:
// the shared connector conformance suite (through a SCIM-vocabulary adapter), once over the
// JWT bearer flow and once over client credentials, and Salesforce's own behaviours (profiles,
// roles, permission sets, paging, limits, validation).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "connectors/conformance/connector_conformance.h"
#include "connectors/error_class.h"
#include "connectors/registry.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/rsa_key.h"
#include "support/vocabulary_adapter.h"

namespace provisio::connectors {
namespace {

using boost::json::array;
using boost::json::object;

constexpr const char* kClientId = "3MVG9-it-consumer-key";
constexpr const char* kSecret = "it-S3CRET-consumer-secret";
constexpr const char* kAdmin = "integration@it.example";
constexpr const char* kSuffix = "@conformance.example";

http::Client& SharedHttp() {
  static http::Client client;
  return client;
}

const Clock& SharedClock() {
  static SystemClock clock;
  return clock;
}

const testing::RsaKeyPair& AppKey() {
  static const testing::RsaKeyPair k = testing::NewRsaKey();
  return k;
}

const testing::RsaKeyPair& OtherKey() {
  static const testing::RsaKeyPair k = testing::NewRsaKey();
  return k;
}

std::string PublicKeyFile() {
  static const std::string path = testing::WriteTempFile("sf-it", AppKey().public_pem).string();
  return path;
}

struct Emulator {
  std::shared_ptr<testing::ChildProcess> process;
  std::string url;
};

Emulator StartEmulator(const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv{(testing::BinDir() / "provisio-emulator").string(),
                                "salesforce",
                                "--listen",
                                "127.0.0.1:0",
                                "--client-id",
                                kClientId,
                                "--client-secret",
                                kSecret,
                                "--jwt-public-key",
                                PublicKeyFile(),
                                "--admin-username",
                                kAdmin};
  argv.insert(argv.end(), extra.begin(), extra.end());
  Emulator e;
  e.process = std::make_shared<testing::ChildProcess>(argv);
  e.url = e.process->WaitForLine("listening on ");
  return e;
}

enum class Flow { kJwt, kClientCredentials };

std::unique_ptr<Connector> OpenSalesforce(const std::string& url, Flow flow, bool bad,
                                          object settings = {}) {
  object auth;
  if (flow == Flow::kJwt) {
    auth = object{{"kind", "salesforce_jwt_bearer"},
                  {"login_url", url},
                  {"client_id", kClientId},
                  {"username", kAdmin},
                  {"private_key", bad ? OtherKey().private_pem : AppKey().private_pem}};
  } else {
    auth = object{{"kind", "oauth2_client_credentials"},
                  {"client_id", kClientId},
                  {"client_secret", bad ? "wrong" : kSecret}};
  }
  ConnectorConfig config{"salesforce", url, std::move(auth), std::move(settings)};
  auto c = OpenConnector(config, ConnectorEnv{SharedHttp(), SharedClock()});
  if (!c.ok()) {
    ADD_FAILURE() << c.error().ToString();
    return nullptr;
  }
  return std::move(c).value();
}

std::string Str(const object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
}

// ---- the conformance suite, through the SCIM-vocabulary adapter (support/) ----

// userName <-> Username (+ a domain: Salesforce wants an email form), name <-> FirstName /
// LastName, displayName <-> CommunityNickname, emails[0] <-> Email, title <-> Title,
// active <-> IsActive.
std::string Username(std::string_view user_name) { return std::string(user_name) + kSuffix; }
object ToSalesforce(const object& scim) {
  object s;
  if (scim.contains("userName")) s["Username"] = Username(Str(scim, "userName"));
  if (const auto* n = scim.if_contains("name"); n && n->is_object()) {
    if (const auto* g = n->as_object().if_contains("givenName")) s["FirstName"] = *g;
    if (const auto* f = n->as_object().if_contains("familyName")) s["LastName"] = *f;
  }
  if (const auto* d = scim.if_contains("displayName")) s["CommunityNickname"] = *d;
  if (const auto* e = scim.if_contains("emails"); e && e->is_array() && !e->as_array().empty())
    s["Email"] = e->as_array()[0].as_object().at("value");
  if (const auto* t = scim.if_contains("title")) s["Title"] = *t;
  if (const auto* a = scim.if_contains("active")) s["IsActive"] = *a;
  return s;
}
Account FromSalesforce(Account a) {
  const object& s = a.attributes;
  object scim;
  std::string username = Str(s, "Username");
  std::string lower = username;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  if (lower.ends_with(kSuffix)) username.resize(username.size() - std::strlen(kSuffix));
  scim["userName"] = username;
  scim["name"] = object{{"givenName", Str(s, "FirstName")}, {"familyName", Str(s, "LastName")}};
  if (!Str(s, "CommunityNickname").empty()) scim["displayName"] = Str(s, "CommunityNickname");
  if (!Str(s, "Email").empty())
    scim["emails"] = array{object{{"value", Str(s, "Email")}, {"primary", true}}};
  if (!Str(s, "Title").empty()) scim["title"] = Str(s, "Title");
  if (const auto* active = s.if_contains("IsActive"); active && active->is_bool())
    scim["active"] = *active;
  a.attributes = std::move(scim);
  return a;
}

testing::Vocabulary SalesforceVocabulary() {
  testing::Vocabulary v;
  v.to_target = ToSalesforce;
  v.from_target = FromSalesforce;
  v.user_name_attribute = "Username";
  v.user_name_to_target = [](std::string_view user_name) { return Username(user_name); };
  return v;
}

ConnectorUnderTest StartForConformance(const TargetOptions& o, Flow flow) {
  std::vector<std::string> extra;
  if (!o.faults.empty()) extra.insert(extra.end(), {"--faults", o.faults, "--seed", "7"});
  if (o.seed_users > 0) extra.insert(extra.end(), {"--seed-users", std::to_string(o.seed_users)});
  Emulator e = StartEmulator(extra);
  ConnectorUnderTest cut;
  if (e.url.empty()) return cut;
  auto sf = OpenSalesforce(e.url, flow, o.bad_credentials);
  if (sf == nullptr) return cut;
  cut.connector =
      std::make_unique<testing::VocabularyAdapter>(std::move(sf), SalesforceVocabulary());
  cut.target = e.process;
  return cut;
}

INSTANTIATE_TEST_SUITE_P(SalesforceEmulator, ConnectorConformance,
                         ::testing::Values(ConnectorTarget{"salesforce_jwt", true,
                                                           [](const TargetOptions& o) {
                                                             return StartForConformance(o,
                                                                                        Flow::kJwt);
                                                           }},
                                           ConnectorTarget{"salesforce_client_credentials", true,
                                                           [](const TargetOptions& o) {
                                                             return StartForConformance(
                                                                 o, Flow::kClientCredentials);
                                                           }}));

// ---- Salesforce's own behaviours ----

TEST(SalesforceIt, ProfilesRolesAndPermissionSetsAreGrantedAndRevoked) {
  Emulator e = StartEmulator();
  ASSERT_FALSE(e.url.empty());
  auto c = OpenSalesforce(e.url, Flow::kJwt, false);
  ASSERT_NE(c, nullptr);
  EntitlementConnector& ents = *c->entitlements();
  std::map<std::string, Entitlement> by_name;
  std::map<std::string, int> kinds;
  PageRequest page;
  do {
    auto p = ents.ListEntitlements(page);
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    for (auto& en : p->items) {
      ++kinds[en.kind];
      by_name[en.display_name] = en;
    }
    page.cursor = p->next_cursor;
  } while (!page.cursor.empty());
  EXPECT_EQ(kinds["profile"], 3);
  EXPECT_GE(kinds["role"], 4);
  EXPECT_EQ(kinds["permission_set"], 3);  // profile-owned sets are left out
  ASSERT_TRUE(by_name.contains("Read Only") && by_name.contains("Engineer") &&
              by_name.contains("API Enabled"));
  EXPECT_FALSE(Str(by_name["Engineer"].attributes, "ParentRoleId").empty());  // the hierarchy

  auto u = c->CreateUser(object{
      {"Username", "grace@it.example"}, {"LastName", "Hopper"}, {"Email", "grace@it.example"}});
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  for (const char* name : {"Read Only", "Engineer", "API Enabled", "API Enabled"}) {
    ASSERT_TRUE(ents.Grant(u->id, by_name[name]).ok()) << name;
  }
  auto got = c->GetUser(u->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(Str(got->attributes, "ProfileId"), by_name["Read Only"].id);
  EXPECT_EQ(Str(got->attributes, "UserRoleId"), by_name["Engineer"].id);
  EXPECT_EQ(Str(got->attributes, "Alias"), "grace");  // a default filled on create

  auto assignments = [&] {
    auto token = testing::Fetch("POST", e.url + "/services/oauth2/token",
                                {"Content-Type: application/x-www-form-urlencoded"},
                                std::string("grant_type=client_credentials&client_id=") +
                                    kClientId + "&client_secret=" + kSecret);
    std::string bearer(token.Json().at("access_token").as_string());
    auto r = testing::Fetch("GET",
                            e.url +
                                "/services/data/v60.0/query?q=SELECT+Id+FROM+"
                                "PermissionSetAssignment+WHERE+AssigneeId+%3D+%27" +
                                u->id + "%27",
                            {"Authorization: Bearer " + bearer});
    return r.Json().at("totalSize").as_int64();
  };
  EXPECT_EQ(assignments(), 1);
  ASSERT_TRUE(ents.Revoke(u->id, by_name["API Enabled"]).ok());
  ASSERT_TRUE(ents.Revoke(u->id, by_name["API Enabled"]).ok());  // absent: not an error
  EXPECT_EQ(assignments(), 0);
  ASSERT_TRUE(ents.Revoke(u->id, by_name["Sales Representative"]).ok());  // not this user's
  got = c->GetUser(u->id);
  EXPECT_EQ(Str(got->attributes, "UserRoleId"), by_name["Engineer"].id);
  ASSERT_TRUE(ents.Revoke(u->id, by_name["Engineer"]).ok());
  got = c->GetUser(u->id);
  EXPECT_TRUE(got->attributes.at("UserRoleId").is_null());
}

TEST(SalesforceIt, ValidationAndLimitsAreClassified) {
  Emulator e = StartEmulator({"--daily-api-limit", "6"});
  ASSERT_FALSE(e.url.empty());
  auto c =
      OpenSalesforce(e.url, Flow::kClientCredentials, false, object{{"limit_reserve_percent", 0}});
  ASSERT_NE(c, nullptr);
  auto missing = c->CreateUser(object{{"Username", "x@it.example"}, {"Email", "x@it.example"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(ClassOf(missing.error()), ErrorClass::kInvalid);
  EXPECT_NE(missing.error().message().find("REQUIRED_FIELD_MISSING"), std::string::npos);
  auto bad_name = c->CreateUser(object{{"Username", "not-an-email"},
                                       {"LastName", "X"},
                                       {"Email", "x@it.example"},
                                       {"Alias", "toolongalias"}});
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(ClassOf(bad_name.error()), ErrorClass::kInvalid);
  auto gone = c->GetUser("005000000000000");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(ClassOf(gone.error()), ErrorClass::kNotFound);
  Status last = Ok();
  for (int i = 0; i < 5 && last.ok(); ++i) last = c->Test();
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(ClassOf(last.error()), ErrorClass::kRateLimited) << last.error().ToString();
}

// sObject Collections as the emulator answers them: per-record SaveResults (failures with
// statusCode, classified per record through the connector), at most 200 records a call, and
// allOrNone rolling every record back.
TEST(SalesforceIt, CollectionsAnswerPerRecordWithinTheirLimits) {
  Emulator e = StartEmulator();
  ASSERT_FALSE(e.url.empty());
  auto c = OpenSalesforce(e.url, Flow::kClientCredentials, false);
  ASSERT_NE(c, nullptr);
  ASSERT_NE(c->batch(), nullptr);
  auto user = [](std::string name) {
    return object{{"Username", name + "@coll.example"},
                  {"LastName", "Coll"},
                  {"Email", name + "@coll.example"}};
  };
  object no_last_name = user("nolast");
  no_last_name.erase("LastName");
  std::vector<BatchWrite> writes{{BatchWrite::Kind::kCreate, "", {}, user("one")},
                                 {BatchWrite::Kind::kCreate, "", {}, no_last_name},
                                 {BatchWrite::Kind::kCreate, "", {}, user("two")}};
  auto results = c->batch()->ApplyBatch(writes);
  ASSERT_EQ(results.size(), 3u);
  ASSERT_TRUE(results[0].ok()) << results[0].error().ToString();
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(ClassOf(results[1].error()), ErrorClass::kInvalid);
  EXPECT_NE(results[1].error().message().find("REQUIRED_FIELD_MISSING"), std::string::npos);
  ASSERT_TRUE(results[2].ok());
  auto found = c->batch()->FindUsers(
      "Username",
      std::vector<std::string>{"ONE@coll.example", "two@coll.example", "nolast@coll.example"});
  ASSERT_EQ(found.size(), 3u);
  ASSERT_TRUE(found[0].ok() && found[0]->has_value());
  EXPECT_EQ((*found[0])->id, results[0]->id);
  ASSERT_TRUE(found[1].ok() && found[1]->has_value());
  EXPECT_EQ((*found[1])->id, results[2]->id);
  ASSERT_TRUE(found[2].ok());
  EXPECT_FALSE(found[2]->has_value());

  // The wire: a token, then more than 200 records, then allOrNone.
  auto token = testing::Fetch("POST", e.url + "/services/oauth2/token",
                              {"Content-Type: application/x-www-form-urlencoded"},
                              std::string("grant_type=client_credentials&client_id=") + kClientId +
                                  "&client_secret=" + kSecret);
  ASSERT_EQ(token.status, 200) << token.body;
  std::string bearer =
      "Authorization: Bearer " + std::string(token.Json().at("access_token").as_string());
  auto collection = [&](bool all_or_none, array records) {
    for (auto& r : records) r.as_object()["attributes"] = object{{"type", "User"}};
    return testing::Fetch("POST", e.url + "/services/data/v60.0/composite/sobjects",
                          {bearer, "Content-Type: application/json"},
                          boost::json::serialize(
                              object{{"allOrNone", all_or_none}, {"records", std::move(records)}}));
  };
  array many;
  for (int i = 0; i < 201; ++i) many.push_back(user("many" + std::to_string(i)));
  auto too_many = collection(false, many);
  EXPECT_EQ(too_many.status, 400) << too_many.body;
  EXPECT_NE(too_many.body.find("EXCEEDED_ID_LIMIT"), std::string::npos) << too_many.body;
  object profiled = user("three");
  profiled["Alias"] = "three";
  profiled["TimeZoneSidKey"] = "America/Los_Angeles";
  profiled["LocaleSidKey"] = "en_US";
  profiled["EmailEncodingKey"] = "UTF-8";
  profiled["LanguageLocaleKey"] = "en_US";
  profiled["ProfileId"] = (*found[0])->attributes.at("ProfileId");
  auto rolled_back = collection(true, array{profiled, user("one")});  // "one" exists
  ASSERT_EQ(rolled_back.status, 200) << rolled_back.body;
  auto saves = rolled_back.Json().as_array();
  ASSERT_EQ(saves.size(), 2u);
  EXPECT_EQ(saves[0].at("success"), false);
  EXPECT_EQ(saves[0].at("errors").at(0).at("statusCode"), "ALL_OR_NONE_OPERATION_ROLLED_BACK");
  EXPECT_EQ(saves[1].at("success"), false);
  auto three = c->FindUser("Username", "three@coll.example");
  ASSERT_TRUE(three.ok());
  EXPECT_FALSE(three->has_value()) << "allOrNone kept a record";
}

// Freezing: the emulator keeps one UserLogin per User (never inserted or deleted by clients,
// only IsFrozen writable), and the connector's deprovision setting freezes instead of or
// before deactivating; an account read back frozen and wanted active is unfrozen.
TEST(SalesforceIt, FreezeInsteadOfOrBeforeDeactivating) {
  Emulator e = StartEmulator();
  ASSERT_FALSE(e.url.empty());
  auto token = testing::Fetch("POST", e.url + "/services/oauth2/token",
                              {"Content-Type: application/x-www-form-urlencoded"},
                              std::string("grant_type=client_credentials&client_id=") + kClientId +
                                  "&client_secret=" + kSecret);
  ASSERT_EQ(token.status, 200) << token.body;
  std::string bearer =
      "Authorization: Bearer " + std::string(token.Json().at("access_token").as_string());
  const std::string api = e.url + "/services/data/v60.0";
  auto login_of = [&](const std::string& user_id) {
    auto r = testing::Fetch(
        "GET",
        api + "/query?q=SELECT+Id,IsFrozen,UserId+FROM+UserLogin+WHERE+UserId+%3D+%27" + user_id +
            "%27",
        {bearer});
    EXPECT_EQ(r.status, 200) << r.body;
    auto records = r.Json().at("records").as_array();
    EXPECT_EQ(records.size(), 1u) << r.body;
    return records.empty() ? object{} : records[0].as_object();
  };
  auto active = [&](Connector& c, const std::string& id) {
    auto u = c.GetUser(id);
    EXPECT_TRUE(u.ok());
    return u.ok() && u->attributes.at("IsActive").as_bool();
  };

  // The emulator: a UserLogin comes with every User; clients only flip IsFrozen.
  auto plain = OpenSalesforce(e.url, Flow::kClientCredentials, false);
  ASSERT_NE(plain, nullptr);
  auto first = plain->CreateUser(object{
      {"Username", "first@freeze.example"}, {"LastName", "F"}, {"Email", "first@freeze.example"}});
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  object login = login_of(first->id);
  ASSERT_EQ(login.at("IsFrozen"), false);
  std::string login_url = api + "/sobjects/UserLogin/" + std::string(login.at("Id").as_string());
  auto insert = testing::Fetch("POST", api + "/sobjects/UserLogin",
                               {bearer, "Content-Type: application/json"},
                               R"({"UserId":")" + first->id + R"(","IsFrozen":true})");
  EXPECT_EQ(insert.status, 405) << insert.body;
  auto readonly = testing::Fetch("PATCH", login_url, {bearer, "Content-Type: application/json"},
                                 R"({"UserId":"005000000000001AAA"})");
  EXPECT_EQ(readonly.status, 400) << readonly.body;
  EXPECT_NE(readonly.body.find("INVALID_FIELD_FOR_INSERT_UPDATE"), std::string::npos);
  auto not_bool = testing::Fetch("PATCH", login_url, {bearer, "Content-Type: application/json"},
                                 R"({"IsFrozen":"yes"})");
  EXPECT_EQ(not_bool.status, 400) << not_bool.body;
  EXPECT_EQ(login_of(first->id).at("IsFrozen"), false);
  // The default stays deactivation alone.
  ASSERT_TRUE(plain->DisableUser(first->id).ok());
  EXPECT_FALSE(active(*plain, first->id));
  EXPECT_EQ(login_of(first->id).at("IsFrozen"), false);

  // "freeze": frozen, still active (the licence is kept); back in scope: unfrozen.
  auto freezer =
      OpenSalesforce(e.url, Flow::kClientCredentials, false, object{{"deprovision", "freeze"}});
  ASSERT_NE(freezer, nullptr);
  auto second = freezer->CreateUser(object{{"Username", "second@freeze.example"},
                                           {"LastName", "S"},
                                           {"Email", "second@freeze.example"}});
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  ASSERT_TRUE(freezer->DeleteUser(second->id).ok());
  EXPECT_EQ(login_of(second->id).at("IsFrozen"), true);
  EXPECT_TRUE(active(*freezer, second->id));
  ASSERT_TRUE(freezer->DisableUser(second->id).ok());  // again: nothing more to do
  auto reading = freezer->GetUser(second->id);
  ASSERT_TRUE(reading.ok());
  EXPECT_EQ(reading->attributes.at("IsFrozen"), true);
  object wanted = reading->attributes;
  wanted.erase("IsFrozen");
  wanted["Title"] = "Back";
  auto back = freezer->PatchUser(second->id, reading->attributes, wanted);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(login_of(second->id).at("IsFrozen"), false);

  // "freeze_and_deactivate": both.
  auto both = OpenSalesforce(e.url, Flow::kClientCredentials, false,
                             object{{"deprovision", "freeze_and_deactivate"}});
  ASSERT_NE(both, nullptr);
  ASSERT_TRUE(both->DisableUser(second->id).ok());
  EXPECT_EQ(login_of(second->id).at("IsFrozen"), true);
  EXPECT_FALSE(active(*both, second->id));

  // A bad value is refused when the connection is opened.
  ConnectorConfig bad{"salesforce", e.url,
                      object{{"kind", "oauth2_client_credentials"},
                             {"client_id", kClientId},
                             {"client_secret", kSecret}},
                      object{{"deprovision", "delete"}}};
  auto refused = OpenConnector(bad, ConnectorEnv{SharedHttp(), SharedClock()});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("settings.deprovision"), std::string::npos);
}

}  // namespace
}  // namespace provisio::connectors
