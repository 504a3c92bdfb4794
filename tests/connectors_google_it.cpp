// The Google Workspace connector against `provisio-emulator google` started as a child
// process: the shared connector conformance suite (through a thin SCIM-vocabulary adapter,
// since the suite speaks SCIM attribute names and Google has its own), then Google's own
// behaviours: the JWT bearer grant checked by the emulator with a key made in the test,
// delegation to a non-admin, quotas and rate limits, org units, admin roles, member roles.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>
#include <set>

#include "connectors/action.h"
#include "connectors/conformance/connector_conformance.h"
#include "connectors/error_class.h"
#include "connectors/google/google_connector.h"
#include "connectors/registry.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/rsa_key.h"
#include "support/vocabulary_adapter.h"

namespace provisio::connectors {
namespace {

using boost::json::array;
using boost::json::object;

constexpr const char* kDomain = "example.com";
constexpr const char* kAdmin = "admin@example.com";
constexpr const char* kClientEmail = "provisio@it-project.iam.gserviceaccount.com";

http::Client& SharedHttp() {
  static http::Client client;
  return client;
}

const Clock& SharedClock() {
  static SystemClock clock;
  return clock;
}

using RsaKey = testing::RsaKeyPair;

const RsaKey& ServiceAccountKey() {
  static const RsaKey key = testing::NewRsaKey();
  return key;
}

const RsaKey& OtherKey() {
  static const RsaKey key = testing::NewRsaKey();
  return key;
}

std::string KeyJson(const std::string& token_uri, const RsaKey& key) {
  return boost::json::serialize(object{{"type", "service_account"},
                                       {"project_id", "it-project"},
                                       {"private_key_id", "it-kid"},
                                       {"private_key", key.private_pem},
                                       {"client_email", kClientEmail},
                                       {"client_id", "1000000000001"},
                                       {"token_uri", token_uri}});
}

// An RS256 JWT signed here with OpenSSL, independently of the connector's code.
std::string SignJwt(const object& claims, const RsaKey& key) {
  return testing::SignRs256Jwt(boost::json::serialize(claims), key.private_pem);
}

object Claims(const std::string& base, int64_t lifetime = 3600) {
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  return object{{"iss", kClientEmail},
                {"sub", kAdmin},
                {"scope",
                 "https://www.googleapis.com/auth/admin.directory.user "
                 "https://www.googleapis.com/auth/admin.directory.group"},
                {"aud", base + "/token"},
                {"iat", now},
                {"exp", now + lifetime}};
}

testing::HttpResponse ExchangeAssertion(const std::string& base, const std::string& jwt) {
  return testing::Fetch("POST", base + "/token",
                        {"Content-Type: application/x-www-form-urlencoded"},
                        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                        "&assertion=" +
                            jwt);
}

struct Emulator {
  std::shared_ptr<testing::ChildProcess> process;
  std::string url;  // "" when it did not start
};

Emulator StartEmulator(const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv{(testing::BinDir() / "provisio-emulator").string(),
                                "google",
                                "--listen",
                                "127.0.0.1:0",
                                "--domain",
                                kDomain,
                                "--service-account-public-key",
                                ServiceAccountKey().public_pem};
  argv.insert(argv.end(), extra.begin(), extra.end());
  Emulator e;
  e.process = std::make_shared<testing::ChildProcess>(argv);
  e.url = e.process->WaitForLine("listening on ");
  return e;
}

std::unique_ptr<Connector> OpenGoogle(const std::string& url, const RsaKey& key,
                                      const std::string& admin = kAdmin, object settings = {}) {
  object auth{{"kind", "google_service_account"},
              {"service_account_json", KeyJson(url + "/token", key)},
              {"admin_email", admin},
              {"customer_id", "my_customer"}};
  auto c = OpenConnector({"google-workspace", url, auth, std::move(settings)},
                         ConnectorEnv{SharedHttp(), SharedClock()});
  return c.ok() ? std::move(c).value() : nullptr;
}

// Member ids of a group, read with plain HTTP and a token the test mints itself.
Result<std::vector<std::string>> ReadMembers(const std::string& base, const std::string& group) {
  auto token = ExchangeAssertion(base, SignJwt(Claims(base), ServiceAccountKey()));
  if (token.status != 200) return Error::Internal("token: " + token.body);
  std::string bearer(token.Json().at("access_token").as_string());
  auto r = testing::Fetch("GET", base + "/admin/directory/v1/groups/" + group + "/members",
                          {"Authorization: Bearer " + bearer});
  if (r.status != 200) return Error::Internal("GET members: " + std::to_string(r.status));
  std::vector<std::string> out;
  auto body = r.Json();
  if (const auto* m = body.as_object().if_contains("members"); m != nullptr && m->is_array()) {
    for (const auto& v : m->as_array()) out.emplace_back(v.at("id").as_string());
  }
  return out;
}

// ---- the conformance suite, through a SCIM-vocabulary adapter ----

std::string Str(const object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
}

// userName <-> primaryEmail (local part @ the domain), name, displayName <-> name.displayName,
// title <-> organizations[0].title, active <-> !suspended; groups: displayName <-> name.
// The Google form read last rides along under "_google" so PatchUser diffs against it.
std::string Email(std::string_view user_name);

object ToGoogleUser(const object& scim) {
  object g;
  if (auto u = Str(scim, "userName"); !u.empty()) g["primaryEmail"] = Email(u);
  if (const auto* n = scim.if_contains("name"); n && n->is_object()) g["name"] = n->as_object();
  if (scim.contains("displayName")) {
    if (!g.contains("name")) g["name"] = object{};
    g["name"].as_object()["displayName"] = scim.at("displayName");
  }
  if (scim.contains("title"))
    g["organizations"] = array{object{{"title", scim.at("title")}, {"primary", true}}};
  if (const auto* a = scim.if_contains("active"); a && a->is_bool()) g["suspended"] = !a->as_bool();
  return g;
}
Account FromGoogleUser(Account a) {
  const object& g = a.attributes;
  object s;
  std::string email = Str(g, "primaryEmail");
  s["userName"] = email.substr(0, email.find('@'));
  if (const auto* n = g.if_contains("name"); n && n->is_object()) {
    s["name"] = object{{"givenName", Str(n->as_object(), "givenName")},
                       {"familyName", Str(n->as_object(), "familyName")}};
    if (n->as_object().contains("displayName")) s["displayName"] = n->as_object().at("displayName");
  }
  if (const auto* o = g.if_contains("organizations");
      o && o->is_array() && !o->as_array().empty()) {
    s["title"] = o->as_array().front().as_object().at("title");
  }
  s["active"] = !(g.contains("suspended") && g.at("suspended").as_bool());
  s["_google"] = g;
  a.attributes = std::move(s);
  return a;
}
std::string Email(std::string_view user_name) {
  return user_name.find('@') == std::string_view::npos ? std::string(user_name) + "@" + kDomain
                                                       : std::string(user_name);
}
object GoogleOf(const object& scim) {
  if (const auto* g = scim.if_contains("_google"); g && g->is_object()) return g->as_object();
  return ToGoogleUser(scim);
}

testing::Vocabulary GoogleVocabulary() {
  testing::Vocabulary v;
  v.to_target = ToGoogleUser;
  v.current_to_target = GoogleOf;
  v.from_target = FromGoogleUser;
  v.user_name_attribute = "primaryEmail";
  v.user_name_to_target = [](std::string_view user_name) { return Email(user_name); };
  v.group_to_target = [](const object& d) {
    std::string name = Str(d, "displayName");
    std::string local;
    for (char c : name)
      local.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return object{{"email", local + "@" + kDomain}, {"name", name}};
  };
  v.display_name_attribute = "name";
  return v;
}

ConnectorUnderTest StartForConformance(const TargetOptions& o) {
  std::vector<std::string> extra;
  if (!o.faults.empty()) extra.insert(extra.end(), {"--faults", o.faults, "--seed", "7"});
  if (o.seed_users > 0) extra.insert(extra.end(), {"--seed-users", std::to_string(o.seed_users)});
  Emulator e = StartEmulator(extra);
  ConnectorUnderTest cut;
  if (e.url.empty()) return cut;
  auto google = OpenGoogle(e.url, o.bad_credentials ? OtherKey() : ServiceAccountKey());
  if (google == nullptr) return cut;
  cut.connector =
      std::make_unique<testing::VocabularyAdapter>(std::move(google), GoogleVocabulary());
  cut.target = e.process;
  std::string base = e.url;
  cut.members = [base](const std::string& group) { return ReadMembers(base, group); };
  return cut;
}

INSTANTIATE_TEST_SUITE_P(GoogleEmulator, ConnectorConformance,
                         ::testing::Values(ConnectorTarget{"google_emulator", true,
                                                           StartForConformance}));

// ---- Google's own behaviours ----

class GoogleIt : public ::testing::Test {
 protected:
  void Start(const std::vector<std::string>& extra = {}, object settings = {}) {
    emulator_ = StartEmulator(extra);
    ASSERT_FALSE(emulator_.url.empty());
    connector_ = OpenGoogle(emulator_.url, ServiceAccountKey(), kAdmin, std::move(settings));
    ASSERT_NE(connector_, nullptr);
  }
  object User(const std::string& local, std::string_view ou = "/") {
    return object{{"primaryEmail", local + "@" + kDomain},
                  {"name", object{{"givenName", "Grace"}, {"familyName", "Hopper"}}},
                  {"suspended", false},
                  {"externalIds", array{object{{"value", "X-" + local}, {"type", "organization"}}}},
                  {"orgUnitPath", ou}};
  }
  Emulator emulator_;
  std::unique_ptr<Connector> connector_;
};

TEST_F(GoogleIt, TheEmulatorChecksTheAssertionItself) {
  Start();
  const std::string& base = emulator_.url;
  auto good = ExchangeAssertion(base, SignJwt(Claims(base), ServiceAccountKey()));
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(good.Json().at("token_type"), "Bearer");
  EXPECT_EQ(good.Json().at("expires_in"), 3600);

  auto wrong_key = ExchangeAssertion(base, SignJwt(Claims(base), OtherKey()));
  EXPECT_EQ(wrong_key.status, 400);
  EXPECT_EQ(wrong_key.Json().at("error"), "invalid_grant");
  object bad_aud = Claims(base);
  bad_aud["aud"] = "https://oauth2.googleapis.com/token";
  EXPECT_EQ(ExchangeAssertion(base, SignJwt(bad_aud, ServiceAccountKey())).status, 400);
  auto too_long = ExchangeAssertion(base, SignJwt(Claims(base, 7200), ServiceAccountKey()));
  EXPECT_EQ(too_long.status, 400);
  EXPECT_NE(too_long.body.find("short-lived"), std::string::npos);
  auto no_grant =
      testing::Fetch("POST", base + "/token", {"Content-Type: application/x-www-form-urlencoded"},
                     "grant_type=client_credentials");
  EXPECT_EQ(no_grant.Json().at("error"), "unsupported_grant_type");
  // Without a token, Google's 401 shape.
  auto anonymous = testing::Fetch("GET", base + "/admin/directory/v1/users?customer=my_customer");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.Json().at("error").at("errors").at(0).at("reason"), "authError");
}

TEST_F(GoogleIt, ConnectorAssertionIsAcceptedAndAForeignKeyIsAnAuthStop) {
  Start();
  ASSERT_TRUE(connector_->Test().ok());
  auto foreign = OpenGoogle(emulator_.url, OtherKey());
  auto r = foreign->Test();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassOf(r.error()), ErrorClass::kAuth) << r.error().ToString();
  EXPECT_EQ(DecideAction(r.error()).action, Action::kStop);
  EXPECT_NE(r.error().message().find("invalid_grant"), std::string::npos);
}

