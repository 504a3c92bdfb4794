#include "connectors/scim2/scim_diff.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "scim/schema_urns.h"

namespace provisio::connectors::scim2 {
namespace {

boost::json::object Obj(std::string_view text) { return boost::json::parse(text).as_object(); }
std::string Diff(std::string_view current, std::string_view desired) {
  return boost::json::serialize(DiffToPatchOperations(Obj(current), Obj(desired)));
}

TEST(ScimDiffTest, NothingWhenDesiredAgrees) {
  EXPECT_EQ(Diff(R"({"id":"1","userName":"a","active":true,"title":"x"})",
                 R"({"userName":"a","active":true})"),
            "[]");
}

TEST(ScimDiffTest, ReplacesChangedSimpleAndSubAttributes) {
  EXPECT_EQ(Diff(R"({"userName":"a","name":{"givenName":"A","familyName":"B"}})",
                 R"({"userName":"a","name":{"givenName":"Ann","familyName":"B"},"title":"T"})"),
            R"([{"op":"replace","path":"name.givenName","value":"Ann"},)"
            R"({"op":"replace","path":"title","value":"T"}])");
}

TEST(ScimDiffTest, ExtensionAttributesUseTheUrnPath) {
  const char* urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  std::string current = std::string(R"({")") + urn + R"(":{"department":"Ops"}})";
  std::string desired = std::string(R"({")") + urn + R"(":{"department":"Dev"}})";
  EXPECT_EQ(Diff(current, desired),
            std::string(R"([{"op":"replace","path":")") + urn + R"(:department","value":"Dev"}])");
}

TEST(ScimDiffTest, NullRemovesAndMultiValuedReplacesWhole) {
  EXPECT_EQ(Diff(R"({"title":"T","emails":[{"value":"a@x"}]})",
                 R"({"title":null,"emails":[{"value":"b@x"}],"nickName":null})"),
            R"([{"op":"remove","path":"title"},)"
            R"({"op":"replace","path":"emails","value":[{"value":"b@x"}]}])");
}

TEST(ScimDiffTest, MergeForReplaceLaysDesiredOverCurrent) {
  auto merged = MergeForReplace(Obj(R"({"id":"1","meta":{},"userName":"a","name":{"givenName":"A",)"
                                    R"("familyName":"B"},"title":"T"})"),
                                Obj(R"({"name":{"givenName":"Z"},"title":null,"active":false})"));
  EXPECT_EQ(
      boost::json::value(merged),
      boost::json::parse(
          R"({"id":"1","userName":"a","name":{"givenName":"Z","familyName":"B"},"active":false})"));
}

}  // namespace
}  // namespace provisio::connectors::scim2

namespace provisio::connectors::scim2 {
namespace {

TEST(ScimSchemasTest, ListsTheCoreSchemaAndEachExtensionInUse) {
  constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  boost::json::object user{{"userName", "a"},
                           {kEnterprise, boost::json::object{{"department", "R&D"}}}};
  SetSchemas(user, scim::kUserSchema);
  EXPECT_EQ(user.at("schemas"), (boost::json::array{scim::kUserSchema, kEnterprise}));

  boost::json::object plain{{"userName", "b"}};
  SetSchemas(plain, scim::kUserSchema);
  EXPECT_EQ(plain.at("schemas"), (boost::json::array{scim::kUserSchema}));

  // Schemas the mapping set itself are kept as they are.
  boost::json::object own{{"schemas", boost::json::array{"urn:example:Custom"}}, {"userName", "c"}};
  SetSchemas(own, scim::kUserSchema);
  EXPECT_EQ(own.at("schemas"), (boost::json::array{"urn:example:Custom"}));
}

}  // namespace
}  // namespace provisio::connectors::scim2
