// Schemas, the registry and the discovery documents generated from them.
#include "scim/schema.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "scim/discovery.h"
#include "scim/schema_urns.h"
#include "scim/test_resources.h"

namespace provisio::scim {
namespace {

using testing_data::Registry;
using testing_data::UserType;

const boost::json::object* FindAttr(const boost::json::array& attrs, std::string_view name) {
  for (const auto& a : attrs) {
    if (a.at("name").as_string() == name) return &a.as_object();
  }
  return nullptr;
}

struct AttrCase {
  std::string_view path;
  AttributeType type;
  bool multi;
  Mutability mutability;
  Returned returned;
  bool case_exact;
};

class UserAttributeTest : public testing::TestWithParam<AttrCase> {};

TEST_P(UserAttributeTest, MatchesRfc7643) {
  auto path = ParseAttrPath(GetParam().path);
  ASSERT_TRUE(path.ok());
  auto r = UserType().Resolve(*path);
  ASSERT_TRUE(r.ok()) << GetParam().path;
  const Attribute* a = r->sub != nullptr ? r->sub : r->attribute;
  EXPECT_EQ(a->type, GetParam().type) << GetParam().path;
  EXPECT_EQ(a->multi_valued, GetParam().multi) << GetParam().path;
  EXPECT_EQ(a->mutability, GetParam().mutability) << GetParam().path;
  EXPECT_EQ(a->returned, GetParam().returned) << GetParam().path;
  EXPECT_EQ(a->case_exact, GetParam().case_exact) << GetParam().path;
}

constexpr auto S = AttributeType::kString;
constexpr auto C = AttributeType::kComplex;
constexpr auto RW = Mutability::kReadWrite;
constexpr auto RO = Mutability::kReadOnly;
constexpr auto D = Returned::kDefault;

INSTANTIATE_TEST_SUITE_P(
    Rfc7643, UserAttributeTest,
    testing::Values(
        AttrCase{"id", S, false, RO, Returned::kAlways, true},
        AttrCase{"externalId", S, false, RW, D, true}, AttrCase{"meta", C, false, RO, D, false},
        AttrCase{"meta.lastModified", AttributeType::kDateTime, false, RO, D, false},
        AttrCase{"meta.location", AttributeType::kReference, false, RO, D, true},
        AttrCase{"userName", S, false, RW, D, false}, AttrCase{"name", C, false, RW, D, false},
        AttrCase{"name.formatted", S, false, RW, D, false},
        AttrCase{"name.familyName", S, false, RW, D, false},
        AttrCase{"name.givenName", S, false, RW, D, false},
        AttrCase{"name.middleName", S, false, RW, D, false},
        AttrCase{"name.honorificPrefix", S, false, RW, D, false},
        AttrCase{"name.honorificSuffix", S, false, RW, D, false},
        AttrCase{"displayName", S, false, RW, D, false},
        AttrCase{"nickName", S, false, RW, D, false},
        AttrCase{"profileUrl", AttributeType::kReference, false, RW, D, true},
        AttrCase{"title", S, false, RW, D, false}, AttrCase{"userType", S, false, RW, D, false},
        AttrCase{"preferredLanguage", S, false, RW, D, false},
        AttrCase{"locale", S, false, RW, D, false}, AttrCase{"timezone", S, false, RW, D, false},
        AttrCase{"active", AttributeType::kBoolean, false, RW, D, false},
        AttrCase{"password", S, false, Mutability::kWriteOnly, Returned::kNever, false},
        AttrCase{"emails", C, true, RW, D, false}, AttrCase{"emails.value", S, false, RW, D, false},
        AttrCase{"emails.type", S, false, RW, D, false},
        AttrCase{"emails.primary", AttributeType::kBoolean, false, RW, D, false},
        AttrCase{"emails.display", S, false, RW, D, false},
        AttrCase{"phoneNumbers", C, true, RW, D, false}, AttrCase{"ims", C, true, RW, D, false},
        AttrCase{"photos", C, true, RW, D, false},
        AttrCase{"photos.value", AttributeType::kReference, false, RW, D, true},
        AttrCase{"addresses", C, true, RW, D, false},
        AttrCase{"addresses.streetAddress", S, false, RW, D, false},
        AttrCase{"addresses.locality", S, false, RW, D, false},
        AttrCase{"addresses.region", S, false, RW, D, false},
        AttrCase{"addresses.postalCode", S, false, RW, D, false},
        AttrCase{"addresses.country", S, false, RW, D, false},
        AttrCase{"groups", C, true, RO, D, false}, AttrCase{"groups.value", S, false, RO, D, false},
        AttrCase{"groups.$ref", AttributeType::kReference, false, RO, D, true},
        AttrCase{"entitlements", C, true, RW, D, false}, AttrCase{"roles", C, true, RW, D, false},
        AttrCase{"x509Certificates", C, true, RW, D, false},
        AttrCase{"x509Certificates.value", AttributeType::kBinary, false, RW, D, true},
        AttrCase{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", S,
                 false, RW, D, false},
        AttrCase{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter", S, false,
                 RW, D, false},
        AttrCase{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", C, false, RW,
                 D, false},
        AttrCase{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName",
                 S, false, RO, D, false},
        AttrCase{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.$ref",
                 AttributeType::kReference, false, RW, D, true}));

TEST(SchemaTest, UserNameRequiredAndUnique) {
  const Attribute* a = UserType().schema->Find("username");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->required);
  EXPECT_EQ(a->uniqueness, Uniqueness::kServer);
  EXPECT_EQ(a->name, "userName");
}

TEST(SchemaTest, GroupSchema) {
  const ResourceType& g = testing_data::GroupType();
  EXPECT_EQ(g.endpoint, "/Groups");
  EXPECT_TRUE(g.schema->Find("displayName")->required);
  const Attribute* members = g.schema->Find("members");
  ASSERT_NE(members, nullptr);
  EXPECT_TRUE(members->multi_valued);
  EXPECT_EQ(members->FindSub("value")->mutability, Mutability::kImmutable);
  EXPECT_EQ(members->FindSub("type")->canonical_values,
            (std::vector<std::string>{"User", "Group"}));
  EXPECT_TRUE(g.extensions.empty());
}

TEST(SchemaTest, ResolveErrors) {
  EXPECT_EQ(UserType().Resolve({"", "nosuch", ""}).error().code(), Code::kInvalidPath);
  EXPECT_EQ(UserType().Resolve({"", "name", "nosuch"}).error().code(), Code::kInvalidPath);
  EXPECT_EQ(UserType().Resolve({"urn:x:y", "a", ""}).error().code(), Code::kInvalidPath);
  auto whole = UserType().Resolve(
      *ParseAttrPath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->attribute, nullptr);
  EXPECT_TRUE(whole->extension);
  auto core_id =
      UserType().Resolve(*ParseAttrPath("urn:ietf:params:scim:schemas:core:2.0:User:id"));
  ASSERT_TRUE(core_id.ok());
  EXPECT_EQ(core_id->attribute->name, "id");
}

TEST(SchemaTest, RegistryRejectsDuplicatesAndUnknowns) {
  SchemaRegistry r = SchemaRegistry::WithCoreSchemas();
  Schema dup;
  dup.id = std::string(kUserSchema);
  EXPECT_EQ(r.AddSchema(dup).error().code(), Code::kConflict);
  EXPECT_EQ(r.AddResourceType("User", "/Users", "", kUserSchema).error().code(), Code::kConflict);
  EXPECT_EQ(r.AddResourceType("Device", "/Devices", "", "urn:none").error().code(),
            Code::kNotFound);
  EXPECT_EQ(r.AddExtension("Nope", kEnterpriseUserSchema, false).error().code(), Code::kNotFound);
  EXPECT_EQ(r.AddExtension("User", kEnterpriseUserSchema, false).error().code(), Code::kConflict);
  EXPECT_EQ(r.FindResourceTypeByEndpoint("/groups")->id, "Group");
  EXPECT_EQ(r.FindSchema("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER")->name, "User");
}

TEST(SchemaTest, RegistryMoveKeepsPointers) {
  SchemaRegistry a = SchemaRegistry::WithCoreSchemas();
  const ResourceType* user = a.FindResourceType("User");
  SchemaRegistry b = std::move(a);
  EXPECT_EQ(b.FindResourceType("User"), user);
  EXPECT_EQ(user->extensions[0].schema, b.FindSchema(kEnterpriseUserSchema));
}

TEST(SchemaTest, CustomExtensionAppearsEverywhere) {
  SchemaRegistry r = SchemaRegistry::WithCoreSchemas();
  Schema ext;
  ext.id = "urn:example:custom:1.0:User";
  ext.name = "Custom";
  ext.description = "Custom attributes";
  Attribute badge;
  badge.name = "badge";
  ext.attributes.push_back(badge);
  ASSERT_TRUE(r.AddSchema(ext).ok());
  ASSERT_TRUE(r.AddExtension("User", ext.id, true).ok());
  auto types = ResourceTypesDocument(r, "https://x/scim/v2");
  const auto& user = types.at("Resources").as_array()[0].as_object();
  const auto& exts = user.at("schemaExtensions").as_array();
  ASSERT_EQ(exts.size(), 2u);
  EXPECT_EQ(exts[1].at("schema"), "urn:example:custom:1.0:User");
  EXPECT_EQ(exts[1].at("required"), true);
  auto schemas = SchemasDocument(r, "https://x/scim/v2");
  EXPECT_EQ(schemas.at("totalResults"), 4);
  auto p = ParseAttrPath("urn:example:custom:1.0:User:badge");
  EXPECT_TRUE(r.FindResourceType("User")->Resolve(*p).ok());
}

TEST(DiscoveryTest, SchemaDocumentFollowsRfc7643Section8_7) {
  auto doc = SchemaDocument(*UserType().schema, "https://example.com/v2");
  EXPECT_EQ(doc.at("id"), boost::json::value(kUserSchema));
  EXPECT_EQ(doc.at("name"), "User");
  EXPECT_EQ(doc.at("schemas").as_array()[0], "urn:ietf:params:scim:schemas:core:2.0:Schema");
  EXPECT_EQ(doc.at("meta").at("location"),
            "https://example.com/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
  const auto& attrs = doc.at("attributes").as_array();
  EXPECT_EQ(attrs.size(), 21u);
  const auto* user_name = FindAttr(attrs, "userName");
  ASSERT_NE(user_name, nullptr);
  EXPECT_EQ(boost::json::serialize(*user_name),
            R"({"name":"userName","type":"string","multiValued":false,"description":"Unique )"
            R"(identifier for the User, typically used by the user to directly authenticate to )"
            R"(the service provider.","required":true,"caseExact":false,"mutability":"readWrite",)"
            R"("returned":"default","uniqueness":"server"})");
  const auto* emails = FindAttr(attrs, "emails");
  ASSERT_NE(emails, nullptr);
  EXPECT_EQ(emails->at("multiValued"), true);
  EXPECT_EQ(emails->at("subAttributes").as_array().size(), 4u);
  const auto* type = FindAttr(emails->at("subAttributes").as_array(), "type");
  EXPECT_EQ(boost::json::serialize(type->at("canonicalValues")), R"(["work","home","other"])");
  const auto* password = FindAttr(attrs, "password");
  EXPECT_EQ(password->at("returned"), "never");
  EXPECT_EQ(password->at("mutability"), "writeOnly");
  const auto* groups = FindAttr(attrs, "groups");
  EXPECT_EQ(groups->at("mutability"), "readOnly");
  const auto* ref = FindAttr(groups->at("subAttributes").as_array(), "$ref");
  EXPECT_EQ(boost::json::serialize(ref->at("referenceTypes")), R"(["User","Group"])");
  EXPECT_FALSE(FindAttr(attrs, "id"));  // common attributes are not schema attributes
}