TEST_F(GoogleIt, ASubjectOutsideTheDomainIsForbidden) {
  Start();
  auto outsider = OpenGoogle(emulator_.url, ServiceAccountKey(), "someone@elsewhere.org");
  auto r = outsider->ListUsers({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassOf(r.error()), ErrorClass::kAuth);
  EXPECT_NE(r.error().message().find("forbidden"), std::string::npos);
}

TEST_F(GoogleIt, UsersInGoogleVocabulary) {
  Start();
  auto created = connector_->CreateUser(User("grace", "/Engineering"));
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(Str(created->attributes, "orgUnitPath"), "/Engineering");
  EXPECT_FALSE(created->etag.empty());
  EXPECT_FALSE(created->attributes.contains("password"));

  auto by_email = connector_->FindUser("primaryEmail", "GRACE@example.com");
  ASSERT_TRUE(by_email.ok() && by_email->has_value());
  EXPECT_EQ((*by_email)->id, created->id);
  auto by_external = connector_->FindUser("externalId", "X-grace");
  ASSERT_TRUE(by_external.ok() && by_external->has_value()) << by_external.error().ToString();
  EXPECT_EQ((*by_external)->id, created->id);

  // A stale etag is stale (re-read, then retry); the fresh one works.
  object desired = User("grace", "/Engineering");
  desired["name"].as_object()["givenName"] = "Amazing Grace";
  auto patched = connector_->PatchUser(created->id, created->attributes, desired);
  ASSERT_TRUE(patched.ok()) << patched.error().ToString();
  desired["name"].as_object()["familyName"] = "Murray";
  auto stale = connector_->PatchUser(created->id, created->attributes, desired);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(ClassOf(stale.error()), ErrorClass::kStale);

  // Outside the domain, a bad org unit, a missing name: the item is skipped, not retried.
  for (object bad : {User("x"), User("y", "/Nowhere"), User("z")}) {
    if (Str(bad, "primaryEmail") == "x@example.com") bad["primaryEmail"] = "x@other.org";
    if (Str(bad, "primaryEmail") == "z@example.com") bad.erase("name");
    auto r = connector_->CreateUser(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(ClassOf(r.error()), ErrorClass::kInvalid) << r.error().ToString();
    EXPECT_EQ(DecideAction(r.error()).action, Action::kSkip);
  }

  ASSERT_TRUE(connector_->DisableUser(created->id).ok());
  auto suspended = connector_->GetUser(created->id);
  ASSERT_TRUE(suspended.ok());
  EXPECT_TRUE(suspended->attributes.at("suspended").as_bool());
  EXPECT_EQ(Str(suspended->attributes, "suspensionReason"), "ADMIN");
}

TEST_F(GoogleIt, OrgUnitsAndAdminRolesAreEntitlements) {
  Start();
  auto user = connector_->CreateUser(User("ada"));
  ASSERT_TRUE(user.ok()) << user.error().ToString();
  EntitlementConnector& e = *connector_->entitlements();
  std::vector<Entitlement> all;
  PageRequest page{"", 2};
  do {
    auto p = e.ListEntitlements(page);
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    all.insert(all.end(), p->items.begin(), p->items.end());
    page.cursor = p->next_cursor;
  } while (!page.cursor.empty());
  std::vector<std::string> names;
  for (const auto& x : all) names.push_back(x.kind + ":" + x.display_name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "org_unit:/", "org_unit:/Engineering", "org_unit:/Sales",
                       "role:_SEED_ADMIN_ROLE", "role:_GROUPS_ADMIN_ROLE",
                       "role:_USER_MANAGEMENT_ADMIN_ROLE", "role:_HELP_DESK_ADMIN_ROLE"}));

  const Entitlement& sales = all[2];
  const Entitlement& helpdesk = all[6];
  ASSERT_TRUE(e.Grant(user->id, sales).ok());
  EXPECT_EQ(Str(connector_->GetUser(user->id)->attributes, "orgUnitPath"), "/Sales");
  ASSERT_TRUE(e.Grant(user->id, helpdesk).ok());
  ASSERT_TRUE(e.Grant(user->id, helpdesk).ok());  // already granted: fine

  // The assignment is visible through the API, once.
  auto token =
      ExchangeAssertion(emulator_.url, SignJwt(Claims(emulator_.url), ServiceAccountKey()));
  object claims = Claims(emulator_.url);
  claims["scope"] = "https://www.googleapis.com/auth/admin.directory.rolemanagement.readonly";
  auto ro = ExchangeAssertion(emulator_.url, SignJwt(claims, ServiceAccountKey()));
  std::string bearer(ro.Json().at("access_token").as_string());
  auto list = [&] {
    return testing::Fetch(
               "GET",
               emulator_.url +
                   "/admin/directory/v1/customer/my_customer/roleassignments?userKey=" + user->id,
               {"Authorization: Bearer " + bearer})
        .Json()
        .at("items")
        .as_array();
  };
  ASSERT_EQ(list().size(), 1u);
  EXPECT_EQ(list()[0].at("roleId"), boost::json::value(helpdesk.id));

  ASSERT_TRUE(e.Revoke(user->id, helpdesk).ok());
  EXPECT_TRUE(list().empty());
  ASSERT_TRUE(e.Revoke(user->id, sales).ok());
  EXPECT_EQ(Str(connector_->GetUser(user->id)->attributes, "orgUnitPath"), "/");
}

