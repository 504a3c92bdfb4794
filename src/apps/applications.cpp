#include "apps/applications.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <tuple>

#include "apps/catalog.h"
#include "apps/mappings.h"
#include "core/ids.h"
#include "importsync/policy.h"
#include "mapping/scoping.h"
#include "scim/filter_parser.h"

namespace provisio::apps {
namespace {

const Template* TemplateOf(std::string_view id) { return FindTemplate(id); }

Result<std::string> ReadCapabilities(const Input& body, const Template& t) {
  ASSIGN_OR_RETURN(auto caps, body.OptStringList("capabilities", 2, 32));
  if (!caps) {
    return Reject(Code::kInvalidArgument, "missing_field", "capabilities is required",
                  {{"field", "capabilities"}});
  }
  bool provisioning = false, import_sync = false;
  for (const std::string& c : *caps) {
    RETURN_IF_ERROR(CheckOneOf("capabilities", c, {"provisioning", "import_sync"}));
    provisioning = provisioning || c == "provisioning";
    import_sync = import_sync || c == "import_sync";
  }
  // Provisioning needs to know what the target holds, so it always brings import/sync.
  if (provisioning) import_sync = true;
  for (auto [asked, supported, name] :
       {std::tuple{provisioning, t.supports.provisioning, "provisioning"},
        std::tuple{import_sync, t.supports.import_sync, "import_sync"}}) {
    if (asked && !supported) {
      return Reject(Code::kInvalidValue, "unsupported_capability",
                    "the " + std::string(t.id) + " template does not support " + name,
                    {{"field", "capabilities"}, {"capability", name}});
    }
  }
  boost::json::array out;
  if (provisioning) out.emplace_back("provisioning");
  if (import_sync) out.emplace_back("import_sync");
  return boost::json::serialize(out);
}

Status CheckConnection(const std::string& connection_id, const Template& t, store::Store& store,
                       store::Transaction& tx) {
  ASSIGN_OR_RETURN(auto conn, store.connections().Get(&tx, connection_id));
  if (!conn) {
    return Reject(Code::kInvalidValue, "unknown_connection",
                  "no connection with id " + connection_id, {{"field", "connection_id"}});
  }
  if (conn->type != t.id) {
    return Reject(Code::kInvalidValue, "connection_type_mismatch",
                  "the connection is of type " + conn->type + " but the application's template " +
                      "needs " + std::string(t.id),
                  {{"field", "connection_id"}, {"expected_type", t.id}});
  }
  return Ok();
}

// "manual", or an interval "<n>m" / "<n>h" / "<n>d" from 5 minutes to 7 days.
Status CheckSchedule(std::string_view s) {
  if (s == "manual") return Ok();
  auto bad = [] {
    return Reject(Code::kInvalidValue, "invalid_value",
                  "settings.sync_schedule must be \"manual\" or an interval such as \"15m\", "
                  "\"1h\", \"1d\" (5 minutes to 7 days)",
                  {{"field", "settings.sync_schedule"}});
  };
  if (s.size() < 2 || s.size() > 6) return bad();
  int64_t n = 0;
  for (char c : s.substr(0, s.size() - 1)) {
    if (c < '0' || c > '9') return bad();
    n = n * 10 + (c - '0');
  }
  int64_t minutes = s.back() == 'm'   ? n
                    : s.back() == 'h' ? n * 60
                    : s.back() == 'd' ? n * 1440
                                      : -1;
  if (minutes < 5 || minutes > 7 * 1440) return bad();
  return Ok();
}

Result<std::string> ReadSettings(const Input& body, const Template& t,
                                 const boost::json::object* previous) {
  boost::json::object out;
  if (previous) {
    out = *previous;
  } else {
    out = {{"deprovisioning_action", "disable"},
           {"matching_attribute", t.default_matching_attribute},
           {"scoping_filter", ""},
           {"sync_schedule", "manual"},
           {"deletion_threshold", 500}};
  }
  ASSIGN_OR_RETURN(auto in, body.OptObject("settings"));
  if (!in) return boost::json::serialize(out);
  RETURN_IF_ERROR(in->AllowOnly(
      {"deprovisioning_action", "matching_attribute", "scoping_filter", "sync_schedule",
       "deletion_threshold", "import_matching", "import_unmatched", "import_gone", "import_groups",
       "import_hold_attributes", "import_mappings", "push_groups", "group_member_role",
       "group_email_domain", "rate_limit_per_second", "rate_limit_burst", "concurrency"}));
  // Import policies (docs/import.md) are checked by the import module's own parser, so what
  // is saved is what the importer accepts.
  {
    boost::json::object import_keys;
    for (std::string_view k : {"import_matching", "import_unmatched", "import_gone",
                               "import_groups", "import_hold_attributes"}) {
      if (const auto* v = in->object().if_contains(k)) import_keys[k] = *v;
    }
    if (!import_keys.empty()) {
      auto policy = importsync::ParsePolicy(import_keys, {});
      if (!policy.ok()) {
        Error e = std::move(policy).error();
        return Reject(Code::kInvalidValue, "invalid_value", "settings." + e.message(), e.details());
      }
      for (auto& [k, v] : import_keys) out[k] = v;
    }
  }
  // Import mappings (portal attribute ← expression over the source's record) for applications
  // whose own mappings are for provisioning; [] goes back to the template's. An LDAP
  // directory only imports: its mappings are its import mappings.
  if (const auto* v = in->object().if_contains("import_mappings")) {
    if (t.id == "ldap") {
      return Reject(Code::kInvalidValue, "invalid_value",
                    "an LDAP directory imports through its mappings (PUT "
                    "applications/{id}/mappings), not settings.import_mappings",
                    {{"field", "settings.import_mappings"}});
    }
    if (v->is_array() && v->get_array().empty()) {
      out.erase("import_mappings");
    } else {
      ASSIGN_OR_RETURN(std::string text, ParseMappings(*v, "settings.import_mappings"));
      boost::json::value list = boost::json::parse(text);
      bool user_name = false;
      for (const auto& m : list.as_array()) {
        user_name = user_name || m.at("target").as_string() == "userName";
      }
      if (!user_name) {
        return Reject(Code::kInvalidValue, "invalid_value",
                      "settings.import_mappings must map userName: every portal user has one",
                      {{"field", "settings.import_mappings"}});
      }
      out["import_mappings"] = std::move(list);
    }
  }
  if (in->Has("deletion_threshold")) {
    // More accounts than this disabled or deleted within an hour pause the application until
    // an admin looks (the accidental-deletion guard); 0 turns the guard off.
    const auto& v = in->object().at("deletion_threshold");
    if (!v.is_int64() || v.get_int64() < 0 || v.get_int64() > 10'000'000) {
      return Reject(Code::kInvalidValue, "invalid_value",
                    "settings.deletion_threshold must be an integer from 0 to 10000000",
                    {{"field", "settings.deletion_threshold"}});
    }
    out["deletion_threshold"] = v.get_int64();
  }
  // Group push (docs/provisioning.md): on by default where the connector has groups.
  ASSIGN_OR_RETURN(auto push_groups, in->OptBool("push_groups"));
  if (push_groups) out["push_groups"] = *push_groups;
  ASSIGN_OR_RETURN(auto member_role, in->OptString("group_member_role", 16, /*allow_empty=*/true));
  if (member_role) {
    if (!member_role->empty()) {
      RETURN_IF_ERROR(
          CheckOneOf("settings.group_member_role", *member_role, {"MEMBER", "MANAGER", "OWNER"}));
    }
    out["group_member_role"] = *member_role;
  }
  ASSIGN_OR_RETURN(auto email_domain,
                   in->OptString("group_email_domain", 253, /*allow_empty=*/true));
  if (email_domain) {
    for (unsigned char c : *email_domain) {
      if (!std::isalnum(c) && c != '.' && c != '-') {
        return Reject(Code::kInvalidValue, "invalid_value",
                      "settings.group_email_domain must be a domain name",
                      {{"field", "settings.group_email_domain"}});
      }
    }
    out["group_email_domain"] = *email_domain;
  }
  // The application's budget for calls to its target (docs/provisioning.md): a rate with a
  // burst, and calls in flight at once; 0 (or absent) is no limit.
  for (auto [key, max, integer] :
       {std::tuple<std::string_view, double, bool>{"rate_limit_per_second", 100'000, false},
        {"rate_limit_burst", 100'000, true},
        {"concurrency", 512, true}}) {
    if (!in->Has(key)) continue;
    const auto& v = in->object().at(key);
    bool number = v.is_int64() || (!integer && v.is_double());
    double d = v.is_int64()    ? static_cast<double>(v.get_int64())
               : v.is_double() ? v.get_double()
                               : -1;
    if (!number || !(d >= 0 && d <= max)) {
      std::string what = integer ? "an integer" : "a number";
      return Reject(Code::kInvalidValue, "invalid_value",
                    "settings." + std::string(key) + " must be " + what + " from 0 to " +
                        std::to_string(static_cast<int64_t>(max)) + " (0: no limit)",
                    {{"field", "settings." + std::string(key)}});
    }
    if (v.is_int64()) {
      out[key] = v.get_int64();
    } else {
      out[key] = d;
    }
  }
  ASSIGN_OR_RETURN(auto action, in->OptString("deprovisioning_action", 16));
  if (action) {
    RETURN_IF_ERROR(
        CheckOneOf("settings.deprovisioning_action", *action, {"disable", "delete", "none"}));
    out["deprovisioning_action"] = *action;
  }
  ASSIGN_OR_RETURN(auto matching, in->OptString("matching_attribute", 128));
  if (matching) {
    for (unsigned char c : *matching) {
      if (!std::isalnum(c) && c != '.' && c != '_' && c != ':' && c != '-') {
        return Reject(Code::kInvalidValue, "invalid_value",
                      "settings.matching_attribute must be an attribute name",
                      {{"field", "settings.matching_attribute"}});
      }
    }
    out["matching_attribute"] = *matching;
  }
  ASSIGN_OR_RETURN(auto filter, in->OptString("scoping_filter", 4096, /*allow_empty=*/true));
  if (filter) {
    if (!filter->empty()) {
      auto parsed = mapping::ParseScopingFilter(*filter);
      if (!parsed.ok()) {
        return Reject(Code::kInvalidFilter, "invalid_filter",
                      "settings.scoping_filter is not a SCIM filter: " + parsed.error().message(),
                      {{"field", "settings.scoping_filter"}});
      }
    }
    out["scoping_filter"] = *filter;
  }
  ASSIGN_OR_RETURN(auto schedule, in->OptString("sync_schedule", 16));
  if (schedule) {
    RETURN_IF_ERROR(CheckSchedule(*schedule));
    out["sync_schedule"] = *schedule;
  }
  return boost::json::serialize(out);
}

boost::json::value ParseOr(std::string_view text, boost::json::value fallback) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? fallback : v;
}

}  // namespace

Result<store::ApplicationRow> NewApplication(const Input& body, store::Store& store,
                                             store::Transaction& tx, TimePoint now) {
  RETURN_IF_ERROR(body.AllowOnly({"template", "name", "description", "capabilities",
                                  "connection_id", "settings", "mappings"}));
  store::ApplicationRow a;
  ASSIGN_OR_RETURN(a.template_id, body.String("template", 64));
  const Template* t = TemplateOf(a.template_id);
  if (!t) {
    return Reject(Code::kInvalidValue, "unknown_template",
                  "template '" + a.template_id + "' is not in the catalog",
                  {{"field", "template"}});
  }
  ASSIGN_OR_RETURN(a.name, body.String("name", kMaxNameChars));
  ASSIGN_OR_RETURN(auto description, body.OptString("description", kMaxDescriptionChars, true));
  a.description = description.value_or("");
  ASSIGN_OR_RETURN(a.capabilities, ReadCapabilities(body, *t));
  if (!body.IsNull("connection_id")) {
    ASSIGN_OR_RETURN(auto connection_id, body.OptString("connection_id", 64));
    if (connection_id) {
      RETURN_IF_ERROR(CheckConnection(*connection_id, *t, store, tx));
      a.connection_id = *connection_id;
    }
  }
  ASSIGN_OR_RETURN(a.settings, ReadSettings(body, *t, nullptr));
  if (body.Has("mappings")) {
    ASSIGN_OR_RETURN(a.mappings, ParseMappings(body.object().at("mappings"), "mappings"));
  } else {
    a.mappings = DefaultMappings(*t);
  }
  a.state = a.connection_id ? "active" : "draft";
  a.id = NewUuid();
  a.created = a.updated = now;
  return a;
}

Result<store::ApplicationRow> UpdatedApplication(const store::ApplicationRow& current,
                                                 const Input& body, store::Store& store,
                                                 store::Transaction& tx, TimePoint now) {
  RETURN_IF_ERROR(body.AllowOnly({"template", "name", "description", "capabilities",
                                  "connection_id", "settings", "mappings", "state"}));
  store::ApplicationRow a = current;
  const Template* t = TemplateOf(a.template_id);
  if (!t) return Error::Internal("application " + a.id + " has an unknown template");
  ASSIGN_OR_RETURN(auto tmpl, body.OptString("template", 64));
  if (tmpl && *tmpl != a.template_id) {
    return Reject(Code::kInvalidArgument, "immutable_field",
                  "template cannot change; create a new application instead",
                  {{"field", "template"}});
  }
  ASSIGN_OR_RETURN(auto name, body.OptString("name", kMaxNameChars));
  if (name) a.name = *name;
  ASSIGN_OR_RETURN(auto description, body.OptString("description", kMaxDescriptionChars, true));
  if (description) a.description = *description;
  if (body.Has("capabilities")) {
    ASSIGN_OR_RETURN(a.capabilities, ReadCapabilities(body, *t));
  }
  bool connection_changed = false;
  if (body.IsNull("connection_id")) {
    connection_changed = a.connection_id.has_value();
    a.connection_id.reset();
  } else {
    ASSIGN_OR_RETURN(auto connection_id, body.OptString("connection_id", 64));
    if (connection_id && connection_id != a.connection_id) {
      RETURN_IF_ERROR(CheckConnection(*connection_id, *t, store, tx));
      a.connection_id = *connection_id;
      connection_changed = true;
    }
  }
  auto prev_settings = ParseOr(current.settings, boost::json::object{});
  ASSIGN_OR_RETURN(a.settings, ReadSettings(body, *t, &prev_settings.as_object()));
  if (body.Has("mappings")) {
    ASSIGN_OR_RETURN(a.mappings, ParseMappings(body.object().at("mappings"), "mappings"));
  }
  ASSIGN_OR_RETURN(auto state, body.OptString("state", 16));
  if (state) {
    RETURN_IF_ERROR(CheckOneOf("state", *state, {"draft", "active", "paused", "quarantined"}));
    if (*state == "draft" && a.connection_id) {
      return Reject(Code::kConflict, "invalid_state",
                    "an application with a connection is not a draft; pause it instead",
                    {{"field", "state"}});
    }
    if (*state != "draft" && !a.connection_id) {
      return Reject(Code::kConflict, "connection_required",
                    "an application needs a connection before it can be " + *state,
                    {{"field", "state"}});
    }
    a.state = *state;
  } else if (!a.connection_id) {
    a.state = "draft";
  } else if (connection_changed && a.state == "draft") {
    a.state = "active";
  }
  a.updated = now;
  return a;
}

boost::json::object ApplicationJson(const store::ApplicationRow& a) {
  boost::json::object o;
  o["id"] = a.id;
  o["template"] = a.template_id;
  o["name"] = a.name;
  o["description"] = a.description;
  o["capabilities"] = ParseOr(a.capabilities, boost::json::array{});
  o["connection_id"] = a.connection_id ? boost::json::value(*a.connection_id) : nullptr;
  o["settings"] = ParseOr(a.settings, boost::json::object{});
  o["state"] = a.state;
  o["created"] = FormatRfc3339(a.created);
  o["updated"] = FormatRfc3339(a.updated);
  return o;
}

}  // namespace provisio::apps