TEST(DiscoveryTest, SchemasListsAll) {
  auto doc = SchemasDocument(Registry(), "https://example.com/v2");
  EXPECT_EQ(doc.at("schemas").as_array()[0], boost::json::value(kListResponseSchema));
  EXPECT_EQ(doc.at("totalResults"), 3);
  EXPECT_EQ(doc.at("itemsPerPage"), 3);
  EXPECT_EQ(doc.at("startIndex"), 1);
  const auto& items = doc.at("Resources").as_array();
  EXPECT_EQ(items[1].at("id"), boost::json::value(kGroupSchema));
  EXPECT_EQ(items[2].at("id"), boost::json::value(kEnterpriseUserSchema));
  EXPECT_EQ(items[2].at("attributes").as_array().size(), 6u);
}

TEST(DiscoveryTest, ResourceTypesFollowRfc7643Section8_6) {
  auto doc = ResourceTypesDocument(Registry(), "https://example.com/v2");
  const auto& items = doc.at("Resources").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(boost::json::serialize(items[0]),
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],"id":"User",)"
            R"("name":"User","endpoint":"/Users","description":"User Account",)"
            R"("schema":"urn:ietf:params:scim:schemas:core:2.0:User","schemaExtensions":)"
            R"([{"schema":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",)"
            R"("required":false}],"meta":{"resourceType":"ResourceType",)"
            R"("location":"https://example.com/v2/ResourceTypes/User"}})");
  EXPECT_FALSE(items[1].as_object().contains("schemaExtensions"));
}

