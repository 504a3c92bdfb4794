#include "importsync/source_mapper.h"

#include <strings.h>

#include <algorithm>

#include "connectors/ldap/ldap_connector.h"
#include "core/json.h"
#include "mapping/canonical.h"
#include "mapping/defaults.h"
#include "scim/schema_urns.h"
#include "scim/text.h"

namespace provisio::importsync {
namespace {

// LDAP attributes that are lists by nature; every other attribute is read as its first value,
// so a mapping sees "cn" as a string even where the entry holds several.
bool MultiValued(std::string_view name) {
  for (std::string_view m : {"objectClass", "member", "uniqueMember", "memberOf", "mail"}) {
    if (name.size() == m.size() && strncasecmp(name.data(), m.data(), m.size()) == 0) return true;
  }
  return false;
}

const boost::json::value* FindCi(const boost::json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key)) return v;
  for (const auto& [k, v] : o) {
    if (k.size() == key.size() && strncasecmp(k.data(), key.data(), key.size()) == 0) return &v;
  }
  return nullptr;
}

std::vector<std::string> Strings(const boost::json::value* v) {
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_string()) out.emplace_back(v->get_string());
  if (v->is_array()) {
    for (const auto& e : v->get_array()) {
      if (e.is_string()) out.emplace_back(e.get_string());
      if (e.is_object()) {
        if (auto s = json::GetString(e.get_object(), "value")) out.emplace_back(*s);
      }
    }
  }
  return out;
}

// A stored mapping list ([{"target","source",...}]) as mappings; empty when there is none.
std::vector<mapping::AttributeMapping> MappingList(const boost::json::value* stored) {
  std::vector<mapping::AttributeMapping> list;
  if (stored == nullptr || !stored->is_array()) return list;
  for (const auto& m : stored->get_array()) {
    if (!m.is_object()) continue;
    mapping::AttributeMapping am;
    am.target = std::string(json::GetString(m.get_object(), "target").value_or(""));
    am.expression = std::string(json::GetString(m.get_object(), "source").value_or(""));
    list.push_back(std::move(am));
  }
  return list;
}

// The import mappings of an application importing from `type`: an LDAP directory's are its
// own mappings (it only imports); an application that also provisions keeps its mappings for
// that direction and imports through settings.import_mappings, else the template's (none for
// SCIM, whose resources pass straight through).
std::vector<mapping::AttributeMapping> ImportMappings(const store::ApplicationRow& app,
                                                      std::string_view type) {
  if (type == "ldap") {
    auto parsed = json::Parse(app.mappings.empty() ? "[]" : app.mappings);
    auto list = MappingList(parsed.ok() ? &*parsed : nullptr);
    return list.empty() ? mapping::DefaultLdapMappings() : list;
  }
  auto settings = json::Parse(app.settings.empty() ? "{}" : app.settings);
  if (settings.ok() && settings->is_object()) {
    auto list = MappingList(settings->get_object().if_contains("import_mappings"));
    if (!list.empty()) return list;
  }
  if (type == "salesforce") return mapping::DefaultSalesforceImportMappings();
  if (type == "google-workspace") return mapping::DefaultGoogleImportMappings();
  return {};
}

constexpr std::string_view kPassThrough[] = {
    "userName",        "name",      "displayName", "nickName",
    "profileUrl",      "title",     "userType",    "preferredLanguage",
    "locale",          "timezone",  "active",      "emails",
    "phoneNumbers",    "addresses", "ims",         "photos",
    "x509Certificates"};

}  // namespace

Result<SourceMapper> SourceMapper::For(const store::ApplicationRow& app, std::string source_type) {
  SourceMapper m;
  m.type_ = std::move(source_type);
  auto list = ImportMappings(app, m.type_);
  if (!list.empty()) {
    ASSIGN_OR_RETURN(auto compiled, mapping::Compile(list));
    m.mappings_ = std::make_shared<const mapping::CompiledMappings>(std::move(compiled));
    const std::string manager = std::string(scim::kEnterpriseUserSchema) + ":manager";
    for (const auto& mapped : m.mappings_->mappings()) {
      std::string target = mapping::ToString(mapped.target);
      m.maps_manager_ = m.maps_manager_ || scim::IEquals(target, manager) ||
                        scim::IEquals(target, manager + ".value");
    }
  }
  return m;
}

Result<boost::json::object> SourceMapper::MapUser(const connectors::Account& account) const {
  boost::json::object out;
  if (ldap()) {
    boost::json::object entry;
    for (const auto& [k, v] : account.attributes) {
      if (v.is_array() && !MultiValued(k) && !v.get_array().empty()) {
        entry[k] = v.get_array().front();
      } else {
        entry[k] = v;
      }
    }
    ASSIGN_OR_RETURN(out, mapping::Apply(*mappings_, entry, /*creating=*/true));
    // Active Directory's disabled bit, as the connector derived it, unless a mapping says.
    if (!out.contains("active")) {
      if (const auto* a = account.attributes.if_contains("active"); a && a->is_bool()) {
        out["active"] = *a;
      }
    }
  } else if (mappings_) {
    ASSIGN_OR_RETURN(out, mapping::Apply(*mappings_, account.attributes, /*creating=*/true));
  } else {
    for (std::string_view k : kPassThrough) {
      if (const auto* v = account.attributes.if_contains(k)) out[k] = *v;
    }
    if (const auto* ext = account.attributes.if_contains(scim::kEnterpriseUserSchema)) {
      out[scim::kEnterpriseUserSchema] = *ext;
    }
    out["externalId"] = account.id;
  }
  boost::json::array schemas{scim::kUserSchema};
  if (out.contains(scim::kEnterpriseUserSchema)) schemas.emplace_back(scim::kEnterpriseUserSchema);
  out["schemas"] = std::move(schemas);
  if (!out.contains("userName")) {
    return Error(Code::kInvalidValue, "the mapped record has no userName");
  }
  return out;
}

