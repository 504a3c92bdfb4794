// Splitting an import's update into what applies and what waits for an admin.
#include "importsync/held.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "importsync/policy.h"
#include "importsync/source_mapper.h"

namespace provisio::importsync {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::parse;

constexpr const char* kEnt = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

std::string Ent(const char* attr) { return std::string(kEnt) + ":" + attr; }

TEST(Held, PathsMatchByFullOrShortNameAndUnderAnObject) {
  std::vector<std::string> held = {"Department", "name", "manager"};
  EXPECT_TRUE(IsHeldPath(Ent("department"), held));
  EXPECT_TRUE(IsHeldPath("department", held));
  EXPECT_TRUE(IsHeldPath(Ent("manager"), held));
  EXPECT_TRUE(IsHeldPath("name.givenName", held));
  EXPECT_TRUE(IsHeldPath("name", held));
  EXPECT_FALSE(IsHeldPath("nameSuffix", held));  // a prefix of a name is not the attribute
  EXPECT_FALSE(IsHeldPath("title", held));
  EXPECT_FALSE(IsHeldPath(Ent("costCenter"), held));
  EXPECT_TRUE(IsHeldPath(Ent("costCenter"), {Ent("costCenter")}));
  EXPECT_FALSE(IsHeldPath("title", {}));
}

TEST(Held, AnUpdateIsSplitIntoWhatAppliesAndWhatIsHeld) {
  object current = parse(R"({"userName":"ann","title":"Clerk","name":{"givenName":"Ann"},
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}})")
                       .as_object();
  object desired = parse(R"({"userName":"ann","title":"Engineer","name":{"givenName":"Anne"},
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D"}})")
                       .as_object();
  SplitPatch s = SplitHeld(MinimalPatch(current, desired), {"department", "title"}, {});
  ASSERT_EQ(s.apply.at("Operations").as_array().size(), 1u);
  EXPECT_EQ(s.apply.at("Operations").at(0).at("path"), "name.givenName");
  ASSERT_EQ(s.held.size(), 2u);
  object change = HeldChange(s.held, current);
  EXPECT_EQ(change.at("changes"), parse(R"([{"path":"title","before":"Clerk","after":"Engineer"},
                      {"path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                       "before":"Sales","after":"R&D"}])"));
  EXPECT_TRUE(s.dropped.empty());
}

TEST(Held, AWholeExtensionIsSplitSoOnlyTheHeldMemberWaits) {
  object current = parse(R"({"userName":"ann"})").as_object();
  object desired = parse(R"({"userName":"ann",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D","employeeNumber":"7"}})")
                       .as_object();
  SplitPatch s = SplitHeld(MinimalPatch(current, desired), {"department"}, {});
  ASSERT_EQ(s.apply.at("Operations").as_array().size(), 1u);
  EXPECT_EQ(s.apply.at("Operations").at(0).at("path").as_string(), Ent("employeeNumber"));
  ASSERT_EQ(s.held.size(), 1u);
  EXPECT_EQ(s.held.at(0).at("path").as_string(), Ent("department"));
  EXPECT_TRUE(HeldChange(s.held, current).at("changes").at(0).at("before").is_null());
}

TEST(Held, ARejectedValueIsNotHeldAgainButAnotherValueIs) {
  object current = parse(R"({"title":"Clerk"})").as_object();
  object rejected{{"title", "Engineer"}};
  SplitPatch same = SplitHeld(MinimalPatch(current, parse(R"({"title":"Engineer"})").as_object()),
                              {"title"}, rejected);
  EXPECT_TRUE(same.held.empty());
  EXPECT_EQ(same.dropped.size(), 1u);
  EXPECT_TRUE(same.apply.at("Operations").as_array().empty());
  SplitPatch other = SplitHeld(MinimalPatch(current, parse(R"({"title":"Manager"})").as_object()),
                               {"title"}, rejected);
  EXPECT_EQ(other.held.size(), 1u);
}

TEST(Held, NothingHeldWithoutAPolicy) {
  object patch =
      MinimalPatch(parse(R"({"title":"a"})").as_object(), parse(R"({"title":"b"})").as_object());
  SplitPatch s = SplitHeld(patch, {}, {});
  EXPECT_EQ(s.apply, patch);
  EXPECT_TRUE(s.held.empty());
}

TEST(Held, ValueAtReadsPlainDottedAndExtensionPaths) {
  object u = parse(R"({"title":"T","name":{"givenName":"G"},
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m1"}}})")
                 .as_object();
  EXPECT_EQ(ValueAt(u, "Title"), "T");
  EXPECT_EQ(ValueAt(u, "name.givenName"), "G");
  EXPECT_EQ(ValueAt(u, Ent("manager")), parse(R"({"value":"m1"})"));
  EXPECT_EQ(ValueAt(u, Ent("manager.value")), "m1");
  EXPECT_TRUE(ValueAt(u, Ent("department")).is_null());
  EXPECT_TRUE(ValueAt(u, "nickName").is_null());
}

TEST(Held, ASourceRecordKeepsNoSecrets) {
  object ldap =
      parse(R"({"uid":"ann","userPassword":"e1NTSEF9eHl6","unicodePwd":"IgBzAGUAYwByAGUAdAAiAA==",
      "sambaNTPassword":"8846F7EAEE8FB117AD06BDD830B7586C","mail":["ann@example.com"]})")
          .as_object();
  object shown = ShownSource(ldap);
  EXPECT_EQ(shown.at("uid"), "ann");
  EXPECT_EQ(shown.at("mail"), parse(R"(["ann@example.com"])"));
  for (const char* k : {"userPassword", "unicodePwd", "sambaNTPassword"}) {
    EXPECT_EQ(shown.at(k), "[redacted]") << k;
  }
}

TEST(Policy, HoldAttributesFromSettingsAndRequest) {
  auto p = ParsePolicy(object{{"import_hold_attributes", array{"department"}}}, {});
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->hold_attributes, std::vector<std::string>{"department"});
  auto q = ParsePolicy(object{{"import_hold_attributes", array{"department"}}},
                       object{{"hold_attributes", array{"title", "manager"}}});
  EXPECT_EQ(q->hold_attributes, (std::vector<std::string>{"title", "manager"}));
  EXPECT_EQ(PolicyFromJson(PolicyJson(*q)).hold_attributes, q->hold_attributes);
  for (const char* bad : {R"("title")", R"([""])", R"([1])", R"(["a b"])"}) {
    auto r = ParsePolicy({}, object{{"hold_attributes", parse(bad)}});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().details().at("field"), "hold_attributes");
  }
}

}  // namespace
}  // namespace provisio::importsync
