// PATCH: RFC 7644 §3.5.2 examples, Entra ID and Okta request shapes, every error, primary
// handling and member extraction.
#include "scim/patch.h"

#include <gtest/gtest.h>

#include "scim/test_resources.h"

namespace provisio::scim {
namespace {

using boost::json::serialize;
using testing_data::GroupType;
using testing_data::Json;
using testing_data::UserType;

std::string Ops(std::string_view ops) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
         std::string(ops) + "}";
}

const char* kGroup = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
  "id":"acbf3ae7-8463-4692-b4fd-9b4da3f908ce","displayName":"Tour Guides",
  "members":[{"value":"2819c223-7f76-453a-919d-413861904646","display":"Babs Jensen"},
             {"value":"902c246b-6245-4190-8e05-00816be7344a","display":"Mandy Pepperidge"}]})";

const char* kUser = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
  "id":"2819c223","userName":"bjensen","active":true,"nickName":"Babs",
  "name":{"givenName":"Barbara","familyName":"Jensen"},
  "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
            {"value":"babs@jensen.org","type":"home"}],
  "addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood"},
               {"type":"home","streetAddress":"456 Hollywood Blvd"}],
  "meta":{"resourceType":"User","lastModified":"2011-05-13T04:42:34Z"}})";

struct PatchCase {
  std::string_view name;
  const char* resource;
  bool group;
  std::string_view operations;   // the Operations array
  std::string_view expected;     // a JSON object the result must contain (checked by key) or ""
  Code error = Code::kInternal;  // when expected is empty
};

void PrintTo(const PatchCase& c, std::ostream* os) { *os << c.name; }

// Every top-level key of `expected` must equal the result's; a key mapped to null must be absent.
void ExpectContains(const boost::json::object& result, const boost::json::object& expected) {
  for (const auto& kv : expected) {
    if (kv.value().is_null()) {
      EXPECT_FALSE(result.contains(kv.key())) << kv.key() << " in " << serialize(result);
      continue;
    }
    const boost::json::value* got = result.if_contains(kv.key());
    ASSERT_NE(got, nullptr) << kv.key() << " missing in " << serialize(result);
    EXPECT_EQ(*got, kv.value()) << kv.key() << ": got " << serialize(*got) << " want "
                                << serialize(kv.value());
  }
}

class PatchTableTest : public testing::TestWithParam<PatchCase> {};

TEST_P(PatchTableTest, Applies) {
  const PatchCase& c = GetParam();
  const ResourceType& type = c.group ? GroupType() : UserType();
  auto result = ApplyPatch(Json(c.resource), boost::json::parse(Ops(c.operations)), type);
  if (c.expected.empty()) {
    ASSERT_FALSE(result.ok()) << c.name << ": " << serialize(*result);
    EXPECT_EQ(result.error().code(), c.error) << c.name << ": " << result.error().ToString();
    return;
  }
  ASSERT_TRUE(result.ok()) << c.name << ": " << result.error().ToString();
  ExpectContains(*result, Json(c.expected));
}

