// Resource validation/normalisation and serialisation with projection.
#include "scim/resource.h"

#include <gtest/gtest.h>

#include "scim/test_resources.h"

namespace provisio::scim {
namespace {

using boost::json::serialize;
using testing_data::FullUser;
using testing_data::GroupType;
using testing_data::Json;
using testing_data::UserType;

Result<boost::json::object> Create(std::string_view text, const ResourceType& t = UserType()) {
  return NormalizeResource(Json(text), t);
}

TEST(NormalizeTest, MinimalUserRfc7643Section8_1) {
  auto r = Create(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
                      "id":"2819c223-7f76-453a-919d-413861904646","userName":"bjensen@example.com",
                      "meta":{"resourceType":"User"}})");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(serialize(*r), R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],)"
                           R"("userName":"bjensen@example.com"})");
}

TEST(NormalizeTest, FullUserRoundTripsAsStored) {
  NormalizeOptions stored;
  stored.mode = WriteMode::kStored;
  auto r = NormalizeResource(FullUser(), UserType(), stored);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(*r, FullUser());
}

TEST(NormalizeTest, FullUserOnCreateDropsReadOnly) {
  auto r = NormalizeResource(FullUser(), UserType());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->contains("id"));
  EXPECT_FALSE(r->contains("meta"));
  EXPECT_FALSE(r->contains("groups"));
  EXPECT_TRUE(r->contains("password"));  // writeOnly is accepted on input
  const auto& mgr =
      r->at("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").at("manager").as_object();
  EXPECT_FALSE(mgr.contains("displayName"));  // readOnly sub-attribute
  EXPECT_TRUE(mgr.contains("value"));
}

TEST(NormalizeTest, CanonicalCaseForNames) {
  auto r =
      Create(R"({"USERNAME":"a","Name":{"GIVENNAME":"B"},"EMAILS":[{"VALUE":"x@y","Type":"work",
                      "PRIMARY":"True"}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:user":
                      {"EmployeeNumber":"7"}})");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(
      serialize(*r),
      R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",)"
      R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"a",)"
      R"("name":{"givenName":"B"},"emails":[{"value":"x@y","type":"work","primary":true}],)"
      R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"7"}})");
}

TEST(NormalizeTest, DottedAndUrnQualifiedKeys) {
  auto r = Create(
      R"({"userName":"a","name.givenName":"G","name.familyName":"F",
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"D",
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value":"M",
          "urn:ietf:params:scim:schemas:core:2.0:User:title":"T"})");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->at("name").at("givenName"), "G");
  EXPECT_EQ(r->at("name").at("familyName"), "F");
  EXPECT_EQ(r->at("title"), "T");
  const auto& ext = r->at("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
  EXPECT_EQ(ext.at("department"), "D");
  EXPECT_EQ(ext.at("manager").at("value"), "M");
}

struct BoolCase {
  std::string_view json;
  bool expected;
};
class BooleanStringTest : public testing::TestWithParam<BoolCase> {};
TEST_P(BooleanStringTest, EntraBooleansAccepted) {
  auto r = Create(std::string(R"({"userName":"a","active":)") + std::string(GetParam().json) + "}");
  ASSERT_TRUE(r.ok()) << GetParam().json;
  EXPECT_EQ(r->at("active"), GetParam().expected);
}
INSTANTIATE_TEST_SUITE_P(Entra, BooleanStringTest,
                         testing::Values(BoolCase{"true", true}, BoolCase{"false", false},
                                         BoolCase{R"("True")", true}, BoolCase{R"("False")", false},
                                         BoolCase{R"("TRUE")", true},
                                         BoolCase{R"("false")", false}));

