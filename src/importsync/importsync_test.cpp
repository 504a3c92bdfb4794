#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>

#include "importsync/matching.h"
#include "importsync/policy.h"
#include "importsync/run_state.h"
#include "importsync/source_mapper.h"

namespace provisio::importsync {
namespace {

using boost::json::array;
using boost::json::object;

// A portal of users keyed by (rule, lower-cased value) → ids.
struct FakePortal {
  std::multimap<std::pair<MatchRule, std::string>, std::string> index;
  std::vector<MatchRule> asked;
  Lookup lookup() {
    return [this](MatchRule r, const std::string& v) -> Result<std::vector<std::string>> {
      asked.push_back(r);
      std::string key = v;
      if (r != MatchRule::kExternalId) {
        for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      std::vector<std::string> ids;
      auto [b, e] = index.equal_range({r, key});
      for (auto it = b; it != e; ++it) ids.push_back(it->second);
      return ids;
    };
  }
};

object Mapped() {
  return {{"userName", "Ann@Example.com"},
          {"externalId", "src-1"},
          {"emails", array{object{{"value", "home@x.org"}, {"type", "home"}},
                           object{{"value", "ann@work.com"}, {"type", "work"}}}}};
}

TEST(Matching, FirstRuleThatFindsAnyoneDecides) {
  FakePortal p;
  p.index.insert({{MatchRule::kUserName, "ann@example.com"}, "u1"});
  p.index.insert({{MatchRule::kWorkEmail, "ann@work.com"}, "u2"});
  auto m = Match(Mapped(), {MatchRule::kExternalId, MatchRule::kUserName, MatchRule::kWorkEmail},
                 p.lookup());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->kind, MatchOutcome::Kind::kOne);
  EXPECT_EQ(m->user_id, "u1");
  EXPECT_EQ(m->rule, "userName");
  EXPECT_EQ(p.asked, (std::vector<MatchRule>{MatchRule::kExternalId, MatchRule::kUserName}));
}

TEST(Matching, UserNameIsCaseInsensitiveAndRulesFollowTheirOrder) {
  FakePortal p;
  p.index.insert({{MatchRule::kUserName, "ann@example.com"}, "u1"});
  p.index.insert({{MatchRule::kWorkEmail, "ann@work.com"}, "u2"});
  auto m = Match(Mapped(), {MatchRule::kWorkEmail, MatchRule::kUserName}, p.lookup());
  EXPECT_EQ(m->user_id, "u2");
  EXPECT_EQ(m->rule, "email");
}

TEST(Matching, SeveralCandidatesAreAmbiguous) {
  FakePortal p;
  p.index.insert({{MatchRule::kWorkEmail, "ann@work.com"}, "u2"});
  p.index.insert({{MatchRule::kWorkEmail, "ann@work.com"}, "u3"});
  auto m = Match(Mapped(), {MatchRule::kExternalId, MatchRule::kWorkEmail}, p.lookup());
  EXPECT_EQ(m->kind, MatchOutcome::Kind::kAmbiguous);
  EXPECT_EQ(m->candidates, (std::vector<std::string>{"u2", "u3"}));
}

TEST(Matching, NothingFoundIsNone) {
  FakePortal p;
  auto m = Match(Mapped(), {MatchRule::kExternalId, MatchRule::kUserName}, p.lookup());
  EXPECT_EQ(m->kind, MatchOutcome::Kind::kNone);
}

TEST(Matching, WorkEmailFallsBackToPrimaryThenFirst) {
  object u{
      {"emails", array{object{{"value", "a@x"}}, object{{"value", "b@x"}, {"primary", true}}}}};
  EXPECT_EQ(RuleValue(MatchRule::kWorkEmail, u), "b@x");
  u = {{"emails", array{object{{"value", "a@x"}}}}};
  EXPECT_EQ(RuleValue(MatchRule::kWorkEmail, u), "a@x");
  EXPECT_FALSE(RuleValue(MatchRule::kExternalId, u).has_value());
}

TEST(Policy, SettingsThenRequestOverrides) {
  object settings{
      {"import_matching", array{"email"}}, {"import_unmatched", "hold"}, {"deletion_threshold", 7}};
  auto p = ParsePolicy(settings, {{"gone", "disable"}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->matching, (std::vector<MatchRule>{MatchRule::kWorkEmail}));
  EXPECT_EQ(p->unmatched, Unmatched::kHold);
  EXPECT_EQ(p->gone, Gone::kDisable);
  EXPECT_EQ(p->deletion_threshold, 7);
  auto back = PolicyFromJson(PolicyJson(*p));
  EXPECT_EQ(back.matching, p->matching);
  EXPECT_EQ(back.gone, Gone::kDisable);
  EXPECT_FALSE(ParsePolicy({}, {{"unmatched", "explode"}}).ok());
  EXPECT_FALSE(ParsePolicy({}, {{"matching", array{"phone"}}}).ok());
}

TEST(RunState, TransitionsOnlyForward) {
  EXPECT_TRUE(CanTransition(RunState::kQueued, RunState::kRunning));
  EXPECT_TRUE(CanTransition(RunState::kRunning, RunState::kRunning));  // resumed after a crash
  EXPECT_TRUE(CanTransition(RunState::kRunning, RunState::kSucceeded));
  EXPECT_TRUE(CanTransition(RunState::kRunning, RunState::kFailed));
  EXPECT_FALSE(CanTransition(RunState::kQueued, RunState::kSucceeded));
  EXPECT_FALSE(CanTransition(RunState::kSucceeded, RunState::kRunning));
  EXPECT_FALSE(CanTransition(RunState::kFailed, RunState::kQueued));
  RunState s;
  ASSERT_TRUE(ParseRunState("running", &s));
  EXPECT_EQ(s, RunState::kRunning);
  EXPECT_FALSE(ParseRunState("paused", &s));
}

TEST(RunState, CountsRoundTripAndErrorsAreCapped) {
  Counts c;
  c.read = 10;
  c.held = 2;
  auto back = Counts::FromJson(c.ToJson());
  EXPECT_EQ(back.read, 10);
  EXPECT_EQ(back.held, 2);
  EXPECT_TRUE(c.ToJson().contains("linked"));
  array errors;
  for (int i = 0; i < 5; ++i) AppendError(errors, 3, "s" + std::to_string(i), "bad");
  EXPECT_EQ(errors.size(), 3u);
}

TEST(MinimalPatch, ReplacesOnlyWhatDiffers) {
  object current{{"userName", "ann"},
                 {"name", object{{"givenName", "Ann"}, {"familyName", "Old"}}},
                 {"title", "Engineer"}};
  object desired{{"schemas", array{"x"}},
                 {"userName", "ann"},
                 {"name", object{{"givenName", "Ann"}, {"familyName", "New"}}},
                 {"title", "Engineer"}};
  auto patch = MinimalPatch(current, desired);
  const auto& ops = patch.at("Operations").as_array();
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].at("path"), "name.familyName");
  EXPECT_TRUE(MinimalPatch(current, current).at("Operations").as_array().empty());
  // A null removes what is there, and is nothing to do where there is nothing.
  boost::json::object none{{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                            boost::json::object{{"manager", nullptr}}},
                           {"title", nullptr}};
  EXPECT_TRUE(MinimalPatch(object{{"userName", "ann"}}, none).at("Operations").as_array().empty());
  boost::json::object with{{"userName", "ann"}};
  with["title"] = "CFO";
  with["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] =
      boost::json::object{{"manager", {{"value", "p-1"}}}};
  const boost::json::object patched = MinimalPatch(with, none);
  const auto& removes = patched.at("Operations").as_array();
  ASSERT_EQ(removes.size(), 2u);
  EXPECT_TRUE(removes[0].at("value").is_null());
  EXPECT_TRUE(removes[1].at("value").is_null());
}

}  // namespace
}  // namespace provisio::importsync