const auto kRfcCases = testing::Values(
    // §3.5.2.1 add
    PatchCase{
        "AddMembers", kGroup, true,
        R"([{"op":"add","path":"members","value":[{"display":"Babs Jensen",
                  "$ref":"https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
                  "value":"2819c223-7f76-453a-919d-413861904646"}, {"value":"new-id"}]}])",
        R"({"members":[{"value":"2819c223-7f76-453a-919d-413861904646","display":"Babs Jensen",
                  "$ref":"https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"},
                 {"value":"902c246b-6245-4190-8e05-00816be7344a","display":"Mandy Pepperidge"},
                 {"value":"new-id"}]})"},
    PatchCase{
        "AddWithoutPath", kUser, false,
        R"([{"op":"add","value":{"emails":[{"value":"babs@jensen.org","type":"home"},
                  {"value":"b2@x.org","type":"other"}],"nickname":"Babs2"}}])",
        R"({"nickName":"Babs2","emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                  {"value":"babs@jensen.org","type":"home"},{"value":"b2@x.org","type":"other"}]})"},
    PatchCase{
        "AddSingleValuedReplaces", kUser, false,
        R"([{"op":"add","path":"title","value":"Tour Guide"},{"op":"add","path":"nickName","value":"B"}])",
        R"({"title":"Tour Guide","nickName":"B"})"},
    PatchCase{"AddComplexMerges", kUser, false,
              R"([{"op":"add","path":"name","value":{"middleName":"Jane"}}])",
              R"({"name":{"givenName":"Barbara","familyName":"Jensen","middleName":"Jane"}})"},
    // §3.5.2.2 remove
    PatchCase{
        "RemoveOneMember", kGroup, true,
        R"([{"op":"remove","path":"members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"}])",
        R"({"members":[{"value":"902c246b-6245-4190-8e05-00816be7344a","display":"Mandy Pepperidge"}]})"},
    PatchCase{"RemoveAllMembers", kGroup, true, R"([{"op":"remove","path":"members"}])",
              R"({"members":null,"displayName":"Tour Guides"})"},
    PatchCase{
        "RemoveTwoMembers", kGroup, true,
        R"([{"op":"remove","path":"members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"},
                  {"op":"remove","path":"members[value eq \"902c246b-6245-4190-8e05-00816be7344a\"]"}])",
        R"({"members":null})"},
    PatchCase{
        "RemoveAndReplaceMembers", kGroup, true,
        R"([{"op":"remove","path":"members"},
                  {"op":"add","path":"members","value":[{"display":"James Smith","value":"08e1d05d"},
                                                        {"display":"Mandy","value":"902c246b"}]}])",
        R"({"members":[{"display":"James Smith","value":"08e1d05d"},{"display":"Mandy","value":"902c246b"}]})"},
    PatchCase{"RemoveFilteredEmail", kUser, false,
              R"([{"op":"remove","path":"emails[type eq \"work\" and value ew \"example.com\"]"}])",
              R"({"emails":[{"value":"babs@jensen.org","type":"home"}]})"},
    PatchCase{"RemoveSingleValued", kUser, false, R"([{"op":"remove","path":"nickName"}])",
              R"({"nickName":null})"},
    PatchCase{"RemoveSubAttribute", kUser, false, R"([{"op":"remove","path":"name.familyName"}])",
              R"({"name":{"givenName":"Barbara"}})"},
    PatchCase{"RemoveAbsentIsNoop", kUser, false, R"([{"op":"remove","path":"title"}])",
              R"({"title":null,"userName":"bjensen"})"},
    PatchCase{"RemoveFilteredSubAttribute", kUser, false,
              R"([{"op":"remove","path":"addresses[type eq \"work\"].locality"}])",
              R"({"addresses":[{"type":"work","streetAddress":"100 Universal City Plaza"},
                               {"type":"home","streetAddress":"456 Hollywood Blvd"}]})"},
    // §3.5.2.3 replace
    PatchCase{
        "ReplaceMembers", kGroup, true,
        R"([{"op":"replace","path":"members","value":[{"display":"Babs Jensen","value":"2819c223"},
                  {"display":"James Smith","value":"08e1d05d"}]}])",
        R"({"members":[{"display":"Babs Jensen","value":"2819c223"},{"display":"James Smith","value":"08e1d05d"}]})"},
    PatchCase{
        "ReplaceFilteredAddress", kUser, false,
        R"([{"op":"replace","path":"addresses[type eq \"work\"]","value":{"type":"work",
                  "streetAddress":"911 Universal City Plaza","locality":"Hollywood","region":"CA",
                  "postalCode":"91608","country":"US","formatted":"911 Universal City Plaza\nHollywood, CA 91608 US",
                  "primary":true}}])",
        R"({"addresses":[{"type":"work","streetAddress":"911 Universal City Plaza","locality":"Hollywood",
                  "region":"CA","postalCode":"91608","country":"US",
                  "formatted":"911 Universal City Plaza\nHollywood, CA 91608 US","primary":true},
                  {"type":"home","streetAddress":"456 Hollywood Blvd"}]})"},
    PatchCase{
        "ReplaceFilteredSubAttribute", kUser, false,
        R"([{"op":"replace","path":"addresses[type eq \"work\"].streetAddress","value":"1010 Broadway Ave"}])",
        R"({"addresses":[{"type":"work","streetAddress":"1010 Broadway Ave","locality":"Hollywood"},
                               {"type":"home","streetAddress":"456 Hollywood Blvd"}]})"},
    PatchCase{
        "ReplaceWithoutPath", kUser, false,
        R"([{"op":"replace","value":{"emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                  {"value":"babs@jensen.org","type":"home"}],"nickName":"Babs"}}])",
        R"({"emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                  {"value":"babs@jensen.org","type":"home"}],"nickName":"Babs"})"},
    PatchCase{"ReplaceAbsentActsAsAdd", kUser, false,
              R"([{"op":"replace","path":"title","value":"Boss"}])", R"({"title":"Boss"})"},
    PatchCase{"ReplaceMultiValuedSubOnAll", kUser, false,
              R"([{"op":"replace","path":"emails.type","value":"other"}])",
              R"({"emails":[{"value":"bjensen@example.com","type":"other","primary":true},
                            {"value":"babs@jensen.org","type":"other"}]})"},
    PatchCase{"ReplaceNullRemoves", kUser, false,
              R"([{"op":"replace","path":"nickName","value":null}])", R"({"nickName":null})"},
    PatchCase{"ReplaceComplexMerges", kUser, false,
              R"([{"op":"replace","path":"name","value":{"givenName":"Babs"}}])",
              R"({"name":{"givenName":"Babs","familyName":"Jensen"}})"});