TEST_F(GoogleIt, MemberRolesAndMissingGroups) {
  Start();
  auto owner = connector_->CreateUser(User("owner"));
  auto member = connector_->CreateUser(User("member"));
  ASSERT_TRUE(owner.ok() && member.ok());
  auto group =
      connector_->groups()->CreateGroup(object{{"email", "eng@example.com"}, {"name", "Eng"}});
  ASSERT_TRUE(group.ok()) << group.error().ToString();
  auto dup = connector_->groups()->CreateGroup(object{{"email", "eng@example.com"}});
  EXPECT_EQ(ClassOf(dup.error()), ErrorClass::kConflict);
  auto& google = static_cast<google::GoogleConnector&>(*connector_);
  ASSERT_TRUE(
      google.AddMembersWithRole(group->id, std::vector<std::string>{owner->id}, "OWNER").ok());
  ASSERT_TRUE(
      connector_->groups()->AddMembers(group->id, std::vector<std::string>{member->id}).ok());
  auto members = ReadMembers(emulator_.url, group->id);
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(members->size(), 2u);
  auto found = connector_->groups()->FindGroup("email", "ENG@example.com");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ(Str((*found)->attributes, "directMembersCount"), "2");
  auto missing =
      connector_->groups()->AddMembers("00nonexistent", std::vector<std::string>{member->id});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(ClassOf(missing.error()), ErrorClass::kNotFound);
}