TEST(DiscoveryTest, ServiceProviderConfig) {
  ServiceProviderFeatures f;
  f.bulk_max_operations = 500;
  f.filter_max_results = 200;
  f.change_password = true;
  f.documentation_uri = "https://provisio.example/docs";
  auto doc = ServiceProviderConfigDocument(f, "https://example.com/v2");
  EXPECT_EQ(doc.at("schemas").as_array()[0], boost::json::value(kServiceProviderConfigSchema));
  EXPECT_EQ(doc.at("patch").at("supported"), true);
  EXPECT_EQ(doc.at("bulk").at("maxOperations"), 500);
  EXPECT_EQ(doc.at("bulk").at("maxPayloadSize"), 1048576);
  EXPECT_EQ(doc.at("filter").at("maxResults"), 200);
  EXPECT_EQ(doc.at("changePassword").at("supported"), true);
  EXPECT_EQ(doc.at("sort").at("supported"), true);
  EXPECT_EQ(doc.at("etag").at("supported"), true);
  EXPECT_EQ(doc.at("documentationUri"), "https://provisio.example/docs");
  const auto& schemes = doc.at("authenticationSchemes").as_array();
  ASSERT_EQ(schemes.size(), 1u);
  EXPECT_EQ(schemes[0].at("type"), "oauthbearertoken");
  EXPECT_EQ(schemes[0].at("primary"), true);
  EXPECT_EQ(doc.at("meta").at("location"), "https://example.com/v2/ServiceProviderConfig");
  f.patch = false;
  f.authentication_schemes.push_back({"httpbasic", "HTTP Basic", "Basic", "", "", false});
  auto doc2 = ServiceProviderConfigDocument(f, "");
  EXPECT_EQ(doc2.at("patch").at("supported"), false);
  EXPECT_EQ(doc2.at("authenticationSchemes").as_array().size(), 2u);
  EXPECT_FALSE(doc2.at("authenticationSchemes").as_array()[1].as_object().contains("specUri"));
}

}  // namespace
}  // namespace provisio::scim
