// The held-record review: list what import runs held for an admin, approve or reject each.
// The import module (importsync/review.h) decides what a decision does; these translate,
// refuse bad input before anything is written, and audit each decision in its transaction.
#include "api/audit.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "apps/input.h"
#include "directory/directory.h"
#include "importsync/review.h"

namespace provisio::api {
namespace {

Status RequireApplication(Call& call) {
  std::string id(call.request.Param("id"));
  ASSIGN_OR_RETURN(auto a, call.store().applications().Get(nullptr, id));
  if (!a) return Error::NotFound("no application " + id);
  return Ok();
}

// ?limit=N within [1, 500], default 50.
Result<size_t> Limit(const http::Request& r) {
  auto v = r.Query("limit");
  if (!v) return size_t{50};
  size_t n = 0;
  for (char c : *v) {
    if (c < '0' || c > '9' || n > 100'000) {
      n = 0;
      break;
    }
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  if (n == 0 || v->empty()) {
    return apps::Reject(Code::kInvalidArgument, "invalid_value", "limit must be a positive integer",
                        {{"field", "limit"}});
  }
  return std::min<size_t>(n, 500);
}

// A decision waits while a run of the application is writing the same links.
Status NoRunningImport(Call& call) {
  ASSIGN_OR_RETURN(auto running, call.store().imports().ListByState("running"));
  for (const auto& r : running) {
    if (r.application_id == call.request.Param("id")) {
      return apps::Reject(Code::kConflict, "import_running",
                          "an import of this application is running; decide once it has finished",
                          {{"run_id", r.id}});
    }
  }
  return Ok();
}

Result<importsync::Approval> ParseApproval(const http::Request& request) {
  ASSIGN_OR_RETURN(
      apps::Input body,
      apps::Input::Parse(request.body.empty() ? std::string_view("{}") : request.body));
  RETURN_IF_ERROR(body.AllowOnly({"action", "user_id"}));
  ASSIGN_OR_RETURN(auto action, body.OptString("action", 16));
  ASSIGN_OR_RETURN(auto user_id, body.OptString("user_id", 128));
  importsync::Approval a;
  std::string act = action.value_or(user_id ? "link" : "apply");
  RETURN_IF_ERROR(apps::CheckOneOf("action", act, {"create", "link", "apply"}));
  if (act == "link") {
    if (!user_id) {
      return apps::Reject(Code::kInvalidArgument, "missing_field",
                          "user_id is required to link to a portal user", {{"field", "user_id"}});
    }
    a.action = importsync::Approval::Action::kLink;
    a.user_id = *user_id;
  } else {
    if (user_id) {
      return apps::Reject(Code::kInvalidArgument, "conflicting_fields",
                          "user_id goes with action \"link\" only",
                          {{"field", "user_id"}, {"with", "action"}});
    }
    a.action = act == "create" ? importsync::Approval::Action::kCreate
                               : importsync::Approval::Action::kApply;
  }
  return a;
}

}  // namespace

HandlerResult ListHeld(Call& call) {
  RETURN_IF_ERROR(RequireApplication(call));
  ASSIGN_OR_RETURN(size_t limit, Limit(call.request));
  std::string after(call.request.Query("after").value_or(""));
  directory::Directory dir(call.store(), Registry(), call.clock());
  ASSIGN_OR_RETURN(auto page,
                   importsync::ListHeld(call.store(), dir, call.request.Param("id"), after, limit));
  boost::json::object out{{"items", std::move(page.items)}};
  if (!page.next.empty()) out["next"] = page.next;
  return JsonResponse(200, out);
}

HandlerResult ListImportedAccounts(Call& call) {
  RETURN_IF_ERROR(RequireApplication(call));
  ASSIGN_OR_RETURN(size_t limit, Limit(call.request));
  std::string after(call.request.Query("after").value_or(""));
  std::string entitlement(call.request.Query("entitlement").value_or(""));
  ASSIGN_OR_RETURN(auto page, importsync::ListAccounts(call.store(), call.request.Param("id"),
                                                       after, limit, entitlement));
  boost::json::object out{{"items", std::move(page.items)}};
  if (!page.next.empty()) out["next"] = page.next;
  return JsonResponse(200, out);
}

HandlerResult ApproveHeld(Call& call) {
  RETURN_IF_ERROR(RequireApplication(call));
  ASSIGN_OR_RETURN(importsync::Approval approval, ParseApproval(call.request));
  RETURN_IF_ERROR(NoRunningImport(call));
  std::string app_id(call.request.Param("id"));
  std::string source_id(call.request.Param("source_id"));
  directory::Directory dir(call.store(), Registry(), call.clock());
  // Read before the write transaction begins: the directory reads on its own.
  ASSIGN_OR_RETURN(boost::json::object before,
                   importsync::GetHeld(call.store(), dir, app_id, source_id));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(
      importsync::Outcome outcome,
      importsync::Approve(call.store(), dir, *tx, app_id, source_id, approval, call.clock().Now()));
  RETURN_IF_ERROR(
      Audit(call, *tx, "application.held_approve", "application", app_id, before, outcome));
  RETURN_IF_ERROR(tx->Commit());
  WakeEngine(call);
  return JsonResponse(200, outcome);
}

HandlerResult RejectHeld(Call& call) {
  RETURN_IF_ERROR(RequireApplication(call));
  if (!call.request.body.empty()) {
    ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
    RETURN_IF_ERROR(body.AllowOnly({}));
  }
  RETURN_IF_ERROR(NoRunningImport(call));
  std::string app_id(call.request.Param("id"));
  std::string source_id(call.request.Param("source_id"));
  directory::Directory dir(call.store(), Registry(), call.clock());
  ASSIGN_OR_RETURN(boost::json::object before,
                   importsync::GetHeld(call.store(), dir, app_id, source_id));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(
      importsync::Outcome outcome,
      importsync::RejectHeld(call.store(), *tx, app_id, source_id, call.clock().Now()));
  RETURN_IF_ERROR(
      Audit(call, *tx, "application.held_reject", "application", app_id, before, outcome));
  RETURN_IF_ERROR(tx->Commit());
  return JsonResponse(200, outcome);
}

}  // namespace provisio::api
