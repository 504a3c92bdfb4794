// The provisioning endpoints: sync, on-demand provisioning, accounts, the provisioning log
// and the engine's status. The engine does the work; these only translate.
#include "api/audit.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "apps/input.h"
#include "provisioning/engine.h"

namespace provisio::api {
namespace {

Result<provisioning::Engine*> EngineOf(Call& call) {
  if (!call.ctx.deps.engine) {
    return Error(Code::kUnavailable, "the provisioning engine is not running in this process");
  }
  return call.ctx.deps.engine;
}

Status RequireApplication(Call& call) {
  std::string id(call.request.Param("id"));
  ASSIGN_OR_RETURN(auto a, call.store().applications().Get(nullptr, id));
  if (!a) return Error::NotFound("no application " + id);
  return Ok();
}

// ?limit=N within [1, max], default `fallback`.
Result<size_t> LimitParam(const http::Request& r, size_t fallback, size_t max) {
  auto v = r.Query("limit");
  if (!v) return fallback;
  size_t n = 0;
  for (char c : *v) {
    if (c < '0' || c > '9' || n > 1'000'000) {
      return apps::Reject(Code::kInvalidArgument, "invalid_value",
                          "limit must be a positive integer", {{"field", "limit"}});
    }
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  if (n == 0) {
    return apps::Reject(Code::kInvalidArgument, "invalid_value", "limit must be a positive integer",
                        {{"field", "limit"}});
  }
  return std::min(n, max);
}

boost::json::object LinkJson(const store::AccountLinkRow& l) {
  return {{l.subject_type == "group" ? "group_id" : "user_id", l.subject_id},
          {"target_id", l.target_id},
          {"state", l.state},
          {"last_error", l.last_error},
          {"updated", FormatRfc3339(l.updated)}};
}

}  // namespace

void WakeEngine(Call& call) {
  if (call.ctx.deps.engine) call.ctx.deps.engine->Wake();
}

HandlerResult SyncApplication(Call& call) {
  ASSIGN_OR_RETURN(provisioning::Engine * engine, EngineOf(call));
  RETURN_IF_ERROR(RequireApplication(call));
  provisioning::SyncOptions options;
  if (!call.request.body.empty()) {
    ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
    RETURN_IF_ERROR(body.AllowOnly({"mode", "dry_run"}));
    ASSIGN_OR_RETURN(auto mode_opt, body.OptString("mode", 16));
    const std::string mode = mode_opt.value_or("incremental");
    if (mode != "incremental" && mode != "full") {
      return apps::Reject(Code::kInvalidArgument, "invalid_value",
                          "mode must be \"incremental\" or \"full\"", {{"field", "mode"}});
    }
    options.full = mode == "full";
    ASSIGN_OR_RETURN(auto dry, body.OptBool("dry_run"));
    options.dry_run = dry.value_or(false);
  }
  ASSIGN_OR_RETURN(boost::json::object report, engine->Sync(call.request.Param("id"), options));
  if (!options.dry_run) {
    ASSIGN_OR_RETURN(auto tx, call.store().Begin());
    RETURN_IF_ERROR(Audit(call, *tx, "application.sync", "application",
                          std::string(call.request.Param("id")), std::nullopt, report));
    RETURN_IF_ERROR(tx->Commit());
  }
  return JsonResponse(200, report);
}

HandlerResult ProvisionUser(Call& call) {
  ASSIGN_OR_RETURN(provisioning::Engine * engine, EngineOf(call));
  RETURN_IF_ERROR(RequireApplication(call));
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  RETURN_IF_ERROR(body.AllowOnly({"user_id", "group_id"}));
  // {"user_id"} provisions a user; {"group_id"} pushes a group (group push).
  ASSIGN_OR_RETURN(auto group_id, body.OptString("group_id", 128));
  std::string user_id;
  std::vector<provisioning::Step> steps;
  if (group_id) {
    if (body.Has("user_id")) {
      return apps::Reject(Code::kInvalidArgument, "invalid_value",
                          "give user_id or group_id, not both", {{"field", "group_id"}});
    }
    ASSIGN_OR_RETURN(steps, engine->ProvisionGroupNow(call.request.Param("id"), *group_id));
  } else {
    ASSIGN_OR_RETURN(user_id, body.String("user_id", 128));
    ASSIGN_OR_RETURN(steps, engine->ProvisionNow(call.request.Param("id"), user_id));
  }
  boost::json::array out;
  bool ok = true;
  for (auto& s : steps) {
    ok = ok && s.status != "failed";
    out.push_back(
        boost::json::object{{"step", s.name}, {"status", s.status}, {"detail", s.detail}});
  }
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  RETURN_IF_ERROR(Audit(call, *tx, "application.provision", "application",
                        std::string(call.request.Param("id")), std::nullopt,
                        group_id ? boost::json::object{{"group_id", *group_id}, {"ok", ok}}
                                 : boost::json::object{{"user_id", user_id}, {"ok", ok}}));
  RETURN_IF_ERROR(tx->Commit());
  return JsonResponse(200, boost::json::object{{"ok", ok}, {"steps", std::move(out)}});
}

HandlerResult ListAccounts(Call& call) {
  RETURN_IF_ERROR(RequireApplication(call));
  ASSIGN_OR_RETURN(size_t limit, LimitParam(call.request, 100, 1000));
  std::string after(call.request.Query("after").value_or(""));
  // ?type=group lists the groups pushed (group push); users by default.
  std::string type(call.request.Query("type").value_or("user"));
  if (type != "user" && type != "group") {
    return apps::Reject(Code::kInvalidArgument, "invalid_value",
                        "type must be \"user\" or \"group\"", {{"field", "type"}});
  }
  boost::json::array items;
  RETURN_IF_ERROR(call.store().links().Scan(call.request.Param("id"), type, after,
                                            [&](const store::AccountLinkRow& l) {
                                              items.push_back(LinkJson(l));
                                              return items.size() < limit;
                                            }));
  // The cursor is copied out before `out` can grow (Boost.JSON's operator[] may move its values).
  boost::json::value next;
  if (items.size() == limit) next = items.back().at(type == "group" ? "group_id" : "user_id");
  boost::json::object out{{"items", std::move(items)}};
  if (!next.is_null()) out["next"] = std::move(next);
  return JsonResponse(200, out);
}

HandlerResult ListDeadLetters(Call& call) {
  RETURN_IF_ERROR(RequireApplication(call));
  ASSIGN_OR_RETURN(size_t limit, LimitParam(call.request, 100, 1000));
  // The cursor is the last item's "user/<id>" or "group/<id>".
  std::optional<store::WorkKey> after;
  if (auto a = call.request.Query("after"); a && !a->empty()) {
    auto slash = a->find('/');
    std::string_view type = a->substr(0, slash);
    if (slash == std::string_view::npos || (type != "user" && type != "group")) {
      return apps::Reject(Code::kInvalidArgument, "invalid_value",
                          "after must be the \"next\" of the previous page", {{"field", "after"}});
    }
    after = store::WorkKey{"", std::string(type), std::string(a->substr(slash + 1))};
  }
  ASSIGN_OR_RETURN(auto dead, call.store().work().ListDead(call.request.Param("id"), after, limit));
  boost::json::array items;
  for (const auto& item : dead) {
    const bool group = item.key.subject_type == "group";
    boost::json::object o{{group ? "group_id" : "user_id", item.key.subject_id},
                          {"attempts", item.attempts},
                          {"last_error", item.last_error},
                          {"enqueued", FormatRfc3339(item.enqueued)}};
    // The name an admin knows the subject by, while it still exists.
    if (group) {
      ASSIGN_OR_RETURN(auto g, call.store().groups().Get(nullptr, item.key.subject_id));
      if (g) o["displayName"] = g->display_name;
    } else {
      ASSIGN_OR_RETURN(auto u, call.store().users().Get(nullptr, item.key.subject_id));
      if (u) o["userName"] = u->user_name;
    }
    items.push_back(std::move(o));
  }
  boost::json::object out;
  if (dead.size() == limit) {
    out["next"] = dead.back().key.subject_type + "/" + dead.back().key.subject_id;
  }
  out["items"] = std::move(items);
  return JsonResponse(200, out);
}

HandlerResult RetryDeadLetters(Call& call) {
  ASSIGN_OR_RETURN(provisioning::Engine * engine, EngineOf(call));
  RETURN_IF_ERROR(RequireApplication(call));
  ASSIGN_OR_RETURN(int64_t revived, engine->RetryDeadLetters(call.request.Param("id")));
  boost::json::object report{{"revived", revived}};
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  RETURN_IF_ERROR(Audit(call, *tx, "application.retry_dead_letters", "application",
                        std::string(call.request.Param("id")), std::nullopt, report));
  RETURN_IF_ERROR(tx->Commit());
  return JsonResponse(200, report);
}

HandlerResult ListProvisioningLog(Call& call) {
  store::LogQuery q;
  q.application_id = call.request.Query("application_id").value_or("");
  q.subject_id = call.request.Query("user_id").value_or("");
  if (auto g = call.request.Query("group_id")) q.subject_id = *g;  // group push entries
  q.status = call.request.Query("status").value_or("");
  q.action = call.request.Query("action").value_or("");
  ASSIGN_OR_RETURN(q.limit, LimitParam(call.request, 100, 1000));
  if (auto before = call.request.Query("before")) {
    try {
      q.before_id = std::stoll(std::string(*before));
    } catch (...) {
      return apps::Reject(Code::kInvalidArgument, "invalid_value", "before must be an entry id",
                          {{"field", "before"}});
    }
  }
  ASSIGN_OR_RETURN(auto entries, call.store().provisioning_log().Query(q));
  boost::json::array items;
  for (const auto& e : entries) {
    auto detail = boost::json::parse(e.detail.empty() ? "{}" : e.detail);
    boost::json::object item{{"id", e.id},
                             {"at", FormatRfc3339(e.at)},
                             {"application_id", e.application_id},
                             {"subject_type", e.subject_type},
                             {"action", e.action},
                             {"status", e.status},
                             {"target_id", e.target_id},
                             {"attempts", e.attempts},
                             {"duration_ms", static_cast<double>(e.duration_us) / 1000.0},
                             {"error", e.error},
                             {"node", e.node},
                             {"detail", std::move(detail)}};
    // A user's or a group's entry names it; an application's own (a quarantine lifted) does not.
    if (e.subject_type == "user" || e.subject_type == "group") {
      item[e.subject_type == "group" ? "group_id" : "user_id"] = e.subject_id;
    }
    items.push_back(std::move(item));
  }
  return JsonResponse(200, boost::json::object{{"entries", std::move(items)}});
}

HandlerResult EngineStatus(Call& call) {
  ASSIGN_OR_RETURN(provisioning::Engine * engine, EngineOf(call));
  ASSIGN_OR_RETURN(boost::json::object status, engine->StatusJson());
  return JsonResponse(200, status);
}

}  // namespace provisio::api
