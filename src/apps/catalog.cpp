#include "apps/catalog.h"

#include <boost/json/array.hpp>

#include "apps/auth_kinds.h"

namespace provisio::apps {
namespace {

const std::vector<Template>& Templates() {
  static const std::vector<Template> templates = {
      {"scim2",
       "SCIM 2.0",
       "Any service provider that speaks SCIM 2.0 (RFC 7643/7644).",
       {true, true, true, true},
       {"bearer", "basic", "api_key", "oauth2_client_credentials"},
       {"https", "http"},
       "https://app.example.com/scim/v2",
       {},
       "userName",
       {
           {"userName", "user.userName", "strong"},
           {"externalId", "user.id", "strong"},
           {"active", "user.active", "strong"},
           {"displayName", "user.displayName", "normal"},
           {"name.givenName", "user.name.givenName", "normal"},
           {"name.familyName", "user.name.familyName", "normal"},
           {"emails[type eq \"work\"].value", "user.emails[primary eq true].value", "normal"},
       }},
      {"salesforce",
       "Salesforce",
       "Salesforce users, profiles, roles and permission sets through the REST API.",
       {true, true, true, true},
       {"salesforce_jwt_bearer", "oauth2_client_credentials"},
       {"https"},
       "https://login.salesforce.com",
       {},
       "Username",
       {
           {"Username", "user.userName", "strong"},
           {"FederationIdentifier", "user.userName", "strong"},
           {"IsActive", "user.active", "strong"},
           {"Email", "user.emails[primary eq true].value", "normal"},
           {"FirstName", "user.name.givenName", "normal"},
           {"LastName", "user.name.familyName", "normal"},
           {"Alias", "substring(user.name.givenName, 0, 1) + substring(user.name.familyName, 0, 7)",
            "weak"},
           {"TimeZoneSidKey", "'America/Los_Angeles'", "weak"},
           {"LocaleSidKey", "'en_US'", "weak"},
           {"EmailEncodingKey", "'UTF-8'", "weak"},
           {"LanguageLocaleKey", "'en_US'", "weak"},
       }},
      {"google-workspace",
       "Google Workspace",
       "Google Workspace users, groups and licences through the Admin SDK Directory API.",
       {true, true, true, true},
       {"google_service_account"},
       {"https"},
       "https://admin.googleapis.com",
       {},
       "primaryEmail",
       {
           {"primaryEmail", "user.userName", "strong"},
           {"suspended", "not(user.active)", "strong"},
           {"name.givenName", "user.name.givenName", "normal"},
           {"name.familyName", "user.name.familyName", "normal"},
           {"orgUnitPath", "'/'", "weak"},
       }},
      {"ldap",
       "LDAP directory",
       "An LDAP v3 directory (OpenLDAP, 389, Active Directory) over ldap:// or ldaps://.",
       {true, true, true, false},
       {"basic"},
       {"ldap", "ldaps"},
       "ldaps://ldap.example.com:636",
       {{"base_dn", true, "where users and groups live, e.g. dc=example,dc=com"},
        {"user_filter", false, "LDAP filter selecting users, default (objectClass=inetOrgPerson)"},
        {"group_filter", false,
         "LDAP filter selecting groups, default (objectClass=groupOfNames)"}},
       "uid",
       {
           {"uid", "user.userName", "strong"},
           {"cn", "user.displayName", "normal"},
           {"givenName", "user.name.givenName", "normal"},
           {"sn", "user.name.familyName", "normal"},
           {"mail", "user.emails[primary eq true].value", "normal"},
       }},
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
  o["default_matching_attribute"] = t.default_matching_attribute;
  boost::json::array mappings;
  for (const MappingDefault& m : t.default_mappings) {
    mappings.push_back({{"target", m.target}, {"source", m.source}, {"strength", m.strength}});
  }
  o["default_mappings"] = std::move(mappings);
  return o;
}

}  // namespace provisio::apps
