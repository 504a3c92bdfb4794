#include "provisioning/group_planner.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace provisio::provisioning {
namespace {

using boost::json::array;
using boost::json::object;
using Strings = std::vector<std::string>;

GroupSettings Scim() { return ParseGroupSettings({}, "scim2", "", true); }
GroupSettings Google() {
  return ParseGroupSettings({}, "google-workspace", "it-admin@acme.com", true);
}

object Group(std::string name, std::string id = "g1") {
  return object{{"id", std::move(id)}, {"displayName", std::move(name)}};
}

// The link a successful push of `d` leaves.
store::AccountLinkRow Pushed(const DesiredGroup& d, std::string target = "t1") {
  store::AccountLinkRow l;
  l.application_id = "app";
  l.subject_type = "group";
  l.subject_id = "g1";
  l.target_id = std::move(target);
  l.state = "active";
  l.desired_hash = d.hash;
  l.desired = LinkDesiredJson(d);
  return l;
}

TEST(GroupSettingsTest, DefaultsFollowTheTemplateAndTheConnector) {
  EXPECT_TRUE(Scim().push);
  EXPECT_EQ(Scim().matching_attribute, "displayName");
  EXPECT_FALSE(ParseGroupSettings({}, "salesforce", "", false).push);  // no groups there
  EXPECT_FALSE(ParseGroupSettings(object{{"push_groups", false}}, "scim2", "", true).push);
  auto g = Google();
  EXPECT_EQ(g.matching_attribute, "email");
  EXPECT_EQ(g.email_domain, "acme.com");
  EXPECT_EQ(g.member_role, "");
  g = ParseGroupSettings(
      object{{"group_email_domain", "groups.acme.com"}, {"group_member_role", "MANAGER"}},
      "google-workspace", "it-admin@acme.com", true);
  EXPECT_EQ(g.email_domain, "groups.acme.com");
  EXPECT_EQ(g.member_role, "MANAGER");
}

TEST(GroupObjectTest, ScimCarriesNameAndPortalIdGoogleAnAddressKeptAcrossRenames) {
  EXPECT_EQ(GroupObject(Scim(), Group("Sales EMEA"), std::nullopt),
            (object{{"displayName", "Sales EMEA"}, {"externalId", "g1"}}));
  object sales = Group("Sales EMEA");
  auto first = ComputeDesiredGroup(Google(), &sales, true, {}, {});
  EXPECT_EQ(first.object.at("email"), "sales-emea@acme.com");
  EXPECT_EQ(first.object.at("name"), "Sales EMEA");
  // Renamed after the push: same address, new name.
  object renamed = Group("Sales Europe");
  auto second = ComputeDesiredGroup(Google(), &renamed, true, {}, Pushed(first));
  EXPECT_EQ(second.object.at("email"), "sales-emea@acme.com");
  EXPECT_EQ(second.object.at("name"), "Sales Europe");
}

TEST(GroupObjectTest, EmailLocalParts) {
  EXPECT_EQ(GroupEmailLocalPart("Sales EMEA", "g1"), "sales-emea");
  EXPECT_EQ(GroupEmailLocalPart("  R&D / Platform  ", "g1"), "r-d-platform");
  EXPECT_EQ(GroupEmailLocalPart("team.alpha_2", "g1"), "team.alpha_2");
  EXPECT_EQ(GroupEmailLocalPart("日本", "abc"), "group-abc");
}

TEST(GroupObjectTest, AFoundGroupFitsOnlyWhenItIsThisGroups) {
  object ours{{"displayName", "Eng"}, {"externalId", "g1"}};
  EXPECT_TRUE(FoundGroupFits(Scim(), object{{"displayName", "Eng"}, {"externalId", "g1"}}, ours));
  EXPECT_TRUE(FoundGroupFits(Scim(), object{{"displayName", "Eng"}}, ours));  // made by hand
  EXPECT_FALSE(FoundGroupFits(Scim(), object{{"displayName", "Eng"}, {"externalId", "g2"}}, ours));
  object google{{"email", "sales-emea@acme.com"}, {"name", "Sales EMEA"}};
  EXPECT_TRUE(FoundGroupFits(Google(), google, google));
  EXPECT_FALSE(FoundGroupFits(
      Google(), object{{"email", "sales-emea@acme.com"}, {"name", "sales/emea"}}, google));
  EXPECT_EQ(WithUniqueAddress(google, "1a2b-3c4d-5e6f").at("email"),
            "sales-emea-1a2b3c4d@acme.com");
  EXPECT_EQ(WithUniqueAddress(google, "1a2b-3c4d-5e6f").at("name"), "Sales EMEA");
}

TEST(MemberRepairTest, AddsTheMissingRemovesOnlyManagedExtras) {
  // Desired a, b, c; the target holds b, c (twice), x (Provisio's) and h (added by hand).
  auto r = PlanMemberRepair({"a", "b", "c"}, {"x", "c", "b", "h", "c"}, {"a", "b", "x"});
  EXPECT_EQ(r.add, (Strings{"a"}));
  EXPECT_EQ(r.remove, (Strings{"x"}));
  EXPECT_EQ(r.unmanaged, (Strings{"h"}));
  EXPECT_EQ(r.held, (Strings{"b", "c", "x"}));
  auto same = PlanMemberRepair({"a", "b"}, {"b", "a", "h"}, {"a", "b"});
  EXPECT_TRUE(same.add.empty());
  EXPECT_TRUE(same.remove.empty());
  EXPECT_EQ(same.unmanaged, (Strings{"h"}));
  auto empty = PlanMemberRepair({"a"}, {}, {});
  EXPECT_EQ(empty.add, (Strings{"a"}));
  EXPECT_TRUE(empty.held.empty());
}

TEST(ComputeDesiredGroupTest, OutOfScopeWhenUnassignedDeletedOrPushOff) {
  object g = Group("Eng");
  EXPECT_TRUE(ComputeDesiredGroup(Scim(), &g, true, {}, {}).in_scope);
  EXPECT_FALSE(ComputeDesiredGroup(Scim(), &g, false, {}, {}).in_scope);
  EXPECT_FALSE(ComputeDesiredGroup(Scim(), nullptr, true, {}, {}).in_scope);
  auto off = ParseGroupSettings(object{{"push_groups", false}}, "scim2", "", true);
  EXPECT_FALSE(ComputeDesiredGroup(off, &g, true, {}, {}).in_scope);
}

TEST(ComputeDesiredGroupTest, MembersAreSortedAndUniqueAndTheHashIgnoresTheirOrder) {
  object g = Group("Eng");
  auto a = ComputeDesiredGroup(Scim(), &g, true, {"t3", "t1", "t2", "t1"}, {});
  EXPECT_EQ(a.members, (Strings{"t1", "t2", "t3"}));
  auto b = ComputeDesiredGroup(Scim(), &g, true, {"t2", "t3", "t1"}, {});
  EXPECT_EQ(a.hash, b.hash);
  auto c = ComputeDesiredGroup(Scim(), &g, true, {"t2", "t3"}, {});
  EXPECT_NE(a.hash, c.hash);
  auto manager = ParseGroupSettings(object{{"group_member_role", "MANAGER"}}, "google-workspace",
                                    "a@acme.com", true);
  auto member = ParseGroupSettings({}, "google-workspace", "a@acme.com", true);
  EXPECT_NE(ComputeDesiredGroup(manager, &g, true, {"t1"}, {}).hash,
            ComputeDesiredGroup(member, &g, true, {"t1"}, {}).hash);
}

TEST(PlanGroupTest, CreateAddsEveryMember) {
  object g = Group("Eng");
  auto d = ComputeDesiredGroup(Scim(), &g, true, {"t1", "t2"}, {});
  auto p = PlanGroup(d, std::nullopt, DeprovisionAction::kDisable, false);
  EXPECT_EQ(p.action, Action::kCreate);
  EXPECT_EQ(p.add, (Strings{"t1", "t2"}));
  EXPECT_TRUE(p.remove.empty());
  // A link left "deleted" or without a target id is no group.
  auto gone = Pushed(d);
  gone.state = "deleted";
  EXPECT_EQ(PlanGroup(d, gone, DeprovisionAction::kDisable, false).action, Action::kCreate);
}

TEST(PlanGroupTest, NothingToDoWhenWhatWasPushedIsWhatIsWanted) {
  object g = Group("Eng");
  auto d = ComputeDesiredGroup(Scim(), &g, true, {"t1", "t2"}, {});
  auto p = PlanGroup(d, Pushed(d), DeprovisionAction::kDisable, false);
  EXPECT_EQ(p.action, Action::kNone);
  EXPECT_TRUE(p.add.empty() && p.remove.empty());
}

TEST(PlanGroupTest, MembershipIsADiffAgainstTheLastPush) {
  object g = Group("Eng");
  auto before = ComputeDesiredGroup(Scim(), &g, true, {"t1", "t2", "t3"}, {});
  auto after = ComputeDesiredGroup(Scim(), &g, true, {"t2", "t4", "t5"}, Pushed(before));
  auto p = PlanGroup(after, Pushed(before), DeprovisionAction::kDisable, false);
  EXPECT_EQ(p.action, Action::kUpdate);
  EXPECT_FALSE(p.update_object);
  EXPECT_EQ(p.add, (Strings{"t4", "t5"}));
  EXPECT_EQ(p.remove, (Strings{"t1", "t3"}));
  // Retried after it succeeded (the link now says so): nothing more.
  EXPECT_EQ(PlanGroup(after, Pushed(after), DeprovisionAction::kDisable, false).action,
            Action::kNone);
}

TEST(PlanGroupTest, ARenameUpdatesTheGroupAndKeepsTheMembers) {
  object g = Group("Eng");
  auto before = ComputeDesiredGroup(Scim(), &g, true, {"t1"}, {});
  object renamed = Group("Engineering");
  auto after = ComputeDesiredGroup(Scim(), &renamed, true, {"t1"}, Pushed(before));
  auto p = PlanGroup(after, Pushed(before), DeprovisionAction::kDisable, false);
  EXPECT_EQ(p.action, Action::kUpdate);
  EXPECT_TRUE(p.update_object);
  EXPECT_TRUE(p.add.empty() && p.remove.empty());
}

TEST(PlanGroupTest, LeavingScopeDeletesTheGroupOrForgetsIt) {
  object g = Group("Eng");
  auto d = ComputeDesiredGroup(Scim(), &g, true, {"t1"}, {});
  auto out = ComputeDesiredGroup(Scim(), &g, false, {"t1"}, Pushed(d));
  EXPECT_EQ(PlanGroup(out, Pushed(d), DeprovisionAction::kDisable, false).action,
            Action::kDelete);  // groups cannot be disabled
  EXPECT_EQ(PlanGroup(out, Pushed(d), DeprovisionAction::kDelete, false).action, Action::kDelete);
  EXPECT_EQ(PlanGroup(out, Pushed(d), DeprovisionAction::kNone, false).action, Action::kUnlink);
  auto deleted = ComputeDesiredGroup(Scim(), nullptr, true, {}, Pushed(d));
  EXPECT_EQ(PlanGroup(deleted, Pushed(d), DeprovisionAction::kDisable, false).action,
            Action::kDelete);
  EXPECT_EQ(PlanGroup(out, std::nullopt, DeprovisionAction::kDelete, false).action, Action::kNone);
}

TEST(PlanGroupTest, FullSyncVerifiesWithTheUsualDiff) {
  object g = Group("Eng");
  auto d = ComputeDesiredGroup(Scim(), &g, true, {"t1"}, {});
  auto p = PlanGroup(d, Pushed(d), DeprovisionAction::kDisable, true);
  EXPECT_EQ(p.action, Action::kVerify);
  EXPECT_TRUE(p.add.empty() && p.remove.empty() && !p.update_object);
}

TEST(PlanGroupTest, AChangeThatFailedHalfWayCarriesOnFromItsProgress) {
  // The engine stored what the target held when the adds failed: t1 and t2 of t1..t4, with
  // an empty hash so the item always plans again.
  object g = Group("Eng");
  auto wanted = ComputeDesiredGroup(Scim(), &g, true, {"t1", "t2", "t3", "t4"}, {});
  auto held = ComputeDesiredGroup(Scim(), &g, true, {"t1", "t2"}, {});
  auto progress = Pushed(held);
  progress.desired_hash.clear();
  auto p = PlanGroup(wanted, progress, DeprovisionAction::kDisable, false);
  EXPECT_EQ(p.action, Action::kUpdate);
  EXPECT_FALSE(p.update_object);
  EXPECT_EQ(p.add, (Strings{"t3", "t4"}));
  EXPECT_TRUE(p.remove.empty());
  // All of it had gone through after all: still one (empty) update, to store the hash.
  auto done = Pushed(wanted);
  done.desired_hash.clear();
  auto q = PlanGroup(wanted, done, DeprovisionAction::kDisable, false);
  EXPECT_EQ(q.action, Action::kUpdate);
  EXPECT_TRUE(q.add.empty() && q.remove.empty());
}

TEST(PushedTest, ReadsBackWhatTheLinkStores) {
  object g = Group("Eng");
  auto d = ComputeDesiredGroup(Scim(), &g, true, {"t2", "t1"}, {});
  auto link = Pushed(d);
  EXPECT_EQ(PushedMembers(link), (Strings{"t1", "t2"}));
  EXPECT_EQ(PushedObject(link), d.object);
  EXPECT_TRUE(PushedMembers(std::nullopt).empty());
  link.desired = "not json";
  EXPECT_TRUE(PushedMembers(link).empty());
}

}  // namespace
}  // namespace provisio::provisioning