// members.list pages at 200: MemberIds reads every page, nested groups included.
TEST_F(GoogleIt, MemberIdsListsEveryPage) {
  Start();
  auto group =
      connector_->groups()->CreateGroup(object{{"email", "all@example.com"}, {"name", "All"}});
  ASSERT_TRUE(group.ok()) << group.error().ToString();
  auto nested =
      connector_->groups()->CreateGroup(object{{"email", "sub@example.com"}, {"name", "Sub"}});
  ASSERT_TRUE(nested.ok()) << nested.error().ToString();
  std::set<std::string> want{nested->id};
  std::vector<std::string> users;
  for (int i = 0; i < 204; ++i) {
    auto u = connector_->CreateUser(User("paged" + std::to_string(i)));
    ASSERT_TRUE(u.ok()) << u.error().ToString();
    users.push_back(u->id);
    want.insert(u->id);
  }
  ASSERT_TRUE(connector_->groups()->AddMembers(group->id, users).ok());
  ASSERT_TRUE(
      connector_->groups()->AddMembers(group->id, std::vector<std::string>{nested->id}).ok());
  auto ids = connector_->groups()->MemberIds(group->id);
  ASSERT_TRUE(ids.ok()) << ids.error().ToString();
  ASSERT_TRUE(ids->has_value());
  EXPECT_EQ((*ids)->size(), want.size());  // no member twice across pages
  EXPECT_EQ(std::set<std::string>((*ids)->begin(), (*ids)->end()), want);
  ASSERT_TRUE(
      connector_->groups()->RemoveMembers(group->id, std::vector<std::string>{users[7]}).ok());
  auto fewer = connector_->groups()->MemberIds(group->id);
  ASSERT_TRUE(fewer.ok() && fewer->has_value());
  EXPECT_EQ((*fewer)->size(), want.size() - 1);
  auto gone = connector_->groups()->MemberIds("00nonexistent");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(ClassOf(gone.error()), ErrorClass::kNotFound);
}

