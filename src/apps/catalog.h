// The catalog of application templates: what each target supports, how a connection to it
// authenticates and is configured, and the attribute mappings a new application starts with.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace provisio::apps {

struct Capabilities {
  bool provisioning = false;  // create, update, disable accounts in the target
  bool import_sync = false;   // read users, groups, roles back into the directory
  bool groups = false;        // push group memberships
  bool entitlements = false;  // roles, profiles, licences selectable per assignment
};

struct MappingDefault {
  std::string target;    // attribute in the target
  std::string source;    // expression over the directory user (docs/mappings.md)
  std::string strength;  // "strong"/"normal": on every change; "weak": on create only
};

// A connection setting and the JSON type the admin API stores it as (a form sends text: "500"
// and "true" are taken for an integer and a boolean, and stored typed).
struct SettingField {
  enum class Type { kString, kInteger, kBoolean, kChoice };
  std::string_view name;
  bool required = false;
  std::string_view description;
  Type type = Type::kString;
  int64_t min = 0;  // kInteger: the accepted range
  int64_t max = 0;
  std::vector<std::string_view> choices;  // kChoice
  std::string_view default_value;         // what applies when unset, for display ("" none)
};

struct Template {
  std::string_view id;  // also the connection type it takes
  std::string_view name;
  std::string_view description;
  Capabilities supports;
  std::vector<std::string_view> auth_kinds;
  std::vector<std::string_view> url_schemes;  // accepted base_url schemes
  // http:// is refused except to a loopback host (a local emulator), for base_url and the
  // auth URLs (login_url, token_url) alike; url_schemes then says only "https".
  bool http_loopback_only = false;
  std::string_view base_url_example;
  std::vector<SettingField> connection_settings;
  std::string_view default_matching_attribute;
  std::vector<MappingDefault> default_mappings;
  // The import direction (source → portal) of applications that also provision: used unless
  // settings.import_mappings replace them. Empty: a SCIM source passes its resources through;
  // an LDAP directory's default_mappings are its import mappings.
  std::vector<MappingDefault> default_import_mappings = {};
};

std::span<const Template> Catalog();
const Template* FindTemplate(std::string_view id);

boost::json::object TemplateJson(const Template& t);

}  // namespace provisio::apps