struct BadCase {
  std::string_view json;
  Code code;
  std::string_view message_part;
};
class InvalidResourceTest : public testing::TestWithParam<BadCase> {};
TEST_P(InvalidResourceTest, PreciseError) {
  auto r = Create(GetParam().json);
  ASSERT_FALSE(r.ok()) << GetParam().json;
  EXPECT_EQ(r.error().code(), GetParam().code) << r.error().ToString();
  EXPECT_NE(r.error().message().find(GetParam().message_part), std::string::npos)
      << r.error().message();
}
INSTANTIATE_TEST_SUITE_P(
    Errors, InvalidResourceTest,
    testing::Values(
        BadCase{R"({})", Code::kInvalidValue, "required attribute 'userName'"},
        BadCase{R"({"userName":null})", Code::kInvalidValue, "required attribute 'userName'"},
        BadCase{R"({"userName":5})", Code::kInvalidValue, "'userName' must be a string"},
        BadCase{R"({"userName":"a","active":"yes"})", Code::kInvalidValue,
                "'active' must be a boolean"},
        BadCase{R"({"userName":"a","active":1})", Code::kInvalidValue,
                "'active' must be a boolean"},
        BadCase{R"({"userName":"a","name":"x"})", Code::kInvalidValue, "'name' must be an object"},
        BadCase{R"({"userName":"a","name":{"first":"x"}})", Code::kInvalidValue,
                "unknown sub-attribute 'name.first'"},
        BadCase{R"({"userName":"a","emails":[{"value":7}]})", Code::kInvalidValue,
                "'emails.value' must be a string"},
        BadCase{
            R"({"userName":"a","emails":[{"value":"a","primary":true},{"value":"b","primary":true}]})",
            Code::kInvalidValue, "more than one value with primary true"},
        BadCase{R"({"userName":"a","emails":["a@b"]})", Code::kInvalidValue,
                "'emails' must be an object"},
        BadCase{R"({"userName":"a","title":["x"]})", Code::kInvalidValue, "single-valued"},
        BadCase{R"({"userName":"a","shoeSize":42})", Code::kInvalidValue,
                "unknown attribute 'shoeSize'"},
        BadCase{R"({"userName":"a","schemas":"x"})", Code::kInvalidValue, "'schemas' must be"},
        BadCase{R"({"userName":"a","schemas":["urn:nope"]})", Code::kInvalidValue,
                "schema 'urn:nope' is not a schema of User"},
        BadCase{
            R"({"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":5})",
            Code::kInvalidValue, "must be an object"},
        BadCase{R"({"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
                   {"manager":{"value":1}}})",
                Code::kInvalidValue, "'manager.value' must be a string"},
        BadCase{R"({"userName":"a","emails.value":"x"})", Code::kInvalidValue,
                "multi-valued attribute 'emails'"},
        BadCase{R"({"userName":"a","name.nosuch":"x"})", Code::kInvalidValue, "unknown attribute"},
        BadCase{R"({"userName":"a","x509Certificates":[{"value":true}]})", Code::kInvalidValue,
                "'x509Certificates.value' must be a string"}));

TEST(NormalizeTest, IgnoreUnknownOption) {
  NormalizeOptions o;
  o.ignore_unknown = true;
  auto r = NormalizeResource(
      Json(R"({"userName":"a","shoeSize":42,"name":{"first":"x","givenName":"y"}})"), UserType(),
      o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->contains("shoeSize"));
  EXPECT_EQ(serialize(r->at("name")), R"({"givenName":"y"})");
}

TEST(NormalizeTest, LoneValueForMultiValuedIsWrapped) {
  auto r = Create(R"({"userName":"a","emails":{"value":"x@y"}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(serialize(r->at("emails")), R"([{"value":"x@y"}])");
}

TEST(NormalizeTest, NullsAndEmptiesAreUnassigned) {
  auto r = Create(R"({"userName":"a","title":null,"emails":[],"name":{},"phoneNumbers":[null]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(serialize(*r),
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a"})");
}

TEST(NormalizeTest, GroupRequiresDisplayName) {
  auto bad = Create(R"({"members":[]})", GroupType());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("displayName"), std::string::npos);
  auto ok = Create(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G",
                       "members":[{"value":"1","display":"A","type":"User"}]})",
                   GroupType());
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
}