namespace provisio::importsync {
namespace {

TEST(SourceMapper, AccountEntitlementsFromTheRecord) {
  store::ApplicationRow app;
  auto scim = SourceMapper::For(app, "scim2");
  ASSERT_TRUE(scim.ok());
  connectors::Account a;
  a.id = "u1";
  a.attributes = boost::json::parse(R"({"userName": "ann",
      "roles": [{"value": "auditor"}, {"value": "admin"}],
      "entitlements": [{"value": "admin"}, {"display": "no value"}],
      "groups": [{"value": "g1"}]})")
                     .as_object();
  auto ents = scim->AccountEntitlements(a);
  ASSERT_TRUE(ents);
  // Sorted, once each; groups are recorded from the groups' members instead.
  EXPECT_EQ(*ents, (std::vector<std::string>{"admin", "auditor"}));

  auto salesforce = SourceMapper::For(app, "salesforce");
  ASSERT_TRUE(salesforce.ok());
  connectors::Account sf;
  sf.attributes = {{"Username", "ann@example.com"}, {"ProfileId", "00e1"}, {"UserRoleId", nullptr}};
  EXPECT_EQ(*salesforce->AccountEntitlements(sf), (std::vector<std::string>{"00e1"}));

  auto ldap = SourceMapper::For(app, "ldap");
  ASSERT_TRUE(ldap.ok());
  EXPECT_FALSE(ldap->AccountEntitlements(a));  // LDAP entries' groups list them instead
}

}  // namespace
}  // namespace provisio::importsync

