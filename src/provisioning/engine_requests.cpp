// The engine's synchronous entry points for the admin API: sync, on-demand provisioning
// and status.
#include <spdlog/spdlog.h>

#include <map>
#include <set>

#include "provisioning/engine.h"
#include "provisioning/group_triggers.h"
#include "provisioning/sync_scan.h"
#include "provisioning/triggers.h"

namespace provisio::provisioning {

Result<int64_t> Engine::RetryDeadLetters(std::string_view application_id) {
  ASSIGN_OR_RETURN(auto tx, store_.Begin());
  ASSIGN_OR_RETURN(int64_t revived, store_.work().Revive(*tx, application_id, clock_.Now()));
  RETURN_IF_ERROR(tx->Commit());
  if (revived > 0) {
    spdlog::info("provisioning: {} dead letters of {} queued again", revived, application_id);
    Wake();
  }
  return revived;
}

Result<boost::json::object> Engine::Sync(std::string_view application_id,
                                         const SyncOptions& options) {
  ASSIGN_OR_RETURN(auto ctx, Context(application_id));
  std::string mode = options.full ? "full" : "incremental";
  if (!options.dry_run) {
    if (!ctx->provisioning) {
      return Error(Code::kConflict, "application is " + ctx->app.state +
                                        (ctx->connector ? "" : " without a connection") +
                                        "; only an active application with provisioning syncs");
    }
    if (options.full) {
      // Dead letters get another chance (as a restart of provisioning does elsewhere), then
      // the pairs that differ, and a drift check of the others against the target's listing.
      ASSIGN_OR_RETURN(int64_t revived, RetryDeadLetters(application_id));
      ASSIGN_OR_RETURN(FullSync full, EnqueueFullSync(store_, directory_, *ctx, clock_.Now()));
      ASSIGN_OR_RETURN(auto tx, store_.Begin());
      ASSIGN_OR_RETURN(int64_t groups,
                       MarkGroupsDirty(store_, *tx, application_id, mode, clock_.Now()));
      RETURN_IF_ERROR(tx->Commit());
      Wake();
      boost::json::object report{{"mode", mode},
                                 {"dry_run", false},
                                 {"pairs", full.pairs},
                                 {"enqueued", full.enqueued + groups},
                                 {"listing", full.listing},
                                 {"listed", full.listed},
                                 {"drifted", full.drifted},
                                 {"unlisted", full.unlisted},
                                 {"revived", revived}};
      if (!full.listing_error.empty()) report["listing_error"] = full.listing_error;
      return report;
    }
    // Incremental: the pairs whose desired state differs from what was last pushed, found
    // for the whole application with a few queries a page; only those are queued.
    ASSIGN_OR_RETURN(ChangedPairs changed,
                     EnqueueChangedPairs(store_, directory_, *ctx, clock_.Now()));
    // Pushed groups are few: each is marked, and its worker compares its members.
    ASSIGN_OR_RETURN(auto tx, store_.Begin());
    ASSIGN_OR_RETURN(int64_t groups,
                     MarkGroupsDirty(store_, *tx, application_id, mode, clock_.Now()));
    RETURN_IF_ERROR(tx->Commit());
    Wake();
    return boost::json::object{{"mode", mode},
                               {"dry_run", false},
                               {"pairs", changed.pairs},
                               {"enqueued", changed.enqueued + groups}};
  }
  // Dry run: plan every pair as the workers would, call nothing.
  std::map<std::string, int64_t> counts;
  boost::json::array changes;
  int64_t pairs = 0;
  RETURN_IF_ERROR(PlanApplication(store_, directory_, *ctx, options.full, [&](PairPlan& p) {
    ++pairs;
    std::string action(ToString(p.plan.action));
    counts[action]++;
    if (p.plan.action != Action::kNone && changes.size() < 200) {
      boost::json::object c{{"user_id", p.user_id}, {"action", action}, {"reason", p.plan.reason}};
      if (auto it = p.desired.user.find("userName"); it != p.desired.user.end()) {
        c["userName"] = it->value();
      }
      if (p.desired.in_scope) c["desired"] = p.desired.object;
      changes.push_back(std::move(c));
    }
    return Ok();
  }));
  boost::json::object count_json;
  for (const auto& [k, v] : counts) count_json[k] = v;
  boost::json::object report{{"mode", mode},
                             {"dry_run", true},
                             {"pairs", pairs},
                             {"counts", std::move(count_json)},
                             {"changes", std::move(changes)}};
  if (ctx->groups.push) {
    ASSIGN_OR_RETURN(boost::json::object groups, DryRunGroups(*ctx, options.full));
    report["groups"] = std::move(groups);
  }
  return report;
}

Result<std::vector<Step>> Engine::ProvisionNow(std::string_view application_id,
                                               std::string_view user_id) {
  ASSIGN_OR_RETURN(auto ctx, Context(application_id));
  if (!ctx->provisioning) {
    return Error(Code::kConflict, "application " + ctx->app.name + " is " + ctx->app.state +
                                      (ctx->connector ? "" : " without a connection") +
                                      "; it cannot provision now");
  }
  std::vector<Step> steps;
  ASSIGN_OR_RETURN(Desired d, ComputeDesired(*ctx, user_id, nullptr));
  if (d.user.empty()) return Error::NotFound("no user with id " + std::string(user_id));
  steps.push_back({"scope", d.in_scope ? "ok" : "skipped",
                   boost::json::object{{"in_scope", d.in_scope},
                                       {"scoping_filter", ctx->scoping ? "set" : "none"}}});
  if (d.in_scope) {
    ASSIGN_OR_RETURN(boost::json::array explained, mapping::Explain(*ctx->mappings, d.user, false));
    steps.push_back({"attributes", "ok", std::move(explained)});
  }
  ASSIGN_OR_RETURN(auto link, store_.links().Get(nullptr, application_id, "user", user_id));
  Plan plan = PlanAccount(d, link, ctx->deprovision, /*full=*/true);
  steps.push_back(
      {"action", "ok",
       boost::json::object{{"action", ToString(plan.action)}, {"reason", plan.reason}}});
  store::WorkItem item;
  item.key = {std::string(application_id), "user", std::string(user_id)};
  item.mode = "full";
  Outcome outcome = Execute(*ctx, item, d, link, plan, &steps);
  Prepared prepared;
  prepared.ctx = ctx;
  prepared.desired = d;
  prepared.link = link;
  outcome.mark = GroupsToMark(*ctx, item, prepared, outcome);
  outcome.manager_moved = ctx->manager && outcome.ok && outcome.link &&
                          ManagerIdentityChanged(*ctx->manager, link, *outcome.link);
  Record(std::span<const store::WorkItem>(&item, 1), std::span<const Outcome>(&outcome, 1));
  return steps;
}

Result<boost::json::object> Engine::StatusJson() {
  ASSIGN_OR_RETURN(auto counts, store_.work().Counts(clock_.Now()));
  ASSIGN_OR_RETURN(auto apps, store_.applications().List(nullptr));
  std::map<std::string, store::QueueCounts> by_app;
  for (auto& c : counts) by_app[c.application_id] = c;
  int64_t depth = 0, in_flight = 0, dead = 0;
  boost::json::array list;
  std::lock_guard lock(counters_mu_);
  for (const auto& a : apps) {
    const auto& q = by_app[a.id];
    const Counters& c = counters_[a.id];
    int64_t recent_failed = 0;
    for (const auto& [t, ok] : c.recent) recent_failed += ok ? 0 : 1;
    depth += q.queued;
    in_flight += c.in_flight;
    dead += q.dead;
    boost::json::object o{{"id", a.id},
                          {"name", a.name},
                          {"state", a.state},
                          {"queue_depth", q.queued},
                          {"leased", q.leased},
                          {"in_flight", c.in_flight},
                          {"dead_letters", q.dead},
                          {"succeeded", c.succeeded},
                          {"failed", c.failed},
                          {"recent_failures", recent_failed},
                          {"recent_calls", static_cast<int64_t>(c.recent.size())}};
    if (a.state == "paused" || a.state == "quarantined") {
      auto reason = StateReason(store_, a.id);
      if (reason.ok() && !reason->empty()) o["reason"] = *reason;
      if (auto next = probe_.NextProbe(a.id)) o["next_probe"] = FormatRfc3339(*next);
    }
    list.push_back(std::move(o));
  }
  return boost::json::object{{"running", running_.load()},
                             {"queue_depth", depth},
                             {"in_flight", in_flight},
                             {"dead_letters", dead},
                             {"applications", std::move(list)}};
}

}  // namespace provisio::provisioning
