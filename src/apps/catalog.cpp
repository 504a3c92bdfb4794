#include "apps/catalog.h"

#include <boost/json/array.hpp>

#include "apps/auth_kinds.h"
#include "mapping/defaults.h"

namespace provisio::apps {
namespace {

// The catalog's defaults are the mapping module's, so the two can never disagree.
std::vector<MappingDefault> FromMappings(const std::vector<mapping::AttributeMapping>& list) {
  std::vector<MappingDefault> out;
  for (const auto& m : list) {
    out.push_back({m.target, m.expression,
                   m.apply == mapping::AttributeMapping::Apply::kOnCreateOnly ? "weak" : "strong"});
  }
  return out;
}

using Type = SettingField::Type;

SettingField Text(std::string_view name, bool required, std::string_view description,
                  std::string_view default_value = "") {
  SettingField f;
  f.name = name;
  f.required = required;
  f.description = description;
  f.default_value = default_value;
  return f;
}

SettingField Integer(std::string_view name, std::string_view description, int64_t min, int64_t max,
                     std::string_view default_value = "") {
  SettingField f = Text(name, false, description, default_value);
  f.type = Type::kInteger;
  f.min = min;
  f.max = max;
  return f;
}

SettingField Boolean(std::string_view name, std::string_view description,
                     std::string_view default_value) {
  SettingField f = Text(name, false, description, default_value);
  f.type = Type::kBoolean;
  return f;
}

SettingField Choice(std::string_view name, std::string_view description,
                    std::vector<std::string_view> choices, std::string_view default_value) {
  SettingField f = Text(name, false, description, default_value);
  f.type = Type::kChoice;
  f.choices = std::move(choices);
  return f;
}

std::string_view TypeName(Type t) {
  switch (t) {
    case Type::kInteger:
      return "integer";
    case Type::kBoolean:
      return "boolean";
    case Type::kChoice:
      return "choice";
    case Type::kString:
      break;
  }
  return "string";
}

const std::vector<Template>& Templates() {
  static const std::vector<Template> templates = {
      {"scim2",
       "SCIM 2.0",
       "Any service provider that speaks SCIM 2.0 (RFC 7643/7644).",
       {true, true, true, true},
       {"bearer", "basic", "api_key", "oauth2_client_credentials"},
       {"https", "http"},
       false,
       "https://app.example.com/scim/v2",
       {Boolean("bulk",
                "send batches of creates and updates through /Bulk when the target offers it",
                "true"),
        Integer("bulk_max_operations",
                "operations per /Bulk request, at most the target's maxOperations (default: that)",
                1, 10000)},
       "userName",
       FromMappings(mapping::DefaultScimMappings())},
      {"salesforce",
       "Salesforce",
       "Salesforce users, profiles, roles and permission sets through the REST API.",
       {true, true, false, true},  // no group push (public groups not yet)
       {"salesforce_jwt_bearer", "oauth2_client_credentials", "salesforce_username_password"},
       {"https"},
       true,
       "https://login.salesforce.com",
       {Choice("deprovision",
               "what unassigning does (Salesforce users cannot be deleted): deactivate "
               "(IsActive=false, frees the licence), freeze (UserLogin.IsFrozen: no login, the "
               "licence stays), or both",
               {"deactivate", "freeze", "freeze_and_deactivate"}, "deactivate"),
        Text("default_profile", false,
             "the Profile (name or 00e... id) of users created without a selected profile",
             "Standard User"),
        Text("api_version", false, "REST API version, like v60.0", "v60.0"),
        Text("time_zone", false, "TimeZoneSidKey for new users the mappings leave it out of",
             "America/Los_Angeles"),
        Text("locale", false, "LocaleSidKey for new users", "en_US"),
        Text("language", false, "LanguageLocaleKey for new users", "en_US"),
        Text("email_encoding", false, "EmailEncodingKey for new users", "UTF-8"),
        Integer("collection_size",
                "users per sObject Collections call when many are pending (1: one call each)", 1,
                200, "200"),
        Integer("page_size", "users per query page when reading the org", 200, 2000, "2000"),
        Integer("limit_reserve_percent",
                "share of the org's daily API requests left untouched: below it, calls pause", 0,
                50, "5"),
        Integer("limit_pause_s", "how long calls pause when the reserve is reached (seconds)", 1,
                86400, "900"),
        Integer("timeout_ms", "per-request timeout (milliseconds)", 1, 600000, "30000")},
       "Username",
       FromMappings(mapping::DefaultSalesforceMappings()),
       FromMappings(mapping::DefaultSalesforceImportMappings())},
      {"google-workspace",
       "Google Workspace",
       "Google Workspace users, groups and licences through the Admin SDK Directory API.",
       {true, true, true, true},
       {"google_service_account"},
       {"https"},
       true,
       "https://admin.googleapis.com",
       {Integer("page_size", "users per users.list page", 1, 500, "500"),
        Integer("group_page_size", "groups and members per list page", 1, 200, "200"),
        Choice("member_role", "the role of members added to groups", {"MEMBER", "MANAGER", "OWNER"},
               "MEMBER"),
        Integer("timeout_ms", "per-request timeout (milliseconds)", 1, 600000, "30000")},
       "primaryEmail",
       FromMappings(mapping::DefaultGoogleMappings()),
       FromMappings(mapping::DefaultGoogleImportMappings())},
      {"ldap",
       "LDAP directory",
       "An LDAP v3 directory (OpenLDAP, 389, Active Directory) over ldap:// or ldaps://.",
       {true, true, true, false},
       {"basic"},
       {"ldap", "ldaps"},
       false,
       "ldaps://ldap.example.com:636",
       {Text("base_dn", true, "where users and groups live, e.g. dc=example,dc=com"),
        Text("user_filter", false, "LDAP filter selecting users", "(objectClass=inetOrgPerson)"),
        Text("group_filter", false, "LDAP filter selecting groups", "(objectClass=groupOfNames)"),
        Boolean("start_tls", "upgrade ldap:// with StartTLS (default: on, except to loopback)", ""),
        Integer("page_size", "entries per paged-results page", 1, 5000, "500"),
        Integer("timeout_ms", "per-operation timeout (milliseconds)", 1, 600000, "30000")},
       "uid",
       FromMappings(mapping::DefaultLdapMappings())},
  };
  return templates;
}

}  // namespace

std::span<const Template> Catalog() { return Templates(); }

const Template* FindTemplate(std::string_view id) {
  for (const Template& t : Templates()) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

// The application settings every template takes (ReadSettings in applications.cpp checks
// them; docs/provisioning.md explains them).
// What every application takes in `settings` (checked by applications.cpp's ReadSettings).
const std::vector<SettingField>& ApplicationSettings() {
  static const std::vector<SettingField> settings = {
      Choice("deprovisioning_action", "what unassigning or disabling a user does to the account",
             {"disable", "delete", "none"}, "disable"),
      Text("matching_attribute", false,
           "the target attribute an account is found by before a create"),
      Text("scoping_filter", false, "a SCIM filter: only matching assigned users are provisioned"),
      Text("sync_schedule", false,
           "manual, or an interval (15m, 1h, 1d) for scheduled full syncs and import runs",
           "manual"),
      Integer("deletion_threshold",
              "more deprovisions than this within an hour pause the application (0: off)", 0,
              10'000'000, "500"),
      Text("rate_limit_per_second", false,
           "requests per second to the target on each node, a number (0: no limit); Google "
           "Workspace's default Directory API quota is 2,400 a minute per project",
           "0"),
      Integer("rate_limit_burst",
              "requests allowed at once after a quiet spell (default: one "
              "second's worth of the rate)",
              0, 100'000),
      Integer("concurrency", "requests in flight to the target at once on each node (0: no cap)", 0,
              512, "0"),
      Boolean("push_groups",
              "push assigned groups to the target (default true where the connector has groups)",
              "true"),
      Choice("group_member_role", "Google Workspace: the role of the members pushed",
             {"MEMBER", "MANAGER", "OWNER"}, "MEMBER"),
      Text("group_email_domain", false,
           "Google Workspace: the domain of new groups' addresses (default: the admin e-mail's)"),
  };
  return settings;
}

boost::json::object SettingJson(const SettingField& f) {
  boost::json::object field{{"name", f.name},
                            {"required", f.required},
                            {"description", f.description},
                            {"type", TypeName(f.type)}};
  if (f.type == Type::kInteger) {
    field["min"] = f.min;
    field["max"] = f.max;
  }
  if (f.type == Type::kChoice) {
    boost::json::array choices;
    for (auto c : f.choices) choices.emplace_back(c);
    field["choices"] = std::move(choices);
  }
  if (!f.default_value.empty()) field["default"] = f.default_value;
  return field;
}

boost::json::object TemplateJson(const Template& t) {
  boost::json::object o;
  o["id"] = t.id;
  o["name"] = t.name;
  o["description"] = t.description;
  o["supports"] = {{"provisioning", t.supports.provisioning},
                   {"import_sync", t.supports.import_sync},
                   {"groups", t.supports.groups},
                   {"entitlements", t.supports.entitlements}};
  boost::json::object connection;
  connection["type"] = t.id;
  boost::json::array schemes;
  for (auto s : t.url_schemes) schemes.emplace_back(s);
  connection["url_schemes"] = std::move(schemes);
  connection["http_loopback_only"] = t.http_loopback_only;
  connection["base_url_example"] = t.base_url_example;
  boost::json::array kinds;
  for (auto k : t.auth_kinds) {
    const AuthKind* kind = FindAuthKind(k);
    boost::json::array fields;
    for (const AuthField& f : kind->fields) {
      boost::json::object field{{"name", f.name},
                                {"secret", f.secret},
                                {"required", f.required},
                                {"max_length", f.max_chars}};
      if (!f.description.empty()) field["description"] = f.description;
      if (!f.file.empty()) field["file"] = f.file;
      fields.push_back(std::move(field));
    }
    kinds.push_back({{"kind", k}, {"label", kind->label}, {"fields", std::move(fields)}});
  }
  connection["auth_kinds"] = std::move(kinds);
  boost::json::array settings;
  for (const SettingField& f : t.connection_settings) settings.push_back(SettingJson(f));
  connection["settings"] = std::move(settings);
  o["connection"] = std::move(connection);
  boost::json::array app_settings;
  for (const SettingField& f : ApplicationSettings()) app_settings.push_back(SettingJson(f));
  o["application_settings"] = std::move(app_settings);
  o["default_matching_attribute"] = t.default_matching_attribute;
  boost::json::array mappings;
  for (const MappingDefault& m : t.default_mappings) {
    mappings.push_back({{"target", m.target}, {"source", m.source}, {"strength", m.strength}});
  }
  o["default_mappings"] = std::move(mappings);
  if (t.id != "ldap") {
    boost::json::array import;
    for (const MappingDefault& m : t.default_import_mappings) {
      import.push_back({{"target", m.target}, {"source", m.source}, { "strength", m.strength }});
    }
    o["default_import_mappings"] = std::move(import);
  }
  return o;
}

}  // namespace provisio::apps