std::string SourceMapper::SourceName(const connectors::Account& account) const {
  std::string_view key = ldap() ? "dn" : type_ == "google-workspace" ? "primaryEmail" : "";
  if (key.empty()) return "";
  auto v = Strings(FindCi(account.attributes, key));
  return v.empty() ? "" : v.front();
}

bool SourceMapper::MapsManager(const connectors::Account& account) const {
  return mappings_ ? maps_manager_ : account.attributes.contains(scim::kEnterpriseUserSchema);
}

std::string SourceMapper::ManagerRef(const boost::json::object& mapped) {
  const auto* ext = mapped.if_contains(scim::kEnterpriseUserSchema);
  const auto* manager =
      ext && ext->is_object() ? ext->get_object().if_contains("manager") : nullptr;
  if (manager == nullptr) return "";
  if (manager->is_string()) return std::string(manager->get_string());
  if (!manager->is_object()) return "";
  return std::string(json::GetString(manager->get_object(), "value").value_or(""));
}

void SourceMapper::SetManager(boost::json::object& mapped, std::string_view portal_id) {
  auto ext = mapped.find(scim::kEnterpriseUserSchema);
  if (portal_id.empty()) {
    if (ext == mapped.end() || !ext->value().is_object()) return;
    ext->value().get_object().erase("manager");
    if (ext->value().get_object().empty()) {
      mapped.erase(ext);
      if (auto* schemas = mapped.if_contains("schemas"); schemas && schemas->is_array()) {
        auto& list = schemas->get_array();
        for (auto it = list.begin(); it != list.end();) {
          it = it->is_string() && it->get_string() == scim::kEnterpriseUserSchema ? list.erase(it)
                                                                                  : it + 1;
        }
      }
    }
    return;
  }
  // Only the reference: the source's $ref and display name are the source's.
  if (ext == mapped.end() || !ext->value().is_object()) {
    mapped[scim::kEnterpriseUserSchema] = boost::json::object();
    if (auto* schemas = mapped.if_contains("schemas"); schemas && schemas->is_array()) {
      schemas->get_array().emplace_back(scim::kEnterpriseUserSchema);
    }
  }
  mapped[scim::kEnterpriseUserSchema].as_object()["manager"] =
      boost::json::object{{"value", portal_id}};
}

std::string SourceMapper::GroupName(const connectors::Account& group) const {
  for (std::string_view k : {"displayName", "cn", "name"}) {
    auto v = Strings(FindCi(group.attributes, k));
    if (!v.empty()) return v.front();
  }
  return group.id;
}

std::vector<std::string> SourceMapper::MemberRefs(const connectors::Account& group) const {
  if (!ldap()) return Strings(group.attributes.if_contains("members"));
  auto out = Strings(FindCi(group.attributes, "member"));
  auto unique = Strings(FindCi(group.attributes, "uniqueMember"));
  for (auto& u : unique) {
    // uniqueMember may carry an optional #'bitstring' UID after the DN.
    if (auto hash = u.rfind("#'"); hash != std::string::npos) u.resize(hash);
    out.push_back(std::move(u));
  }
  return out;
}

std::optional<std::vector<std::string>> SourceMapper::AccountEntitlements(
    const connectors::Account& account) const {
  if (ldap()) return std::nullopt;
  std::vector<std::string> out;
  for (std::string_view k : {"entitlements", "roles", "ProfileId", "UserRoleId"}) {
    for (auto& v : Strings(account.attributes.if_contains(k))) {
      if (!v.empty()) out.push_back(std::move(v));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string SourceMapper::ChangeMarker(const connectors::Account& account) const {
  return ldap() ? connectors::ldap::ChangeMarker(account) : "";
}

boost::json::object MinimalPatch(const boost::json::object& current,
                                 const boost::json::object& desired) {
  boost::json::array ops;
  auto replace = [&](std::string path, const boost::json::value& v) {
    ops.push_back(boost::json::object{{"op", "replace"}, {"path", std::move(path)}, {"value", v}});
  };
  for (const auto& [k, v] : desired) {
    if (k == "schemas") continue;
    const auto* have = current.if_contains(k);
    if (v.is_object() && have && have->is_object()) {
      for (const auto& [sk, sv] : v.get_object()) {
        const auto* hs = have->get_object().if_contains(sk);
        if (sv.is_null() && (!hs || hs->is_null())) continue;  // none, as wanted
        if (!hs || mapping::CanonicalJson(*hs) != mapping::CanonicalJson(sv)) {
          std::string sep = k.find(':') != std::string::npos ? ":" : ".";
          replace(std::string(k) + sep + std::string(sk), sv);
        }
      }
    } else if (v.is_object() && (!have || !have->is_object())) {
      boost::json::object present;  // members set to none are none already
      for (const auto& [sk, sv] : v.get_object()) {
        if (!sv.is_null()) present[sk] = sv;
      }
      if (!present.empty()) replace(std::string(k), present);
    } else if (v.is_null() && (!have || have->is_null())) {
      continue;  // none, as wanted
    } else if (!have || mapping::CanonicalJson(*have) != mapping::CanonicalJson(v)) {
      replace(std::string(k), v);
    }
  }
  return {{"schemas", boost::json::array{scim::kPatchOpSchema}}, {"Operations", std::move(ops)}};
}

}  // namespace provisio::importsync