TEST(NormalizeTest, ReplaceKeepsReadOnlyFromExisting) {
  auto existing = FullUser();
  NormalizeOptions o;
  o.mode = WriteMode::kReplace;
  o.existing = &existing;
  auto r = NormalizeResource(Json(R"({"userName":"new","id":"forged","meta":{"version":"x"}})"),
                             UserType(), o);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->at("id"), existing.at("id"));
  EXPECT_EQ(r->at("meta"), existing.at("meta"));
  EXPECT_EQ(r->at("groups"), existing.at("groups"));
  EXPECT_EQ(r->at("userName"), "new");
  EXPECT_FALSE(r->contains("title"));
}

TEST(NormalizeTest, ReplaceEnforcesImmutable) {
  SchemaRegistry reg = SchemaRegistry::WithCoreSchemas();
  Schema ext;
  ext.id = "urn:example:imm:1.0:User";
  Attribute badge;
  badge.name = "badge";
  badge.mutability = Mutability::kImmutable;
  ext.attributes.push_back(badge);
  ASSERT_TRUE(reg.AddSchema(ext).ok());
  ASSERT_TRUE(reg.AddExtension("User", ext.id, false).ok());
  const ResourceType& t = *reg.FindResourceType("User");
  auto existing = Json(R"({"userName":"a","urn:example:imm:1.0:User":{"badge":"B1"}})");
  NormalizeOptions o;
  o.mode = WriteMode::kReplace;
  o.existing = &existing;
  auto same = NormalizeResource(
      Json(R"({"userName":"a","urn:example:imm:1.0:User":{"badge":"B1"}})"), t, o);
  EXPECT_TRUE(same.ok());
  auto omitted = NormalizeResource(Json(R"({"userName":"b"})"), t, o);
  ASSERT_TRUE(omitted.ok());
  EXPECT_EQ(omitted->at("urn:example:imm:1.0:User").at("badge"), "B1");
  auto changed = NormalizeResource(
      Json(R"({"userName":"a","urn:example:imm:1.0:User":{"badge":"B2"}})"), t, o);
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().code(), Code::kMutability);
}

TEST(NormalizeTest, RequiredExtension) {
  SchemaRegistry reg = SchemaRegistry::WithCoreSchemas();
  Schema ext;
  ext.id = "urn:example:req:1.0:User";
  Attribute code;
  code.name = "code";
  code.required = true;
  ext.attributes.push_back(code);
  ASSERT_TRUE(reg.AddSchema(ext).ok());
  ASSERT_TRUE(reg.AddExtension("User", ext.id, true).ok());
  const ResourceType& t = *reg.FindResourceType("User");
  EXPECT_EQ(NormalizeResource(Json(R"({"userName":"a"})"), t).error().code(), Code::kInvalidValue);
  EXPECT_EQ(NormalizeResource(Json(R"({"userName":"a","urn:example:req:1.0:User":{"x":1}})"), t)
                .error()
                .code(),
            Code::kInvalidValue);
  EXPECT_TRUE(
      NormalizeResource(Json(R"({"userName":"a","urn:example:req:1.0:User":{"code":"c"}})"), t)
          .ok());
}

// ---- serialisation ---------------------------------------------------------------------------

boost::json::object Project(std::string_view attrs, std::string_view excluded,
                            const boost::json::object& r = FullUser(),
                            const ResourceType& t = UserType()) {
  auto p = ParseProjection(attrs, excluded, t);
  EXPECT_TRUE(p.ok());
  return SerializeResource(r, t, *p);
}

TEST(SerializeTest, NeverReturnsPassword) {
  auto out = SerializeResource(FullUser(), UserType());
  EXPECT_FALSE(out.contains("password"));
  EXPECT_TRUE(out.contains("groups"));
  EXPECT_TRUE(out.contains("meta"));
  auto copy = FullUser();
  copy.erase("password");
  EXPECT_EQ(out, copy);
  EXPECT_FALSE(Project("password", "").contains("password"));
}