INSTANTIATE_TEST_SUITE_P(Rfc7644, PatchTableTest, kRfcCases,
                         [](const auto& info) { return std::string(info.param.name); });

const auto kInteropCases = testing::Values(
    // Microsoft Entra ID
    PatchCase{"EntraDisable", kUser, false, R"([{"op":"Replace","path":"active","value":false}])",
              R"({"active":false})"},
    PatchCase{"EntraDisableStringBoolean", kUser, false,
              R"([{"op":"Replace","path":"active","value":"False"}])", R"({"active":false})"},
    PatchCase{"EntraAddSingleValuedStringBoolean", kUser, false,
              R"([{"op":"Add","path":"active","value":"True"}])", R"({"active":true})"},
    PatchCase{
        "EntraReplaceDottedKeys", kUser, false,
        R"([{"op":"Replace","value":{"name.givenName":"Barb","name.familyName":"J","active":"False",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Sales",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value":"m1"}}])",
        R"({"name":{"givenName":"Barb","familyName":"J"},"active":false,
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales",
                  "manager":{"value":"m1"}},
                  "schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]})"},
    PatchCase{
        "EntraReplaceFilteredEmailValue", kUser, false,
        R"([{"op":"Replace","path":"emails[type eq \"work\"].value","value":"new@example.com"}])",
        R"({"emails":[{"value":"new@example.com","type":"work","primary":true},
                            {"value":"babs@jensen.org","type":"home"}]})"},
    PatchCase{"EntraAddFilteredPhoneOnAbsentAttributeIsNoTarget", kUser, false,
              R"([{"op":"Add","path":"phoneNumbers[type eq \"work\"].value","value":"555"}])", "",
              Code::kNoTarget},
    PatchCase{
        "EntraAddMembers", kGroup, true,
        R"([{"op":"Add","path":"members","value":[{"value":"u3"}]}])",
        R"({"members":[{"value":"2819c223-7f76-453a-919d-413861904646","display":"Babs Jensen"},
                  {"value":"902c246b-6245-4190-8e05-00816be7344a","display":"Mandy Pepperidge"},{"value":"u3"}]})"},
    PatchCase{
        "EntraAddExistingMemberIsDeduplicated", kGroup, true,
        R"([{"op":"Add","path":"members","value":[{"value":"902c246b-6245-4190-8e05-00816be7344a"}]}])",
        R"({"members":[{"value":"2819c223-7f76-453a-919d-413861904646","display":"Babs Jensen"},
                  {"value":"902c246b-6245-4190-8e05-00816be7344a","display":"Mandy Pepperidge"}]})"},
    PatchCase{
        "EntraRemoveMembersByValueList", kGroup, true,
        R"([{"op":"Remove","path":"members","value":[{"value":"902c246b-6245-4190-8e05-00816be7344a"}]}])",
        R"({"members":[{"value":"2819c223-7f76-453a-919d-413861904646","display":"Babs Jensen"}]})"},
    PatchCase{
        "EntraRemoveUnknownMemberByValueListIsNoop", kGroup, true,
        R"([{"op":"Remove","path":"members","value":[{"value":"nobody"}]}])",
        R"({"members":[{"value":"2819c223-7f76-453a-919d-413861904646","display":"Babs Jensen"},
                  {"value":"902c246b-6245-4190-8e05-00816be7344a","display":"Mandy Pepperidge"}]})"},
    PatchCase{"EntraReplaceDisplayName", kGroup, true,
              R"([{"op":"Replace","path":"displayName","value":"Renamed"}])",
              R"({"displayName":"Renamed"})"},
    PatchCase{
        "EntraExtensionPath", kUser, false,
        R"([{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"701984"}])",
        R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984"}})"},
    PatchCase{
        "EntraManagerPath", kUser, false,
        R"([{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"m-42"}])",
        "", Code::kInvalidValue},
    PatchCase{
        "EntraManagerObject", kUser, false,
        R"([{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"m-42"}}])",
        R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m-42"}}})"},
    PatchCase{
        "EntraRemoveManager", kUser, false,
        R"([{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value","value":"m"},
                  {"op":"Remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}])",
        R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":null,
                  "schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]})"},
    PatchCase{
        "EntraWholeExtensionValue", kUser, false,
        R"([{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"costCenter":"4130","Division":"Parks"}}}])",
        R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"costCenter":"4130","division":"Parks"}})"},
    PatchCase{
        "EntraExtensionAsPath", kUser, false,
        R"([{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"costCenter":"1"}}])",
        R"({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"costCenter":"1"}})"},
    PatchCase{
        "CaseInsensitivePaths", kUser, false,
        R"([{"op":"REPLACE","path":"NAME.GIVENNAME","value":"B"},{"op":"replace","path":"Emails[TYPE eq \"home\"].Value","value":"h@x"}])",
        R"({"name":{"givenName":"B","familyName":"Jensen"},
                  "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"h@x","type":"home"}]})"},
    // Okta
    PatchCase{"OktaDeactivate", kUser, false, R"([{"op":"replace","value":{"active":false}}])",
              R"({"active":false})"},
    PatchCase{
        "OktaReplaceEchoesId", kGroup, true,
        R"([{"op":"replace","value":{"id":"acbf3ae7-8463-4692-b4fd-9b4da3f908ce","displayName":"Renamed"}}])",
        R"({"displayName":"Renamed","id":"acbf3ae7-8463-4692-b4fd-9b4da3f908ce"})"},
    PatchCase{"OktaReplaceMembers", kGroup, true,
              R"([{"op":"replace","path":"members","value":[{"value":"a","display":"A"}]}])",
              R"({"members":[{"value":"a","display":"A"}]})"},
    PatchCase{
        "OktaAddMembersNoPath", kGroup, true,
        R"([{"op":"add","value":{"members":[{"value":"z","display":"Z"}]}}])",
        R"({"members":[{"value":"2819c223-7f76-453a-919d-413861904646","display":"Babs Jensen"},
                  {"value":"902c246b-6245-4190-8e05-00816be7344a","display":"Mandy Pepperidge"},
                  {"value":"z","display":"Z"}]})"},
    PatchCase{"OktaPasswordChange", kUser, false,
              R"([{"op":"replace","value":{"password":"n3wP@ss"}}])", R"({"password":"n3wP@ss"})"});

