#include "api/audit.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "apps/applications.h"
#include "apps/connections.h"

namespace provisio::api {
namespace {

using apps::Reject;

Result<store::ConnectionRow> Find(Call& call, store::Transaction* tx) {
  std::string id(call.request.Param("id"));
  ASSIGN_OR_RETURN(auto c, call.store().connections().Get(tx, id));
  if (!c) return Error::NotFound("no connection " + id);
  return std::move(*c);
}

Result<bool> ForceFlag(const Call& call) {
  auto force = call.request.Query("force");
  if (!force || *force == "false") return false;
  if (*force == "true") return true;
  return Reject(Code::kInvalidValue, "invalid_value", "force must be true or false",
                {{"field", "force"}});
}

}  // namespace

HandlerResult ListConnections(Call& call) {
  ASSIGN_OR_RETURN(auto all, call.store().connections().List(nullptr));
  boost::json::array items;
  for (const auto& c : all) items.push_back(apps::ConnectionJson(c));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

HandlerResult GetConnection(Call& call) {
  ASSIGN_OR_RETURN(auto c, Find(call, nullptr));
  return JsonResponse(200, apps::ConnectionJson(c));
}

HandlerResult CreateConnection(Call& call) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  ASSIGN_OR_RETURN(auto c, apps::NewConnection(body, call.ctx.deps.secrets, call.clock().Now()));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  RETURN_IF_ERROR(call.store().connections().Insert(*tx, c));
  auto view = apps::ConnectionJson(c);
  RETURN_IF_ERROR(Audit(call, *tx, "connection.create", "connection", c.id, std::nullopt, view));
  RETURN_IF_ERROR(tx->Commit());
  return JsonResponse(201, view);
}

HandlerResult UpdateConnection(Call& call) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(auto before, Find(call, tx.get()));
  ASSIGN_OR_RETURN(
      auto after, apps::UpdatedConnection(before, body, call.ctx.deps.secrets, call.clock().Now()));
  RETURN_IF_ERROR(call.store().connections().Update(*tx, after));
  auto view = apps::ConnectionJson(after);
  boost::json::object audit_after = view;
  // Record that a secret was replaced, never what it is.
  if (auto auth = body.OptObject("auth"); auth.ok() && *auth) {
    boost::json::array replaced;
    for (const auto& kv : (*auth)->object()) {
      if (kv.key() != "kind") replaced.emplace_back(kv.key());
    }
    audit_after["auth_fields_given"] = std::move(replaced);
  }
  RETURN_IF_ERROR(Audit(call, *tx, "connection.update", "connection", after.id,
                        apps::ConnectionJson(before), audit_after));
  RETURN_IF_ERROR(tx->Commit());
  return JsonResponse(200, view);
}

HandlerResult DeleteConnection(Call& call) {
  ASSIGN_OR_RETURN(bool force, ForceFlag(call));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(auto c, Find(call, tx.get()));
  ASSIGN_OR_RETURN(auto users, call.store().applications().ListUsingConnection(tx.get(), c.id));
  if (!users.empty() && !force) {
    boost::json::array apps_json;
    for (const auto& a : users) apps_json.push_back({{"id", a.id}, {"name", a.name}});
    return Reject(Code::kConflict, "connection_in_use",
                  "the connection is used by " + std::to_string(users.size()) +
                      " application(s); unbind them first or pass ?force=true",
                  {{"applications", std::move(apps_json)}});
  }
  TimePoint now = call.clock().Now();
  for (auto app : users) {
    // Forced: each application falls back to draft until it gets a connection again.
    auto before = apps::ApplicationJson(app);
    app.connection_id.reset();
    app.state = "draft";
    app.updated = now;
    RETURN_IF_ERROR(call.store().applications().Update(*tx, app));
    RETURN_IF_ERROR(Audit(call, *tx, "application.update", "application", app.id, before,
                          apps::ApplicationJson(app)));
  }
  RETURN_IF_ERROR(call.store().connections().Delete(*tx, c.id));
  RETURN_IF_ERROR(Audit(call, *tx, "connection.delete", "connection", c.id, apps::ConnectionJson(c),
                        std::nullopt));
  RETURN_IF_ERROR(tx->Commit());
  return http::Response::NoContent();
}

HandlerResult TestConnection(Call& call) {
  if (!call.request.body.empty() && call.request.body != "{}") {
    ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
    RETURN_IF_ERROR(body.AllowOnly({}));
  }
  ASSIGN_OR_RETURN(auto c, Find(call, nullptr));
  auto tester = call.ctx.deps.testers.find(c.type);
  if (tester == call.ctx.deps.testers.end()) {
    return Reject(Code::kNotImplemented, "not_implemented",
                  "connectors are not available yet for " + c.type +
                      "; this build cannot check the connection",
                  {{"type", c.type}});
  }
  ASSIGN_OR_RETURN(auto secrets, apps::OpenSecrets(c, call.ctx.deps.secrets));
  ASSIGN_OR_RETURN(apps::TestResult result, tester->second(c, secrets));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  RETURN_IF_ERROR(Audit(call, *tx, "connection.test", "connection", c.id, std::nullopt,
                        boost::json::object{{"ok", result.ok}, {"message", result.message}},
                        result.ok ? "success" : "failure"));
  RETURN_IF_ERROR(tx->Commit());
  return JsonResponse(200, boost::json::object{{"ok", result.ok}, {"message", result.message}});
}

}  // namespace provisio::api
