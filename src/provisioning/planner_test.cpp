#include "provisioning/planner.h"

#include <boost/json/serialize.hpp>

#include "mapping/canonical.h"
#include "scim/schema_urns.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace provisio::provisioning {
namespace {

store::AccountLinkRow Link(std::string state, std::string hash, std::string target = "t1") {
  store::AccountLinkRow l;
  l.application_id = "app";
  l.subject_type = "user";
  l.subject_id = "u1";
  l.target_id = std::move(target);
  l.state = std::move(state);
  l.desired_hash = std::move(hash);
  return l;
}

Desired In(std::string hash) { return {true, {}, std::move(hash), {}, {}}; }
Desired Out() { return {false, {}, "", {}, {}}; }

struct Case {
  std::string name;
  Desired desired;
  std::optional<store::AccountLinkRow> link;
  DeprovisionAction deprovision;
  bool full;
  Action expected;
};

class PlannerTest : public testing::TestWithParam<Case> {};

TEST_P(PlannerTest, DecidesTheOneAction) {
  const Case& c = GetParam();
  EXPECT_EQ(PlanAccount(c.desired, c.link, c.deprovision, c.full).action, c.expected)
      << ToString(PlanAccount(c.desired, c.link, c.deprovision, c.full).action);
}

using D = DeprovisionAction;
using A = Action;

INSTANTIATE_TEST_SUITE_P(
    Table, PlannerTest,
    testing::Values(
        Case{"NewInScopeCreates", In("h"), std::nullopt, D::kDisable, false, A::kCreate},
        Case{"DeletedLinkRecreates", In("h"), Link("deleted", "h"), D::kDisable, false, A::kCreate},
        Case{"LinkWithoutTargetCreates", In("h"), Link("active", "h", ""), D::kDisable, false,
             A::kCreate},
        Case{"SameHashIsNoop", In("h"), Link("active", "h"), D::kDisable, false, A::kNone},
        Case{"SameHashFullVerifies", In("h"), Link("active", "h"), D::kDisable, true, A::kVerify},
        Case{"ChangedHashUpdates", In("h2"), Link("active", "h1"), D::kDisable, false, A::kUpdate},
        Case{"DisabledBackInScopeUpdates", In("h"), Link("disabled", "h"), D::kDisable, false,
             A::kUpdate},
        Case{"OutOfScopeDisables", Out(), Link("active", "h"), D::kDisable, false, A::kDisable},
        Case{"OutOfScopeAlreadyDisabled", Out(), Link("disabled", "h"), D::kDisable, false,
             A::kNone},
        Case{"OutOfScopeDeletes", Out(), Link("active", "h"), D::kDelete, false, A::kDelete},
        Case{"OutOfScopeAlreadyDisabledIsNotDeletedLater", Out(), Link("disabled", "h"), D::kDelete,
             false, A::kNone},
        Case{"OutOfScopeAlreadyDisabledIsNotUnlinked", Out(), Link("disabled", "h"), D::kNone,
             false, A::kNone},
        Case{"OutOfScopeNoneUnlinks", Out(), Link("active", "h"), D::kNone, false, A::kUnlink},
        Case{"OutOfScopeNoLinkNothing", Out(), std::nullopt, D::kDelete, false, A::kNone},
        Case{"OutOfScopeDeletedLinkNothing", Out(), Link("deleted", "h"), D::kDelete, true,
             A::kNone}),
    [](const auto& info) { return info.param.name; });

TEST(PlannerTest, ParsesDeprovisionActions) {
  EXPECT_EQ(ParseDeprovisionAction("delete"), DeprovisionAction::kDelete);
  EXPECT_EQ(ParseDeprovisionAction("disable"), DeprovisionAction::kDisable);
  EXPECT_EQ(ParseDeprovisionAction("none"), DeprovisionAction::kNone);
  EXPECT_FALSE(ParseDeprovisionAction("Delete"));
}

TEST(PlannerTest, MatchingValueFollowsDottedPathsToAString) {
  auto desired = boost::json::parse(
                     R"({"userName":"ann","name":{"familyName":"Lee"},"active":true,"n":{"x":1}})")
                     .as_object();
  EXPECT_EQ(MatchingValue(desired, "userName"), "ann");
  EXPECT_EQ(MatchingValue(desired, "name.familyName"), "Lee");
  EXPECT_FALSE(MatchingValue(desired, "active"));  // not a string
  EXPECT_FALSE(MatchingValue(desired, "n.x"));
  EXPECT_FALSE(MatchingValue(desired, "name.givenName"));
  EXPECT_FALSE(MatchingValue(desired, "userName.x"));
}

// Entitlement selections are part of what was pushed: a change of selection alone changes the
// hash, no selection keeps the hash of the object alone, and the recorded form splits back.
TEST(PlannerTest, EntitlementsArePartOfThePushedState) {
  boost::json::object o{{"Username", "ada@example.com"}};
  EXPECT_EQ(DesiredHash(o, {}), mapping::DesiredStateHash(o));
  EXPECT_NE(DesiredHash(o, {"00e1"}), DesiredHash(o, {}));
  EXPECT_NE(DesiredHash(o, {"00e1"}), DesiredHash(o, {"00e2"}));
  auto recorded = boost::json::serialize(PushedObject(o, {"00E1", "00e1"}));
  Pushed back = SplitPushed(recorded);
  EXPECT_EQ(back.object, o);
  EXPECT_EQ(back.entitlements, (std::vector<std::string>{"00E1", "00e1"}));
  EXPECT_TRUE(SplitPushed(boost::json::serialize(o)).entitlements.empty());
  EXPECT_TRUE(SplitPushed("").object.empty());
}

}  // namespace
}  // namespace provisio::provisioning