INSTANTIATE_TEST_SUITE_P(Interop, PatchTableTest, kInteropCases,
                         [](const auto& info) { return std::string(info.param.name); });

const auto kPrimaryCases = testing::Values(
    PatchCase{
        "AddPrimaryClearsOthers", kUser, false,
        R"([{"op":"add","path":"emails","value":[{"value":"new@x","type":"other","primary":true}]}])",
        R"({"emails":[{"value":"bjensen@example.com","type":"work"},{"value":"babs@jensen.org","type":"home"},
                            {"value":"new@x","type":"other","primary":true}]})"},
    PatchCase{"FilteredPrimaryClearsOthers", kUser, false,
              R"([{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}])",
              R"({"emails":[{"value":"bjensen@example.com","type":"work"},
                            {"value":"babs@jensen.org","type":"home","primary":true}]})"},
    PatchCase{"FilteredPrimaryStringTrue", kUser, false,
              R"([{"op":"Replace","path":"emails[type eq \"home\"].primary","value":"True"}])",
              R"({"emails":[{"value":"bjensen@example.com","type":"work"},
                            {"value":"babs@jensen.org","type":"home","primary":true}]})"},
    PatchCase{
        "ReAddExistingAsPrimaryMerges", kUser, false,
        R"([{"op":"add","path":"emails","value":{"value":"babs@jensen.org","type":"home","primary":true}}])",
        R"({"emails":[{"value":"bjensen@example.com","type":"work"},
                            {"value":"babs@jensen.org","type":"home","primary":true}]})"},
    PatchCase{
        "TwoPrimariesInOneValueRejected", kUser, false,
        R"([{"op":"add","path":"emails","value":[{"value":"a@x","primary":true},{"value":"b@x","primary":true}]}])",
        "", Code::kInvalidValue},
    PatchCase{
        "ReplaceFilteredElementPrimary", kUser, false,
        R"([{"op":"replace","path":"emails[type eq \"home\"]","value":{"value":"h@x","type":"home","primary":true}}])",
        R"({"emails":[{"value":"bjensen@example.com","type":"work"},
                            {"value":"h@x","type":"home","primary":true}]})"});

