#include <boost/json/parse.hpp>

#include "api/audit.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "apps/applications.h"
#include "apps/mappings.h"
#include "provisioning/triggers.h"

namespace provisio::api {
namespace {

Result<store::ApplicationRow> Find(Call& call, store::Transaction* tx) {
  std::string id(call.request.Param("id"));
  ASSIGN_OR_RETURN(auto a, call.store().applications().Get(tx, id));
  if (!a) return Error::NotFound("no application " + id);
  return std::move(*a);
}

boost::json::value MappingsJson(const store::ApplicationRow& a) {
  boost::system::error_code ec;
  auto v = boost::json::parse(a.mappings, ec);
  return ec ? boost::json::array{} : v;
}

}  // namespace

HandlerResult ListApplications(Call& call) {
  ASSIGN_OR_RETURN(auto all, call.store().applications().List(nullptr));
  boost::json::array items;
  for (const auto& a : all) items.push_back(apps::ApplicationJson(a));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

HandlerResult GetApplication(Call& call) {
  ASSIGN_OR_RETURN(auto a, Find(call, nullptr));
  return JsonResponse(200, apps::ApplicationJson(a));
}

HandlerResult CreateApplication(Call& call) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(auto a, apps::NewApplication(body, call.store(), *tx, call.clock().Now()));
  RETURN_IF_ERROR(call.store().applications().Insert(*tx, a));
  auto view = apps::ApplicationJson(a);
  boost::json::object audit_after = view;
  audit_after["mappings"] = MappingsJson(a);
  RETURN_IF_ERROR(
      Audit(call, *tx, "application.create", "application", a.id, std::nullopt, audit_after));
  RETURN_IF_ERROR(tx->Commit());
  return JsonResponse(201, view);
}

HandlerResult UpdateApplication(Call& call) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(auto before, Find(call, tx.get()));
  ASSIGN_OR_RETURN(auto after,
                   apps::UpdatedApplication(before, body, call.store(), *tx, call.clock().Now()));
  RETURN_IF_ERROR(call.store().applications().Update(*tx, after));
  boost::json::object audit_before = apps::ApplicationJson(before);
  boost::json::object audit_after = apps::ApplicationJson(after);
  if (after.mappings != before.mappings) {
    audit_before["mappings"] = MappingsJson(before);
    audit_after["mappings"] = MappingsJson(after);
  }
  RETURN_IF_ERROR(
      Audit(call, *tx, "application.update", "application", after.id, audit_before, audit_after));
  if (after.settings != before.settings || after.mappings != before.mappings ||
      after.state != before.state || after.connection_id != before.connection_id) {
    // Level-triggered: every account the application has or should have is looked at again.
    ASSIGN_OR_RETURN(int64_t marked,
                     provisioning::MarkApplicationDirty(call.store(), *tx, after.id, "incremental",
                                                        call.clock().Now()));
    (void)marked;
  }
  RETURN_IF_ERROR(tx->Commit());
  WakeEngine(call);
  return JsonResponse(200, apps::ApplicationJson(after));
}

HandlerResult DeleteApplication(Call& call) {
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(auto a, Find(call, tx.get()));
  ASSIGN_OR_RETURN(auto assignments, call.store().assignments().List(tx.get(), a.id));
  // Assignments go with it; the target's accounts are never touched.
  RETURN_IF_ERROR(call.store().applications().Delete(*tx, a.id));
  RETURN_IF_ERROR(call.store().links().DeleteAll(*tx, a.id));
  RETURN_IF_ERROR(call.store().work().DeleteAll(*tx, a.id));
  boost::json::object before = apps::ApplicationJson(a);
  before["assignments_removed"] = assignments.size();
  RETURN_IF_ERROR(
      Audit(call, *tx, "application.delete", "application", a.id, before, std::nullopt));
  RETURN_IF_ERROR(tx->Commit());
  return http::Response::NoContent();
}

HandlerResult GetMappings(Call& call) {
  ASSIGN_OR_RETURN(auto a, Find(call, nullptr));
  return JsonResponse(200, boost::json::object{{"items", MappingsJson(a)}});
}

HandlerResult ReplaceMappings(Call& call) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  RETURN_IF_ERROR(body.AllowOnly({"items"}));
  if (!body.Has("items")) {
    return apps::Reject(Code::kInvalidArgument, "missing_field", "items is required",
                        {{"field", "items"}});
  }
  ASSIGN_OR_RETURN(std::string mappings, apps::ParseMappings(body.object().at("items"), "items"));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(auto before, Find(call, tx.get()));
  store::ApplicationRow after = before;
  after.mappings = mappings;
  after.updated = call.clock().Now();
  RETURN_IF_ERROR(call.store().applications().Update(*tx, after));
  RETURN_IF_ERROR(Audit(call, *tx, "application.mappings_replace", "application", after.id,
                        boost::json::object{{"mappings", MappingsJson(before)}},
                        boost::json::object{{"mappings", MappingsJson(after)}}));
  if (after.mappings != before.mappings) {
    // New mappings may change what every account should hold: each is looked at again, in
    // the same transaction as the change, so a crash cannot lose it.
    ASSIGN_OR_RETURN(int64_t marked,
                     provisioning::MarkApplicationDirty(call.store(), *tx, after.id, "incremental",
                                                        call.clock().Now()));
    (void)marked;
  }
  RETURN_IF_ERROR(tx->Commit());
  WakeEngine(call);
  return JsonResponse(200, boost::json::object{{"items", MappingsJson(after)}});
}

}  // namespace provisio::api