namespace provisio::importsync {
namespace {

constexpr std::string_view kEnt = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

TEST(SourceMapper, SalesforceAndGoogleRecordsBecomePortalUsers) {
  store::ApplicationRow app;
  auto salesforce = SourceMapper::For(app, "salesforce");
  ASSERT_TRUE(salesforce.ok()) << salesforce.error().ToString();
  connectors::Account sf;
  sf.id = "0055g0000000001AAA";
  sf.attributes = boost::json::parse(R"({"Id": "0055g0000000001AAA",
      "Username": "ana@example.com", "FirstName": "Ana", "LastName": "Lima",
      "Email": "ana.lima@example.com", "IsActive": false, "Title": "CFO",
      "Department": "Finance", "EmployeeNumber": "417", "ManagerId": "0055g0000000002AAA",
      "ProfileId": "00e1"})")
                      .as_object();
  auto user = salesforce->MapUser(sf);
  ASSERT_TRUE(user.ok()) << user.error().ToString();
  EXPECT_EQ(user->at("userName"), "ana@example.com");
  EXPECT_EQ(user->at("externalId"), "0055g0000000001AAA");
  EXPECT_EQ(user->at("active"), false);
  EXPECT_EQ(user->at("displayName"), "Ana Lima");
  EXPECT_EQ(user->at("name").at("familyName"), "Lima");
  EXPECT_EQ(user->at("emails").at(0).at("value"), "ana.lima@example.com");
  EXPECT_EQ(user->at("title"), "CFO");
  EXPECT_EQ(user->at(kEnt).at("department"), "Finance");
  EXPECT_EQ(SourceMapper::ManagerRef(*user), "0055g0000000002AAA");  // by id
  EXPECT_FALSE(salesforce->managers_by_name());
  EXPECT_EQ(salesforce->SourceName(sf), "");

  auto google = SourceMapper::For(app, "google-workspace");
  ASSERT_TRUE(google.ok());
  connectors::Account g;
  g.id = "103";
  g.attributes = boost::json::parse(R"({"id": "103", "primaryEmail": "ben@example.com",
      "name": {"givenName": "Ben", "familyName": "Ode", "fullName": "Ben Ode"},
      "suspended": true, "externalIds": [{"type": "organization", "value": "E9"}],
      "relations": [{"type": "manager", "value": "ana@example.com"}]})")
                     .as_object();
  user = google->MapUser(g);
  ASSERT_TRUE(user.ok()) << user.error().ToString();
  EXPECT_EQ(user->at("userName"), "ben@example.com");
  EXPECT_EQ(user->at("active"), false);
  EXPECT_EQ(user->at("displayName"), "Ben Ode");
  EXPECT_EQ(user->at(kEnt).at("employeeNumber"), "E9");
  EXPECT_EQ(SourceMapper::ManagerRef(*user), "ana@example.com");  // by address
  EXPECT_TRUE(google->managers_by_name());
  EXPECT_EQ(google->SourceName(g), "ben@example.com");

  // A record the mappings give no userName is refused.
  connectors::Account bare;
  bare.attributes = {{"Id", "005x"}};
  EXPECT_FALSE(salesforce->MapUser(bare).ok());
}

TEST(SourceMapper, TheManagerBecomesAPortalIdOrGoes) {
  boost::json::object mapped{
      {"schemas", boost::json::array{"urn:ietf:params:scim:schemas:core:2.0:User", kEnt}},
      {"userName", "a"},
      {kEnt, boost::json::object{{"manager", {{"value", "src-9"}, {"$ref", "https://src/9"}}}}}};
  SourceMapper::SetManager(mapped, "portal-9");
  EXPECT_EQ(mapped.at(kEnt).at("manager"), (boost::json::object{{"value", "portal-9"}}));
  SourceMapper::SetManager(mapped, "");  // not imported yet: none, and no empty extension
  EXPECT_FALSE(mapped.contains(kEnt));
  EXPECT_EQ(mapped.at("schemas").as_array().size(), 1u);
  EXPECT_EQ(SourceMapper::ManagerRef(mapped), "");
  SourceMapper::SetManager(mapped, "portal-9");  // and back, with its schema
  EXPECT_EQ(mapped.at("schemas").as_array().size(), 2u);
  EXPECT_EQ(SourceMapper::ManagerRef(mapped), "portal-9");
}

}  // namespace
}  // namespace provisio::importsync