INSTANTIATE_TEST_SUITE_P(Primary, PatchTableTest, kPrimaryCases,
                         [](const auto& info) { return std::string(info.param.name); });

const auto kErrorCases = testing::Values(
    PatchCase{"NoTargetFilter", kUser, false,
              R"([{"op":"replace","path":"emails[type eq \"fax\"].value","value":"x"}])", "",
              Code::kNoTarget},
    PatchCase{"NoTargetRemoveFilter", kGroup, true,
              R"([{"op":"remove","path":"members[value eq \"nobody\"]"}])", "", Code::kNoTarget},
    PatchCase{"NoTargetRemoveWithoutPath", kUser, false, R"([{"op":"remove"}])", "",
              Code::kNoTarget},
    PatchCase{"InvalidPathUnknownAttribute", kUser, false,
              R"([{"op":"replace","path":"shoeSize","value":"x"}])", "", Code::kInvalidPath},
    PatchCase{"InvalidPathUnknownSub", kUser, false,
              R"([{"op":"replace","path":"name.nickname","value":"x"}])", "", Code::kInvalidPath},
    PatchCase{"InvalidPathSyntax", kUser, false,
              R"([{"op":"replace","path":"name..x","value":"x"}])", "", Code::kInvalidPath},
    PatchCase{"InvalidPathUnclosedBracket", kUser, false,
              R"([{"op":"replace","path":"emails[type eq \"work\"","value":"x"}])", "",
              Code::kInvalidPath},
    PatchCase{"InvalidPathAfterBracket", kUser, false,
              R"([{"op":"replace","path":"emails[type eq \"work\"]value","value":"x"}])", "",
              Code::kInvalidPath},
    PatchCase{"InvalidPathUnknownFilterSub", kUser, false,
              R"([{"op":"replace","path":"emails[type eq \"work\"].nosuch","value":"x"}])", "",
              Code::kInvalidPath},
    PatchCase{"InvalidPathUnknownKeyWithoutPath", kUser, false,
              R"([{"op":"add","value":{"shoeSize":42}}])", "", Code::kInvalidPath},
    PatchCase{"InvalidPathSchemas", kUser, false,
              R"([{"op":"replace","path":"schemas","value":[]}])", "", Code::kInvalidPath},
    PatchCase{"InvalidFilterInPath", kUser, false,
              R"([{"op":"replace","path":"emails[type zz \"work\"]","value":"x"}])", "",
              Code::kInvalidFilter},
    PatchCase{"InvalidFilterTypeInPath", kUser, false,
              R"([{"op":"replace","path":"emails[primary gt true]","value":{}}])", "",
              Code::kInvalidFilter},
    PatchCase{"MutabilityReadOnlyId", kUser, false,
              R"([{"op":"replace","path":"id","value":"other"}])", "", Code::kMutability},
    PatchCase{"MutabilityReadOnlyMeta", kUser, false,
              R"([{"op":"replace","path":"meta.lastModified","value":"2020-01-01T00:00:00Z"}])", "",
              Code::kMutability},
    PatchCase{"MutabilityReadOnlyGroups", kUser, false,
              R"([{"op":"add","path":"groups","value":[{"value":"g"}]}])", "", Code::kMutability},
    PatchCase{"MutabilityRemoveRequired", kUser, false, R"([{"op":"remove","path":"userName"}])",
              "", Code::kMutability},
    PatchCase{"MutabilityReplaceRequiredWithNull", kUser, false,
              R"([{"op":"replace","path":"userName","value":null}])", "", Code::kMutability},
    PatchCase{"MutabilityRemoveId", kUser, false, R"([{"op":"remove","path":"id"}])", "",
              Code::kMutability},
    PatchCase{
        "MutabilityImmutableMemberValue", kGroup, true,
        R"([{"op":"replace","path":"members[display eq \"Babs Jensen\"].value","value":"x"}])", "",
        Code::kMutability},
    PatchCase{
        "MutabilityReadOnlyManagerDisplayName", kUser, false,
        R"([{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName","value":"x"}])",
        "", Code::kMutability},
    PatchCase{"InvalidValueType", kUser, false,
              R"([{"op":"replace","path":"active","value":"maybe"}])", "", Code::kInvalidValue},
    PatchCase{"InvalidValueString", kUser, false,
              R"([{"op":"replace","path":"userName","value":42}])", "", Code::kInvalidValue},
    PatchCase{"InvalidValueNonObjectWithoutPath", kUser, false, R"([{"op":"add","value":"x"}])", "",
              Code::kInvalidValue},
    PatchCase{"InvalidValueFilteredNonObject", kUser, false,
              R"([{"op":"replace","path":"emails[type eq \"work\"]","value":"x"}])", "",
              Code::kInvalidValue},
    PatchCase{"InvalidValueSingleValuedArray", kUser, false,
              R"([{"op":"replace","path":"title","value":["a"]}])", "", Code::kInvalidValue},
    PatchCase{"InvalidSyntaxUnknownOp", kUser, false,
              R"([{"op":"move","path":"title","value":"x"}])", "", Code::kInvalidSyntax},
    PatchCase{"InvalidSyntaxMissingOp", kUser, false, R"([{"path":"title","value":"x"}])", "",
              Code::kInvalidSyntax},
    PatchCase{"InvalidSyntaxMissingValue", kUser, false, R"([{"op":"add","path":"title"}])", "",
              Code::kInvalidSyntax},
    PatchCase{"InvalidSyntaxEmptyOperations", kUser, false, R"([])", "", Code::kInvalidSyntax},
    PatchCase{"InvalidSyntaxOperationNotObject", kUser, false, R"(["add"])", "",
              Code::kInvalidSyntax},
    PatchCase{"InvalidSyntaxOperationsNotArray", kUser, false, R"({"op":"add"})", "",
              Code::kInvalidSyntax},
    PatchCase{"InvalidPathNotString", kUser, false, R"([{"op":"add","path":5,"value":"x"}])", "",
              Code::kInvalidPath},
    PatchCase{
        "AtomicFailureLater", kUser, false,
        R"([{"op":"replace","path":"title","value":"ok"},{"op":"replace","path":"id","value":"x"}])",
        "", Code::kMutability});