namespace provisio::provisioning {
namespace {

TEST(PlannerTest, ACreateTakesTheResolvedManagerOrNone) {
  constexpr std::string_view kEnt = scim::kEnterpriseUserSchema;
  const ManagerReference scim = ManagerReferenceFor("scim2").value();
  boost::json::object resolved{{kEnt, boost::json::object{{"manager", {{"value", "t-42"}}}}}};
  // The create-only mapping pass still holds the portal id: it takes the target's id.
  boost::json::object create{
      {"userName", "a"},
      {kEnt, boost::json::object{{"manager", {{"value", "portal-7"}}}, {"department", "R&D"}}}};
  TakeManagerFrom(scim, resolved, create);
  EXPECT_EQ(create.at(kEnt).at("manager").at("value"), "t-42");
  EXPECT_EQ(create.at(kEnt).at("department"), "R&D");
  // No manager resolved (pending): none is sent, and an emptied extension goes too.
  boost::json::object pending{{"userName", "b"},
                              {kEnt, boost::json::object{{"manager", {{"value", "portal-7"}}}}}};
  TakeManagerFrom(scim, boost::json::object{{"userName", "b"}}, pending);
  EXPECT_FALSE(pending.contains(kEnt));
  // A create without the extension gets it when the desired state has a manager.
  boost::json::object bare{{"userName", "c"}};
  TakeManagerFrom(scim, resolved, bare);
  EXPECT_EQ(bare.at(kEnt).at("manager").at("value"), "t-42");

  // Salesforce: ManagerId; Google: the manager relation, beside any other relation.
  const ManagerReference sf = ManagerReferenceFor("salesforce").value();
  boost::json::object sf_create{{"Username", "a"}, {"ManagerId", "portal-7"}};
  TakeManagerFrom(sf, boost::json::object{{"ManagerId", "005xx0000012345AAA"}}, sf_create);
  EXPECT_EQ(sf_create.at("ManagerId"), "005xx0000012345AAA");
  TakeManagerFrom(sf, boost::json::object{{"Username", "a"}}, sf_create);
  EXPECT_FALSE(sf_create.contains("ManagerId"));
  const ManagerReference google = ManagerReferenceFor("google-workspace").value();
  auto relations = [](const char* manager) {
    return boost::json::array{boost::json::object{{"type", "assistant"}, {"value", "b@x"}},
                              boost::json::object{{"type", "manager"}, {"value", manager}}};
  };
  boost::json::object g_create{{"relations", relations("portal-7")}};
  TakeManagerFrom(google, boost::json::object{{"relations", relations("ana@x")}}, g_create);
  EXPECT_EQ(g_create.at("relations"), relations("ana@x"));
  EXPECT_EQ(ManagerIn(google, g_create), "ana@x");
  EXPECT_FALSE(ManagerReferenceFor("ldap").has_value());
}

TEST(PlannerTest, AManagerRemovedInThePortalIsClearedInTheTarget) {
  constexpr std::string_view kEnt = scim::kEnterpriseUserSchema;
  auto with = [](boost::json::object o) {
    Desired d;
    d.object = std::move(o);
    return d;
  };
  const auto scim = ManagerReferenceFor("scim2");
  Desired none;
  none.object = {{"userName", "a"}};
  none.hash = "h";
  const boost::json::object had{{"userName", "a"},
                                {kEnt, boost::json::object{{"manager", {{"value", "t-42"}}}}}};
  // SCIM: the manager attribute null (a PATCH "remove"), the rest of the object unchanged.
  auto sent = ToSend(scim, none, had);
  EXPECT_TRUE(sent.at(kEnt).at("manager").is_null()) << sent;
  EXPECT_EQ(sent.at("userName"), "a");
  // Nothing to clear: the target has none, the user has one, or hers is waiting for an account.
  EXPECT_EQ(ToSend(scim, none, none.object), none.object);
  Desired has = none;
  has.object[kEnt] = boost::json::object{{"manager", {{"value", "t-7"}}}};
  EXPECT_EQ(ToSend(scim, has, had), has.object);
  Desired pending = none;
  pending.hash += kManagerPending;
  EXPECT_EQ(ToSend(scim, pending, had), pending.object);
  EXPECT_EQ(ToSend(std::nullopt, none, had), none.object);  // not mapped: not ours to clear

  // Salesforce: ManagerId null. Google: the manager relation goes, other relations stay; with
  // none left, an empty array.
  auto sf = ToSend(ManagerReferenceFor("salesforce"), with({{"Username", "a"}}),
                   {{"Username", "a"}, {"ManagerId", "005xx"}});
  EXPECT_TRUE(sf.at("ManagerId").is_null()) << sf;
  const auto google = ManagerReferenceFor("google-workspace");
  boost::json::object with_manager{{"relations", boost::json::array{boost::json::object{
                                                     {"type", "manager"}, {"value", "m@x"}}}}};
  auto g = ToSend(google, with({{"primaryEmail", "a@x"}}), with_manager);
  EXPECT_EQ(g.at("relations"), boost::json::array()) << g;
  boost::json::object mixed = with_manager;
  mixed["relations"].as_array().push_back(
      boost::json::object{{"type", "assistant"}, {"value", "b"}});
  Desired keeps = with(mixed);
  keeps.object["relations"].as_array().erase(keeps.object["relations"].as_array().begin());
  keeps.object["relations"].as_array().push_back(
      boost::json::object{{"type", "manager"}, {"value", "portal-7"}});
  mapping::EraseAt(keeps.object, google->path);  // as ResolveManager leaves a user without one
  auto g2 = ToSend(google, keeps, mixed);
  EXPECT_EQ(g2.at("relations"),
            (boost::json::array{boost::json::object{{"type", "assistant"}, {"value", "b"}}}));
}

TEST(PlannerTest, AManagersAccountMovesWhenItsIdOrItsAddressChanges) {
  store::AccountLinkRow before;
  before.state = "active";
  before.target_id = "103";
  before.desired = R"({"primaryEmail":"ana@example.com"})";
  store::AccountLinkRow after = before;
  const auto google = ManagerReferenceFor("google-workspace").value();
  const auto scim = ManagerReferenceFor("scim2").value();
  EXPECT_FALSE(ManagerIdentityChanged(google, before, after));
  EXPECT_FALSE(ManagerIdentityChanged(google, std::nullopt, after));  // a first account
  after.desired = R"({"primaryEmail":"ana.lima@example.com"})";
  EXPECT_TRUE(ManagerIdentityChanged(google, before, after));
  EXPECT_FALSE(ManagerIdentityChanged(scim, before, after));  // SCIM names her by id
  after.target_id = "104";                                    // made again in the target
  EXPECT_TRUE(ManagerIdentityChanged(scim, before, after));
  after.state = "disabled";
  EXPECT_FALSE(ManagerIdentityChanged(scim, before, after));
}

TEST(PlannerTest, TheManagerIsHerAccountIdOrTheAttributeTheTargetNamesHerBy) {
  store::AccountLinkRow link;
  link.target_id = "103356";
  link.state = "active";
  link.desired = R"({"primaryEmail":"ana@example.com","$entitlements":["/Sales"]})";
  EXPECT_EQ(ManagerValue(ManagerReferenceFor("scim2").value(), link), "103356");
  EXPECT_EQ(ManagerValue(ManagerReferenceFor("salesforce").value(), link), "103356");
  EXPECT_EQ(ManagerValue(ManagerReferenceFor("google-workspace").value(), link), "ana@example.com");
  link.desired = "{}";  // nothing recorded to name her by: not resolved
  EXPECT_EQ(ManagerValue(ManagerReferenceFor("google-workspace").value(), link), "");
}

}  // namespace
}  // namespace provisio::provisioning