TEST_F(GoogleIt, RateLimitsAndQuotaAreRateLimited) {
  for (const char* spec : {"403:1", "429:1"}) {
    Start({"--faults", spec});
    auto r = connector_->GetUser("anyone@example.com");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(ClassOf(r.error()), ErrorClass::kRateLimited) << spec << ": " << r.error().ToString();
    EXPECT_EQ(DecideAction(r.error()).action, Action::kRetry);
  }
  Start({"--quota-per-minute", "5"});
  int limited = 0;
  for (int i = 0; i < 8; ++i) {
    auto r = connector_->FindUser("primaryEmail", "nobody@example.com");
    if (!r.ok()) {
      EXPECT_EQ(ClassOf(r.error()), ErrorClass::kRateLimited) << r.error().ToString();
      EXPECT_NE(r.error().message().find("userRateLimitExceeded"), std::string::npos);
      ++limited;
    }
  }
  EXPECT_EQ(limited, 3);
}

TEST_F(GoogleIt, BackendErrorsConvergeUnderRetries) {
  Start({"--faults", "503:0.2,403:0.1,429:0.1", "--seed", "11"});
  for (int i = 0; i < 20; ++i) {
    std::string local = "flaky" + std::to_string(i);
    for (int attempt = 0;; ++attempt) {
      ASSERT_LT(attempt, 50);
      auto existing = connector_->FindUser("primaryEmail", local + "@" + kDomain);
      if (!existing.ok()) {
        ASSERT_EQ(DecideAction(existing.error()).action, Action::kRetry)
            << existing.error().ToString();
        continue;
      }
      if (existing->has_value()) break;
      auto r = connector_->CreateUser(User(local));
      if (r.ok()) break;
      ASSERT_EQ(DecideAction(r.error()).action, Action::kRetry) << r.error().ToString();
    }
  }
}

}  // namespace
}  // namespace provisio::connectors