INSTANTIATE_TEST_SUITE_P(Errors, PatchTableTest, kErrorCases,
                         [](const auto& info) { return std::string(info.param.name); });

TEST(PatchEnvelopeTest, MissingSchemas) {
  auto r =
      ApplyPatch(Json(kUser),
                 boost::json::parse(R"({"Operations":[{"op":"add","path":"title","value":"x"}]})"),
                 UserType());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidSyntax);
  EXPECT_NE(r.error().message().find("schemas"), std::string::npos);
}

TEST(PatchEnvelopeTest, WrongSchemaAndNonObject) {
  EXPECT_EQ(
      ApplyPatch(
          Json(kUser),
          boost::json::parse(
              R"({"schemas":["urn:x"],"Operations":[{"op":"add","path":"title","value":"x"}]})"),
          UserType())
          .error()
          .code(),
      Code::kInvalidSyntax);
  EXPECT_EQ(ApplyPatch(Json(kUser), boost::json::parse("[1]"), UserType()).error().code(),
            Code::kInvalidSyntax);
}

TEST(PatchEnvelopeTest, OperationsKeyCaseInsensitive) {
  auto r =
      ApplyPatch(Json(kUser),
                 boost::json::parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                             "operations":[{"op":"add","path":"title","value":"x"}]})"),
                 UserType());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at("title"), "x");
}