TEST(SerializeTest, AttributesKeepAlways) {
  auto out = Project("userName", "");
  EXPECT_EQ(serialize(out),
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",)"
            R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],)"
            R"("id":"2819c223-7f76-453a-919d-413861904646","userName":"bjensen@example.com"})");
}

TEST(SerializeTest, AttributesCaseInsensitiveWithSubAttributes) {
  auto out = Project(" USERNAME , name.givenName,emails.VALUE", "");
  EXPECT_EQ(serialize(out.at("name")), R"({"givenName":"Barbara"})");
  EXPECT_EQ(serialize(out.at("emails")),
            R"([{"value":"bjensen@example.com"},{"value":"babs@jensen.org"}])");
  EXPECT_EQ(out.size(), 5u);
}

TEST(SerializeTest, UrnQualifiedProjection) {
  auto out = Project(
      "urn:ietf:params:scim:schemas:core:2.0:User:displayName,"
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
      "");
  EXPECT_EQ(out.at("displayName"), "Babs Jensen");
  EXPECT_EQ(serialize(out.at("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")),
            R"({"manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d"}})");
  auto whole = Project("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "");
  EXPECT_EQ(
      whole.at("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").as_object().size(),
      6u);
  EXPECT_FALSE(whole.contains("userName"));
}

TEST(SerializeTest, ExcludedAttributes) {
  auto out = Project("", "emails,name.familyName,meta,ID");
  EXPECT_FALSE(out.contains("emails"));
  EXPECT_TRUE(out.contains("id"));  // always
  EXPECT_FALSE(out.contains("meta"));
  EXPECT_FALSE(out.at("name").as_object().contains("familyName"));
  EXPECT_TRUE(out.at("name").as_object().contains("givenName"));
  EXPECT_TRUE(out.contains("userName"));
}

TEST(SerializeTest, GroupWithoutMembersForEntra) {
  auto out = Project("", "members", testing_data::ExampleGroup(), GroupType());
  EXPECT_FALSE(out.contains("members"));
  EXPECT_EQ(out.at("displayName"), "Tour Guides");
}

TEST(SerializeTest, UnknownProjectionAttributesIgnored) {
  auto out = Project("nosuch", "");
  EXPECT_EQ(out.size(), 2u);  // schemas and id
  EXPECT_FALSE(ParseProjection("user name", "", UserType()).ok());
  EXPECT_EQ(ParseProjection("", "9x", UserType()).error().code(), Code::kInvalidPath);
}

TEST(SerializeTest, RequestReturnedOnlyWhenAsked) {
  SchemaRegistry reg = SchemaRegistry::WithCoreSchemas();
  Schema ext;
  ext.id = "urn:example:req:1.0:User";
  Attribute secret;
  secret.name = "hint";
  secret.returned = Returned::kRequest;
  ext.attributes.push_back(secret);
  ASSERT_TRUE(reg.AddSchema(ext).ok());
  ASSERT_TRUE(reg.AddExtension("User", ext.id, false).ok());
  const ResourceType& t = *reg.FindResourceType("User");
  auto r = Json(R"({"userName":"a","urn:example:req:1.0:User":{"hint":"h"}})");
  EXPECT_FALSE(SerializeResource(r, t).contains("urn:example:req:1.0:User"));
  auto p = ParseProjection("urn:example:req:1.0:User:hint", "", t);
  EXPECT_EQ(SerializeResource(r, t, *p).at("urn:example:req:1.0:User").at("hint"), "h");
}

TEST(SerializeTest, UnknownStoredAttributesDoNotLeak) {
  auto r = Json(R"({"userName":"a","internalNote":"x","name":{"givenName":"g","secret":"s"}})");
  auto out = SerializeResource(r, UserType());
  EXPECT_FALSE(out.contains("internalNote"));
  EXPECT_EQ(serialize(out.at("name")), R"({"givenName":"g"})");
}

}  // namespace
}  // namespace provisio::scim
