#include "mapping/defaults.h"

#include <string>
#include <string_view>

namespace provisio::mapping {

namespace {
constexpr auto kOnCreate = AttributeMapping::Apply::kOnCreateOnly;
constexpr auto kAlways = AttributeMapping::Apply::kAlways;
// The work address, else the primary one.
constexpr const char* kWorkEmail =
    R"(Coalesce([emails[type eq "work"].value], [emails[primary eq true].value]))";
// The manager's portal id, which the engine replaces with what stands for the manager's own
// account in the target (provisioning/planner.h, ManagerReference).
constexpr const char* kManager =
    "[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value]";
}  // namespace

std::vector<AttributeMapping> DefaultScimMappings() {
  return {
      {"userName", "[userName]", kAlways},
      {"active", "[active]", kAlways},
      {"displayName", "[displayName]", kAlways},
      {"name.givenName", "[name.givenName]", kAlways},
      {"name.familyName", "[name.familyName]", kAlways},
      {R"(emails[type eq "work"].value)", kWorkEmail, kAlways},
      // The system of record's identifier, not Provisio's own id: see docs/mappings.md.
      {"externalId", "[externalId]", kAlways},
      // The manager's portal id; the engine sends the manager's account id in the target.
      {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", kManager,
       kAlways},
  };
}

std::vector<AttributeMapping> DefaultSalesforceMappings() {
  return {
      {"Username", "[userName]", kAlways},
      {"FederationIdentifier", "[userName]", kAlways},
      {"IsActive", "[active]", kAlways},
      {"Email", kWorkEmail, kAlways},
      {"FirstName", "[name.givenName]", kAlways},
      {"LastName", "[name.familyName]", kAlways},
      // Alias: required, at most 8 characters; the local part of the user name.
      {"Alias", R"(Left(NormalizeDiacritics(Word([userName], 1, "@")), 8))", kAlways},
      // Required on create; the Salesforce admin owns them afterwards.
      {"TimeZoneSidKey", R"("America/Los_Angeles")", kOnCreate},
      {"LocaleSidKey", R"("en_US")", kOnCreate},
      {"EmailEncodingKey", R"("UTF-8")", kOnCreate},
      {"LanguageLocaleKey", R"("en_US")", kOnCreate},
      // The manager's portal id; the engine sends the Id of the manager's Salesforce user.
      {"ManagerId", kManager, kAlways},
  };
}

std::vector<AttributeMapping> DefaultGoogleMappings() {
  return {
      {"primaryEmail", "[userName]", kAlways},
      {"name.givenName", "[name.givenName]", kAlways},
      {"name.familyName", "[name.familyName]", kAlways},
      {"suspended", "Not([active])", kAlways},
      {R"(externalIds[type eq "organization"].value)",
       "[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber]", kAlways},
      {"orgUnitPath", R"("/")", kOnCreate},
      // The manager's portal id; the engine sends the primaryEmail of the manager's account,
      // as the Admin console names a manager.
      {R"(relations[type eq "manager"].value)", kManager, kAlways},
  };
}

namespace {
constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:";
std::string Enterprise(std::string_view attribute) { return kEnterprise + std::string(attribute); }
}  // namespace

std::vector<AttributeMapping> DefaultSalesforceImportMappings() {
  return {
      {"userName", "[Username]", kAlways},
      {"externalId", "[Id]", kAlways},
      {"active", "[IsActive]", kAlways},
      {"displayName", R"(Join(" ", [FirstName], [LastName]))", kAlways},
      {"name.givenName", "[FirstName]", kAlways},
      {"name.familyName", "[LastName]", kAlways},
      {R"(emails[type eq "work"].value)", "[Email]", kAlways},
      {"title", "[Title]", kAlways},
      {Enterprise("department"), "[Department]", kAlways},
      {Enterprise("employeeNumber"), "[EmployeeNumber]", kAlways},
      {Enterprise("manager.value"), "[ManagerId]", kAlways},
  };
}

std::vector<AttributeMapping> DefaultGoogleImportMappings() {
  return {
      {"userName", "[primaryEmail]", kAlways},
      {"externalId", "[id]", kAlways},
      {"active", "Not([suspended])", kAlways},
      {"displayName", "[name.fullName]", kAlways},
      {"name.givenName", "[name.givenName]", kAlways},
      {"name.familyName", "[name.familyName]", kAlways},
      {R"(emails[type eq "work"].value)", "[primaryEmail]", kAlways},
      {Enterprise("employeeNumber"), R"([externalIds[type eq "organization"].value])", kAlways},
      {Enterprise("manager.value"), R"([relations[type eq "manager"].value])", kAlways},
  };
}

std::vector<AttributeMapping> DefaultLdapMappings() {
  return {
      {"userName", "[uid]", kAlways},
      {"externalId", "[entryUUID]", kAlways},
      {"displayName", "Coalesce([displayName], [cn])", kAlways},
      {"name.givenName", "[givenName]", kAlways},
      {"name.familyName", "[sn]", kAlways},
      {R"(emails[type eq "work"].value)", "[mail]", kAlways},
      {"title", "[title]", kAlways},
      // The manager's DN; the importer replaces it with her portal id.
      {Enterprise("manager.value"), "[manager]", kAlways},
  };
}

}  // namespace provisio::mapping