TEST(PatchEnvelopeTest, ErrorNamesOperationIndex) {
  auto r =
      ApplyPatch(Json(kUser), boost::json::parse(Ops(R"([{"op":"add","path":"title","value":"x"},
                                                 {"op":"add","path":"nope","value":"x"}])")),
                 UserType());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("operation 1"), std::string::npos) << r.error().message();
}

TEST(PatchTest, InputIsNotModified) {
  auto user = Json(kUser);
  auto copy = user;
  auto r =
      ApplyPatch(user, boost::json::parse(Ops(R"([{"op":"remove","path":"emails"}])")), UserType());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(user, copy);
  EXPECT_FALSE(r->contains("emails"));
}

TEST(PatchTest, ParsedOperationsVariant) {
  auto ops = ParsePatchRequest(
      boost::json::parse(
          Ops(R"([{"op":"Replace","path":"emails[type eq \"work\"].value","value":"w@x"}])")),
      UserType());
  ASSERT_TRUE(ops.ok());
  ASSERT_EQ(ops->size(), 1u);
  EXPECT_EQ((*ops)[0].op, PatchOpType::kReplace);
  EXPECT_EQ(ToString(*(*ops)[0].path), R"(emails[type eq "work"].value)");
  auto r = ApplyPatch(Json(kUser), *ops, UserType());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at("emails").as_array()[0].at("value"), "w@x");
}

TEST(PatchPathTest, Canonicalises) {
  auto p =
      ParsePatchPath(" urn:ietf:params:scim:schemas:core:2.0:User:NAME.givenname ", UserType());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(ToString(*p), "name.givenName");
  auto q = ParsePatchPath(R"(EMAILS[Type eq "a]b" and value ew "x"].VALUE)", UserType());
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  EXPECT_EQ(ToString(*q), R"(emails[type eq "a]b" and value ew "x"].value)");
  auto r = ParsePatchPath(
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:Manager.Value", UserType());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ToString(*r),
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
  EXPECT_EQ(ParsePatchPath("", UserType()).error().code(), Code::kInvalidPath);
  EXPECT_EQ(ParsePatchPath("name[givenName eq \"x\"]", UserType()).ok(), true);
  EXPECT_EQ(ParsePatchPath("userName[value eq \"x\"]", UserType()).error().code(),
            Code::kInvalidFilter);
}

TEST(PatchTest, SingleComplexWithFilter) {
  auto r = ApplyPatch(
      Json(kUser),
      boost::json::parse(Ops(
          R"([{"op":"replace","path":"name[givenName eq \"Barbara\"].familyName","value":"J"}])")),
      UserType());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->at("name").at("familyName"), "J");
}

// ---- member extraction
// ---------------------------------------------------------------------------

Result<MemberDelta> Extract(std::string_view ops) {
  return ExtractMemberOps(boost::json::parse(Ops(ops)), GroupType());
}

TEST(MemberDeltaTest, EntraAddAndRemove) {
  auto d =
      Extract(R"([{"op":"Add","path":"members","value":[{"value":"a"},{"value":"b"},{"value":"a"}]},
                       {"op":"Remove","path":"members","value":[{"value":"c"}]}])");
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_FALSE(d->replace_all);
  EXPECT_EQ(d->added, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(d->removed, (std::vector<std::string>{"c"}));
  EXPECT_TRUE(d->rest.empty());
}

