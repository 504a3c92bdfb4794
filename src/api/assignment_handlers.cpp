#include "api/audit.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "apps/assignments.h"
#include "provisioning/triggers.h"

namespace provisio::api {
namespace {

Status RequireApplication(Call& call, store::Transaction* tx) {
  std::string id(call.request.Param("id"));
  ASSIGN_OR_RETURN(auto a, call.store().applications().Get(tx, id));
  if (!a) return Error::NotFound("no application " + id);
  return Ok();
}

Result<store::AssignmentRow> Find(Call& call, store::Transaction* tx) {
  RETURN_IF_ERROR(RequireApplication(call, tx));
  std::string id(call.request.Param("assignment_id"));
  ASSIGN_OR_RETURN(auto a, call.store().assignments().Get(tx, call.request.Param("id"), id));
  if (!a) return Error::NotFound("no assignment " + id);
  return std::move(*a);
}

}  // namespace

HandlerResult ListAssignments(Call& call) {
  RETURN_IF_ERROR(RequireApplication(call, nullptr));
  ASSIGN_OR_RETURN(auto all, call.store().assignments().List(nullptr, call.request.Param("id")));
  boost::json::array items;
  for (const auto& a : all) items.push_back(apps::AssignmentJson(a));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

HandlerResult GetAssignment(Call& call) {
  ASSIGN_OR_RETURN(auto a, Find(call, nullptr));
  return JsonResponse(200, apps::AssignmentJson(a));
}

HandlerResult CreateAssignment(Call& call) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  RETURN_IF_ERROR(RequireApplication(call, tx.get()));
  ASSIGN_OR_RETURN(auto a, apps::NewAssignment(body, call.request.Param("id"), call.store(), *tx,
                                               call.clock().Now()));
  RETURN_IF_ERROR(call.store().assignments().Insert(*tx, a));
  RETURN_IF_ERROR(provisioning::MarkAssignmentDirty(
      call.store(), *tx, a.application_id, a.principal_type, a.principal_id, call.clock().Now()));
  auto view = apps::AssignmentJson(a);
  RETURN_IF_ERROR(Audit(call, *tx, "assignment.create", "assignment", a.id, std::nullopt, view));
  RETURN_IF_ERROR(tx->Commit());
  WakeEngine(call);
  return JsonResponse(201, view);
}

HandlerResult UpdateAssignment(Call& call) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(auto before, Find(call, tx.get()));
  ASSIGN_OR_RETURN(auto after,
                   apps::UpdatedAssignment(before, body, call.store(), call.clock().Now()));
  RETURN_IF_ERROR(call.store().assignments().Update(*tx, after));
  // Another selection of entitlements (profile, role, org unit) is a change of the accounts.
  RETURN_IF_ERROR(provisioning::MarkAssignmentDirty(call.store(), *tx, after.application_id,
                                                    after.principal_type, after.principal_id,
                                                    call.clock().Now()));
  RETURN_IF_ERROR(Audit(call, *tx, "assignment.update", "assignment", after.id,
                        apps::AssignmentJson(before), apps::AssignmentJson(after)));
  RETURN_IF_ERROR(tx->Commit());
  WakeEngine(call);
  return JsonResponse(200, apps::AssignmentJson(after));
}

HandlerResult DeleteAssignment(Call& call) {
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(auto a, Find(call, tx.get()));
  RETURN_IF_ERROR(call.store().assignments().Delete(*tx, a.application_id, a.id));
  RETURN_IF_ERROR(provisioning::MarkAssignmentDirty(
      call.store(), *tx, a.application_id, a.principal_type, a.principal_id, call.clock().Now()));
  RETURN_IF_ERROR(Audit(call, *tx, "assignment.delete", "assignment", a.id, apps::AssignmentJson(a),
                        std::nullopt));
  RETURN_IF_ERROR(tx->Commit());
  WakeEngine(call);
  return http::Response::NoContent();
}

}  // namespace provisio::api
