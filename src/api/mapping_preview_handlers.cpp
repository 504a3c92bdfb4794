// POST applications/{id}/mappings/preview: an application's attribute mappings (or an unsaved
// list, checked as PUT .../mappings checks it) evaluated for one portal user the way the
// engine computes the desired account, without calling the target. It changes nothing, so it
// needs read permission only and writes no audit row.
#include <boost/json.hpp>

#include "api/handlers.h"
#include "api/respond.h"
#include "apps/input.h"
#include "apps/mappings.h"
#include "core/json.h"
#include "directory/directory.h"
#include "mapping/mapping.h"
#include "mapping/scoping.h"
#include "provisioning/planner.h"
#include "provisioning/triggers.h"

namespace provisio::api {
namespace {

std::string StringAt(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Assigned directly or through one of the user's groups, as the engine decides it.
Result<bool> Assigned(Call& call, std::string_view app_id, const std::string& user_id,
                      const boost::json::object& user) {
  ASSIGN_OR_RETURN(auto assignments, call.store().assignments().List(nullptr, app_id));
  std::vector<std::string> groups;
  if (const auto* g = user.if_contains("groups"); g && g->is_array()) {
    for (const auto& m : g->as_array()) {
      if (m.is_object()) groups.push_back(StringAt(m.as_object(), "value"));
    }
  }
  for (const auto& a : assignments) {
    if (a.principal_type == "user" && a.principal_id == user_id) return true;
    if (a.principal_type == "group" &&
        std::find(groups.begin(), groups.end(), a.principal_id) != groups.end()) {
      return true;
    }
  }
  return false;
}

// The target object built from the mappings that evaluated; a failing one is left out (and
// reported on its row), so the preview shows as much of the account as can be computed.
boost::json::value Representation(const mapping::CompiledMappings& compiled,
                                  const boost::json::array& rows, const boost::json::object& user,
                                  bool creating) {
  std::vector<mapping::AttributeMapping> ok;
  const auto list = compiled.mappings();
  for (size_t i = 0; i < list.size() && i < rows.size(); ++i) {
    if (!rows[i].as_object().contains("error")) ok.push_back(list[i].source);
  }
  auto subset = mapping::Compile(ok);
  if (!subset.ok()) return nullptr;
  auto out = mapping::Apply(*subset, user, creating);
  if (!out.ok()) return nullptr;
  return std::move(out).value();
}

}  // namespace

HandlerResult PreviewMappings(Call& call) {
  std::string id(call.request.Param("id"));
  ASSIGN_OR_RETURN(auto app, call.store().applications().Get(nullptr, id));
  if (!app) return Error::NotFound("no application " + id);
  if (app->template_id == "ldap") {
    // An LDAP directory's mappings run the other way (entry → portal user, on import).
    return apps::Reject(Code::kConflict, "import_mappings",
                        "an LDAP directory application's mappings turn directory entries into "
                        "portal users on import; there is no target account to preview",
                        {{"template", "ldap"}});
  }
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  RETURN_IF_ERROR(body.AllowOnly({"user_id", "mappings"}));
  ASSIGN_OR_RETURN(std::string user_id, body.String("user_id", 128));
  store::ApplicationRow row = *app;
  const bool unsaved = body.Has("mappings") && !body.IsNull("mappings");
  if (unsaved) {
    // The same checks as saving: a list the editor could not save is refused the same way.
    ASSIGN_OR_RETURN(row.mappings, apps::ParseMappings(body.object().at("mappings"), "mappings"));
  }
  ASSIGN_OR_RETURN(mapping::CompiledMappings compiled, provisioning::CompileAppMappings(row));

  directory::Directory dir(call.store(), Registry(), call.clock());
  auto user = dir.GetUser(user_id, {.groups = true, .members = false});
  if (!user.ok()) {
    if (user.error().code() != Code::kNotFound) return std::move(user).error();
    return apps::Reject(Code::kInvalidValue, "unknown_user", "no user with id " + user_id,
                        {{"field", "user_id"}});
  }
  const boost::json::object& u = user->body;

  ASSIGN_OR_RETURN(bool assigned, Assigned(call, id, user_id, u));
  bool in_scope = true;
  auto settings = json::Parse(app->settings.empty() ? "{}" : app->settings);
  if (settings.ok() && settings->is_object()) {
    if (auto f = json::GetString(settings->as_object(), "scoping_filter"); f && !f->empty()) {
      ASSIGN_OR_RETURN(auto scoping, mapping::ParseScopingFilter(*f));
      in_scope = mapping::InScope(scoping, u);
    }
  }

  ASSIGN_OR_RETURN(boost::json::array rows, mapping::Explain(compiled, u, /*creating=*/true));
  int64_t errors = 0;
  for (const auto& r : rows) errors += r.as_object().contains("error") ? 1 : 0;
  boost::json::value on_create = Representation(compiled, rows, u, true);
  boost::json::value on_update = Representation(compiled, rows, u, false);
  // The manager as the engine sends her: not her portal id but what stands for her account in
  // this application, or none while she has none (provisioning/planner.h, ManagerReference).
  boost::json::value manager = nullptr;
  if (auto ref = provisioning::ManagerReferenceFor(app->template_id);
      ref && provisioning::MapsManager(*ref, compiled) && on_update.is_object()) {
    std::string portal_id = provisioning::ManagerIn(*ref, on_update.as_object());
    if (!portal_id.empty()) {
      ASSIGN_OR_RETURN(auto link, call.store().links().Get(nullptr, id, "user", portal_id));
      std::string value = link && link->state == "active" && !link->target_id.empty()
                              ? provisioning::ManagerValue(*ref, *link)
                              : "";
      for (auto* o : {&on_create, &on_update}) {
        if (!o->is_object()) continue;
        if (value.empty()) {
          mapping::EraseAt(o->as_object(), ref->path);
        } else {
          mapping::WriteAt(o->as_object(), ref->path, boost::json::string(value));
        }
      }
      manager = boost::json::object{
          {"user_id", portal_id},
          {"attribute", mapping::ToString(ref->path)},
          {"value", value.empty() ? boost::json::value(nullptr) : boost::json::value(value)}};
    }
  }
  boost::json::object out{
      {"application_id", id},
      {"user",
       {{"id", user_id},
        {"userName", StringAt(u, "userName")},
        {"displayName", StringAt(u, "displayName")}}},
      {"mappings", unsaved ? "unsaved" : "saved"},
      {"assigned", assigned},
      {"in_scope", in_scope},
      {"errors", errors},
      {"on_create", std::move(on_create)},
      {"on_update", std::move(on_update)},
      {"manager", std::move(manager)},
      {"attributes", std::move(rows)},
  };
  return JsonResponse(200, out);
}

}  // namespace provisio::api