TEST(MemberDeltaTest, FilterRemoveAndOrOfIds) {
  auto d = Extract(R"([{"op":"remove","path":"members[value eq \"x\" or value eq \"y\"]"}])");
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_EQ(d->removed, (std::vector<std::string>{"x", "y"}));
}

TEST(MemberDeltaTest, LaterOperationsWin) {
  auto d = Extract(R"([{"op":"add","path":"members","value":[{"value":"a"}]},
                       {"op":"remove","path":"members[value eq \"a\"]"},
                       {"op":"remove","path":"members","value":[{"value":"b"}]},
                       {"op":"add","path":"members","value":{"value":"b"}}])");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->added, (std::vector<std::string>{"b"}));
  EXPECT_EQ(d->removed, (std::vector<std::string>{"a"}));
}

TEST(MemberDeltaTest, ReplaceAndRemoveAll) {
  auto d = Extract(R"([{"op":"add","path":"members","value":[{"value":"a"}]},
                       {"op":"replace","path":"members","value":[{"value":"p"},{"value":"q"}]}])");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->replace_all);
  EXPECT_EQ(d->added, (std::vector<std::string>{"p", "q"}));
  auto all = Extract(R"([{"op":"remove","path":"members"}])");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->replace_all);
  EXPECT_TRUE(all->added.empty());
  EXPECT_FALSE(all->empty());
}

TEST(MemberDeltaTest, SplitsOtherOperations) {
  auto d = Extract(R"([{"op":"replace","value":{"displayName":"New","members":[{"value":"m"}]}},
                       {"op":"Replace","path":"displayName","value":"Newer"},
                       {"op":"add","value":{"members":[{"value":"n"}]}}])");
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_TRUE(d->replace_all);
  EXPECT_EQ(d->added, (std::vector<std::string>{"m", "n"}));
  ASSERT_EQ(d->rest.size(), 2u);
  EXPECT_EQ(serialize(d->rest[0].value), R"({"displayName":"New"})");
  auto applied = ApplyPatch(Json(kGroup), d->rest, GroupType());
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->at("displayName"), "Newer");
}

TEST(MemberDeltaTest, FallsBackWhenListIsNeeded) {
  EXPECT_EQ(Extract(R"([{"op":"remove","path":"members[display eq \"Babs\"]"}])").error().code(),
            Code::kNotImplemented);
  EXPECT_EQ(Extract(R"([{"op":"replace","path":"members[value eq \"a\"].display","value":"x"}])")
                .error()
                .code(),
            Code::kNotImplemented);
  EXPECT_EQ(
      Extract(R"([{"op":"add","path":"members","value":[{"display":"no id"}]}])").error().code(),
      Code::kInvalidValue);
  EXPECT_EQ(ExtractMemberOps(
                boost::json::parse(Ops(R"([{"op":"add","path":"title","value":"x"}])")), UserType())
                .error()
                .code(),
            Code::kInvalidPath);
}

TEST(MemberDeltaTest, AgreesWithApplyPatch) {
  const char* ops = R"([{"op":"Add","path":"members","value":[{"value":"u3"},{"value":"u4"}]},
                        {"op":"Remove","path":"members","value":[{"value":"902c246b-6245-4190-8e05-00816be7344a"}]},
                        {"op":"remove","path":"members[value eq \"u4\"]"}])";
  auto applied = ApplyPatch(Json(kGroup), boost::json::parse(Ops(ops)), GroupType());
  ASSERT_TRUE(applied.ok());
  auto d = Extract(ops);
  ASSERT_TRUE(d.ok());
  std::vector<std::string> members = {"2819c223-7f76-453a-919d-413861904646",
                                      "902c246b-6245-4190-8e05-00816be7344a"};
  if (d->replace_all) members.clear();
  for (const auto& id : d->removed) std::erase(members, id);
  for (const auto& id : d->added) members.push_back(id);
  std::vector<std::string> expected;
  for (const auto& m : applied->at("members").as_array()) {
    expected.emplace_back(m.at("value").as_string());
  }
  EXPECT_EQ(members, expected);
}

}  // namespace
}  // namespace provisio::scim
