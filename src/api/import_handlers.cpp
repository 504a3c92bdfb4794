// The import endpoints: start a run, read runs, and the entitlements imports brought in.
// The importer (importsync/) does the work; these only translate.
#include "api/audit.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "apps/input.h"
#include "importsync/importer.h"

namespace provisio::api {
namespace {

boost::json::value ParseOr(std::string_view text, boost::json::value fallback) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? fallback : v;
}

boost::json::object RunJson(const store::ImportRunRow& r) {
  boost::json::object o{{"id", r.id},
                        {"application_id", r.application_id},
                        {"state", r.state},
                        {"mode", r.mode},
                        {"dry_run", r.dry_run},
                        {"phase", r.phase},
                        {"options", ParseOr(r.options, boost::json::object{})},
                        {"counts", ParseOr(r.counts, boost::json::object{})},
                        {"errors", ParseOr(r.errors, boost::json::array{})},
                        {"message", r.message},
                        {"high_water", r.high_water},
                        {"since", r.since},
                        {"created", FormatRfc3339(r.created)}};
  o["started"] = r.started ? boost::json::value(FormatRfc3339(*r.started)) : nullptr;
  o["finished"] = r.finished ? boost::json::value(FormatRfc3339(*r.finished)) : nullptr;
  return o;
}

Status RequireApplication(Call& call) {
  std::string id(call.request.Param("id"));
  ASSIGN_OR_RETURN(auto a, call.store().applications().Get(nullptr, id));
  if (!a) return Error::NotFound("no application " + id);
  return Ok();
}

}  // namespace

HandlerResult StartImport(Call& call) {
  RETURN_IF_ERROR(RequireApplication(call));
  if (!call.ctx.deps.importer) {
    return Error(Code::kUnavailable, "the importer is not running in this process");
  }
  boost::json::object request;
  if (!call.request.body.empty()) {
    ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
    RETURN_IF_ERROR(body.AllowOnly({"dry_run", "mode", "matching", "unmatched", "gone", "groups",
                                    "deletion_threshold", "hold_attributes"}));
    request = body.object();
  }
  ASSIGN_OR_RETURN(auto run, call.ctx.deps.importer->Enqueue(call.request.Param("id"), request));
  boost::json::object out = RunJson(run);
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  RETURN_IF_ERROR(
      Audit(call, *tx, "application.import", "application", std::string(call.request.Param("id")),
            std::nullopt,
            boost::json::object{{"run_id", run.id}, {"dry_run", run.dry_run}, {"mode", run.mode}}));
  RETURN_IF_ERROR(tx->Commit());
  return JsonResponse(202, out);
}

HandlerResult GetImport(Call& call) {
  std::string id(call.request.Param("run_id"));
  ASSIGN_OR_RETURN(auto run, call.store().imports().Get(nullptr, id));
  if (!run) return Error::NotFound("no import run " + id);
  return JsonResponse(200, RunJson(*run));
}

HandlerResult ListImports(Call& call) {
  RETURN_IF_ERROR(RequireApplication(call));
  ASSIGN_OR_RETURN(auto runs,
                   call.store().imports().ListByApplication(call.request.Param("id"), 50));
  boost::json::array items;
  for (const auto& r : runs) items.push_back(RunJson(r));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

HandlerResult ListEntitlements(Call& call) {
  RETURN_IF_ERROR(RequireApplication(call));
  ASSIGN_OR_RETURN(auto rows, call.store().entitlements().List(call.request.Param("id")));
  boost::json::array items;
  for (const auto& e : rows) {
    items.push_back(
        boost::json::object{{"id", e.entitlement_id},
                            {"kind", e.kind},
                            {"display_name", e.display_name},
                            {"attributes", ParseOr(e.attributes, boost::json::object{})},
                            {"updated", FormatRfc3339(e.updated)}});
  }
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

}  // namespace provisio::api
