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

const std::vector<Template>& Templates() {
  static const std::vector<Template> templates = {
      {"scim2",
       "SCIM 2.0",
       "Any service provider that speaks SCIM 2.0 (RFC 7643/7644).",
       {true, true, true, true},
       {"bearer", "basic", "api_key", "oauth2_client_credentials"},
       {"https", "http"},
       "https://app.example.com/scim/v2",
       {{"bulk", false,
         "true/false: send batches of creates and updates through /Bulk when the target "
         "offers it (default true)"},
        {"bulk_max_operations", false,
         "operations per /Bulk request, at most the target's maxOperations (default: that)"}},
       "userName",
       FromMappings(mapping::DefaultScimMappings())},
      {"salesforce",
       "Salesforce",
       "Salesforce users, profiles, roles and permission sets through the REST API.",
       {true, true, true, true},
       {"salesforce_jwt_bearer", "oauth2_client_credentials"},
       {"https"},
       "https://login.salesforce.com",
       {},
       "Username",
       FromMappings(mapping::DefaultSalesforceMappings())},
      {"google-workspace",
       "Google Workspace",
       "Google Workspace users, groups and licences through the Admin SDK Directory API.",
       {true, true, true, true},
       {"google_service_account"},
       {"https"},
       "https://admin.googleapis.com",
       {},
       "primaryEmail",
       FromMappings(mapping::DefaultGoogleMappings())},
      {"ldap",
       "LDAP directory",
       "An LDAP v3 directory (OpenLDAP, 389, Active Directory) over ldap:// or ldaps://.",
       {true, true, true, false},
       {"basic"},
       {"ldap", "ldaps"},
       "ldaps://ldap.example.com:636",
       {{"base_dn", true, "where users and groups live, e.g. dc=example,dc=com"},
        {"user_filter", false, "LDAP filter selecting users, default (objectClass=inetOrgPerson)"},
        {"group_filter", false, "LDAP filter selecting groups, default (objectClass=groupOfNames)"},
        {"start_tls", false,
         "true/false: upgrade ldap:// with StartTLS (default: on, except to loopback)"},
        {"page_size", false, "entries per paged-results page (default 500)"},
        {"timeout_ms", false, "per-operation timeout (default 30000)"}},
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
constexpr SettingField kApplicationSettings[] = {
    {"deprovisioning_action", false, "disable (default), delete or none"},
    {"matching_attribute", false, "the target attribute an account is found by before a create"},
    {"scoping_filter", false, "a SCIM filter: only matching assigned users are provisioned"},
    {"sync_schedule", false,
     "manual, or an interval (15m, 1h, 1d) for scheduled full syncs and import runs"},
    {"deletion_threshold", false,
     "more deprovisions than this within an hour pause the application (default 500; 0 off)"},
    {"rate_limit_per_second", false,
     "requests per second to the target on each node (0: no limit); Google Workspace's "
     "default Directory API quota is 2,400 a minute per project"},
    {"rate_limit_burst", false,
     "requests allowed at once after a quiet spell (default: one "
     "second's worth of the rate)"},
    {"concurrency", false, "requests in flight to the target at once on each node (0: no cap)"},
};

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
  connection["base_url_example"] = t.base_url_example;
  boost::json::array kinds;
  for (auto k : t.auth_kinds) {
    const AuthKind* kind = FindAuthKind(k);
    boost::json::array fields;
    for (const AuthField& f : kind->fields) {
      fields.push_back({{"name", f.name},
                        {"secret", f.secret},
                        {"required", f.required},
                        {"max_length", f.max_chars}});
    }
    kinds.push_back({{"kind", k}, {"label", kind->label}, {"fields", std::move(fields)}});
  }
  connection["auth_kinds"] = std::move(kinds);
  boost::json::array settings;
  for (const SettingField& f : t.connection_settings) {
    settings.push_back(
        {{"name", f.name}, {"required", f.required}, {"description", f.description}});
  }
  connection["settings"] = std::move(settings);
  o["connection"] = std::move(connection);
  boost::json::array app_settings;
  for (const SettingField& f : kApplicationSettings) {
    app_settings.push_back(
        {{"name", f.name}, {"required", f.required}, {"description", f.description}});
  }
  o["application_settings"] = std::move(app_settings);
  o["default_matching_attribute"] = t.default_matching_attribute;
  boost::json::array mappings;
  for (const MappingDefault& m : t.default_mappings) {
    mappings.push_back({{"target", m.target}, {"source", m.source}, {"strength", m.strength}});
  }
  o["default_mappings"] = std::move(mappings);
  return o;
}

}  // namespace provisio::apps
