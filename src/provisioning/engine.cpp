#include "provisioning/engine.h"

#include <spdlog/spdlog.h>

#include <random>

#include "connectors/action.h"
#include "connectors/error_class.h"
#include "connectors/registry.h"
#include "core/json.h"
#include "mapping/canonical.h"
#include "mapping/defaults.h"
#include "provisioning/failure_window.h"
#include "provisioning/group_triggers.h"
#include "provisioning/sync_scan.h"
#include "provisioning/throttled_connector.h"
#include "provisioning/triggers.h"
#include "scim/list_query.h"
#include "scim/schema_urns.h"

namespace provisio::provisioning {
namespace {

boost::json::object ParseObject(std::string_view text) {
  auto v = json::Parse(text.empty() ? "{}" : text);
  if (!v.ok() || !v->is_object()) return {};
  return std::move(v->as_object());
}

std::string Stamp(const store::ApplicationRow& app, const std::optional<store::ConnectionRow>& c) {
  return std::to_string(ToMicros(app.updated)) + "/" +
         (c ? std::to_string(ToMicros(c->updated)) : "-");
}

// Runs `write` with `current`; when the target answers that our version is stale (If-Match,
// 412), reads the account again and runs it once more with that reading. A second 412 goes
// back to the queue (kStale -> retry, bounded by max_attempts), so it converges or dead-letters
// and never loops here.
template <typename Write>
auto WithRereadOnStale(connectors::Connector& target, const std::string& id,
                       const boost::json::object& current, Write write) {
  auto r = write(current);
  if (r.ok() || connectors::ClassOf(r.error()) != connectors::ErrorClass::kStale) return r;
  auto fresh = target.GetUser(id);
  if (!fresh.ok()) return decltype(r)(std::move(fresh).error());
  return write(fresh->attributes);
}

}  // namespace

Engine::Engine(store::Store& store, directory::Directory& directory,
               const security::SecretBox& secrets, http::Client& http, const Clock& clock,
               EngineOptions options)
    : store_(store),
      directory_(directory),
      secrets_(secrets),
      http_(http),
      clock_(clock),
      options_(std::move(options)),
      probe_(store_, clock_, options_.quarantine_probe, options_.quarantine_probe_max) {}

Engine::~Engine() { Stop(); }

void Engine::Start() {
  if (running_.exchange(true)) return;
  ReleaseDeadLeases();
  // Work another node enqueued wakes these workers at once (PostgreSQL LISTEN/NOTIFY).
  store_.OnWorkEnqueued([this] { Wake(); });
  threads_.emplace_back([this] { FeedLoop(); });
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    threads_.emplace_back([this] { WorkerLoop(); });
  }
}

void Engine::Stop() {
  if (!running_.exchange(false)) return;
  store_.OnWorkEnqueued({});
  Wake();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void Engine::Wake() {
  {
    std::lock_guard lock(wake_mu_);
    ++wake_seq_;
  }
  wake_cv_.notify_all();
}

void Engine::FeedLoop() {
  while (running_) {
    // One node at a time turns the feed into work (every node's workers then share it); when
    // that node dies its database session ends and another node takes over here.
    auto leader = store_.HoldsLock("provisioning-change-feed");
    if (!leader.ok()) {
      spdlog::warn("provisioning: change feed lock: {}", leader.error().ToString());
    } else if (*leader) {
      auto st = ConsumeFeed();
      if (!st.ok()) spdlog::warn("provisioning: change feed: {}", st.error().ToString());
      Housekeeping();
    }
    std::unique_lock lock(wake_mu_);
    wake_cv_.wait_for(lock, options_.idle_poll);
  }
}

Status Engine::ConsumeFeed() {
  ASSIGN_OR_RETURN(int64_t cursor, store_.changes().Cursor(kFeedConsumer));
  for (;;) {
    ASSIGN_OR_RETURN(auto events, store_.changes().Read(cursor, 512));
    if (events.empty()) return Ok();
    ASSIGN_OR_RETURN(auto apps, store_.applications().List(nullptr));
    std::vector<std::string> app_ids;
    for (const auto& a : apps) {
      if (a.state != "draft") app_ids.push_back(a.id);
    }
    ASSIGN_OR_RETURN(std::vector<store::WorkKey> keys, KeysForChanges(store_, events, app_ids));
    ASSIGN_OR_RETURN(std::vector<store::WorkKey> group_keys,
                     GroupKeysForChanges(store_, events, app_ids));
    keys.insert(keys.end(), group_keys.begin(), group_keys.end());
    ASSIGN_OR_RETURN(auto tx, store_.Begin());
    if (!keys.empty())
      RETURN_IF_ERROR(store_.work().Enqueue(*tx, keys, "incremental", clock_.Now()));
    cursor = events.back().seq;
    RETURN_IF_ERROR(store_.changes().SetCursor(*tx, kFeedConsumer, cursor));
    RETURN_IF_ERROR(tx->Commit());
    if (!keys.empty()) Wake();
  }
}

void Engine::WorkerLoop() {
  while (running_) {
    auto items =
        store_.work().Lease(options_.node_id, options_.lease_batch, clock_.Now(), options_.lease);
    if (!items.ok()) {
      spdlog::warn("provisioning: lease: {}", items.error().ToString());
    } else if (!items->empty()) {
      // In flight until recorded: status must not look quiet while outcomes are unwritten.
      auto count_in_flight = [&](int64_t delta) {
        std::lock_guard lock(counters_mu_);
        for (const auto& item : *items) counters_[item.key.application_id].in_flight += delta;
      };
      count_in_flight(+1);
      ContextCache contexts;  // each application read once per batch
      std::vector<Outcome> outcomes = ProcessLeased(*items, contexts);
      Record(*items, outcomes);
      count_in_flight(-1);
      continue;
    }
    std::unique_lock lock(wake_mu_);
    uint64_t seen = wake_seq_;
    wake_cv_.wait_for(lock, options_.idle_poll, [&] { return !running_ || wake_seq_ != seen; });
  }
}

Result<std::shared_ptr<connectors::Connector>> Engine::ConnectorFor(const store::ConnectionRow& c) {
  std::string stamp = std::to_string(ToMicros(c.updated));
  {
    std::lock_guard lock(ctx_mu_);
    auto it = connectors_.find(c.id);
    if (it != connectors_.end() && it->second.first == stamp) return it->second.second;
  }
  connectors::ConnectorConfig config;
  config.type = c.type;
  config.base_url = c.base_url;
  config.auth = ParseObject(c.auth_fields);
  config.auth["kind"] = c.auth_kind;
  if (!c.secrets.empty()) {
    ASSIGN_OR_RETURN(std::string plain, secrets_.Open(c.secrets, c.id));
    for (auto& [k, v] : ParseObject(plain)) config.auth[k] = v;
  }
  config.settings = ParseObject(c.settings);
  ASSIGN_OR_RETURN(auto connector, connectors::OpenConnector(config, {http_, clock_}));
  std::shared_ptr<connectors::Connector> shared(std::move(connector));
  std::lock_guard lock(ctx_mu_);
  connectors_[c.id] = {stamp, shared};
  return shared;
}

Result<std::shared_ptr<AppContext>> Engine::Context(std::string_view application_id) {
  ASSIGN_OR_RETURN(auto app, store_.applications().Get(nullptr, application_id));
  if (!app) return Error::NotFound("no application " + std::string(application_id));
  std::optional<store::ConnectionRow> connection;
  if (app->connection_id) {
    ASSIGN_OR_RETURN(connection, store_.connections().Get(nullptr, *app->connection_id));
  }
  std::string stamp = Stamp(*app, connection);
  std::shared_ptr<AppContext> ctx;
  {
    std::lock_guard lock(ctx_mu_);
    auto it = contexts_.find(application_id);
    if (it != contexts_.end() && Stamp(it->second->app, it->second->connection) == stamp) {
      ctx = std::make_shared<AppContext>(*it->second);  // reuse the compiled parts
    }
  }
  if (!ctx) {
    ctx = std::make_shared<AppContext>();
    ctx->app = *app;
    ctx->connection = connection;
    boost::json::object settings = ParseObject(app->settings);
    if (auto a = json::GetString(settings, "deprovisioning_action")) {
      ctx->deprovision = ParseDeprovisionAction(*a).value_or(DeprovisionAction::kDisable);
    }
    if (auto m = json::GetString(settings, "matching_attribute"); m && !m->empty()) {
      ctx->matching_attribute = std::string(*m);
    }
    if (auto f = json::GetString(settings, "scoping_filter"); f && !f->empty()) {
      ASSIGN_OR_RETURN(auto scoping, mapping::ParseScopingFilter(*f));
      ctx->scoping = std::make_shared<const mapping::ScopingFilter>(std::move(scoping));
    }
    if (auto t = json::GetInt(settings, "deletion_threshold")) ctx->deletion_threshold = *t;
    ctx->limits = ParseRateLimits(settings);
    ASSIGN_OR_RETURN(auto compiled, CompileAppMappings(*app));
    ctx->mappings = std::make_shared<const mapping::CompiledMappings>(std::move(compiled));
    if (connection) {
      ASSIGN_OR_RETURN(auto raw, ConnectorFor(*connection));
      // Every call of this application spends its rate limit and concurrency.
      ctx->connector = std::make_shared<ThrottledConnector>(
          std::move(raw), LimiterFor(app->id, ctx->limits), clock_, options_.throttle_max_wait);
    }
  }
  ctx->app = *app;
  auto caps = ParseObject("{\"c\":" + (app->capabilities.empty() ? "[]" : app->capabilities) + "}");
  bool has_provisioning = false;
  if (auto it = caps.find("c"); it != caps.end() && it->value().is_array()) {
    for (const auto& c : it->value().get_array()) {
      has_provisioning = has_provisioning || (c.is_string() && c.get_string() == "provisioning");
    }
  }
  ctx->provisioning = has_provisioning && app->state == "active" && ctx->connector;
  // Only while the mappings write the manager: an administrator who removed that mapping
  // owns the attribute in the target.
  ctx->manager = ManagerReferenceFor(app->template_id);
  if (ctx->manager && !MapsManager(*ctx->manager, *ctx->mappings)) ctx->manager.reset();
  if (ctx->connector) {
    auto caps = ctx->connector->capabilities();
    ctx->groups = ParseGroupSettings(
        ParseObject(app->settings), app->template_id,
        connection
            ? json::GetString(ParseObject(connection->auth_fields), "admin_email").value_or("")
            : "",
        caps.groups && caps.membership && ctx->connector->groups() != nullptr);
  }
  // Assignments are read fresh for every context: they change without the application.
  ASSIGN_OR_RETURN(auto assignments, store_.assignments().List(nullptr, application_id));
  ctx->assigned_users.clear();
  ctx->assigned_groups.clear();
  ctx->user_entitlements.clear();
  ctx->group_entitlements.clear();
  ctx->entitlements.clear();
  for (const auto& a : assignments) {
    bool group = a.principal_type == "group";
    (group ? ctx->assigned_groups : ctx->assigned_users).insert(a.principal_id);
    auto selected = json::Parse(a.entitlements.empty() ? "[]" : a.entitlements);
    if (!selected.ok() || !selected->is_array() || selected->as_array().empty()) continue;
    auto& ids = (group ? ctx->group_entitlements : ctx->user_entitlements)[a.principal_id];
    for (const auto& e : selected->as_array()) {
      if (e.is_string()) ids.emplace(e.get_string());
    }
  }
  if (!ctx->user_entitlements.empty() || !ctx->group_entitlements.empty()) {
    ASSIGN_OR_RETURN(auto rows, store_.entitlements().List(application_id));
    for (auto& row : rows) {
      ctx->entitlements[row.entitlement_id] = connectors::Entitlement{
          row.entitlement_id, row.kind, row.display_name, ParseObject(row.attributes)};
    }
  }
  std::lock_guard lock(ctx_mu_);
  contexts_[std::string(application_id)] = ctx;
  return ctx;
}

Result<Desired> Engine::ComputeDesired(const AppContext& ctx, std::string_view user_id,
                                       boost::json::object* user_out) {
  auto user = directory_.GetUser(user_id, {.groups = true, .members = false});
  if (!user.ok()) {
    if (user.error().code() == Code::kNotFound) return Desired{};  // deleted: out of scope
    return std::move(user).error();
  }
  // The same function the set-based sync plans a whole application with (sync_scan.h).
  ASSIGN_OR_RETURN(Desired d, DesiredFor(ctx, std::move(user->body)));
  RETURN_IF_ERROR(ResolveManager(ctx, d));
  if (user_out) *user_out = d.user;
  return d;
}

Status Engine::ResolveManager(const AppContext& ctx, Desired& d) {
  if (!d.in_scope || !ctx.manager) return Ok();
  const ManagerReference& ref = *ctx.manager;
  const std::string manager_id = ManagerIn(ref, d.object);
  if (manager_id.empty()) return Ok();
  // Listed as waiting before the manager's link is read: a manager's account recorded after
  // that read then finds this report (QueueWaitingReports runs after its commit).
  const std::string report(json::GetString(d.user, "id").value_or(""));
  auto waiting = [&](bool wait) {
    std::lock_guard lock(counters_mu_);
    auto& reports = waiting_for_manager_[ctx.app.id][manager_id];
    if (wait) {
      reports.insert(report);
    } else if (reports.erase(report) && reports.empty()) {
      waiting_for_manager_[ctx.app.id].erase(manager_id);
    }
  };
  waiting(true);
  auto link = store_.links().Get(nullptr, ctx.app.id, "user", manager_id);
  if (!link.ok()) {
    waiting(false);
    return std::move(link).error();
  }
  if (*link && (*link)->state == "active" && !(*link)->target_id.empty()) {
    if (std::string value = ManagerValue(ref, **link); !value.empty()) {
      waiting(false);
      mapping::WriteAt(d.object, ref.path, boost::json::string(value));
      return Ok();
    }
  }
  mapping::EraseAt(d.object, ref.path);
  d.hash += kManagerPending;
  return Ok();
}

void Engine::QueueWaitingReports(const std::vector<store::WorkKey>& made) {
  std::set<std::string> keys_seen;
  std::vector<store::WorkKey> keys;
  std::vector<std::string> look_up;  // applications not looked up in the store since the start
  {
    std::lock_guard lock(counters_mu_);
    for (const auto& m : made) {
      if (manager_checked_.insert(m.application_id).second) look_up.push_back(m.application_id);
      auto app = waiting_for_manager_.find(m.application_id);
      if (app == waiting_for_manager_.end()) continue;
      auto reports = app->second.find(m.subject_id);
      if (reports == app->second.end()) continue;
      for (const auto& r : reports->second) {
        if (keys_seen.insert(m.application_id + "/" + r).second) {
          keys.push_back({m.application_id, "user", r});
        }
      }
      app->second.erase(reports);
    }
  }
  // What waited before this process started is known from the store only: once per
  // application, every account still marked is looked at again.
  for (const auto& app : look_up) {
    auto waiting = store_.links().WithHashSuffix(app, "user", kManagerPending);
    if (!waiting.ok()) {
      spdlog::warn("provisioning: accounts that wait for a manager in {}: {}", app,
                   waiting.error().ToString());
      continue;
    }
    for (auto& id : *waiting) {
      if (keys_seen.insert(app + "/" + id).second) keys.push_back({app, "user", std::move(id)});
    }
  }
  EnqueueReports(keys, "incremental", "accounts whose manager's account was made");
}

void Engine::EnqueueReports(const std::vector<store::WorkKey>& keys, std::string_view mode,
                            std::string_view what) {
  if (keys.empty()) return;
  auto st = [&]() -> Status {
    ASSIGN_OR_RETURN(auto tx, store_.Begin());
    RETURN_IF_ERROR(store_.work().Enqueue(*tx, keys, mode, clock_.Now()));
    return tx->Commit();
  }();
  if (!st.ok()) {
    spdlog::warn("provisioning: queueing {} {}: {}", keys.size(), what, st.error().ToString());
    return;
  }
  Wake();
}

void Engine::QueueReportsOf(const std::vector<store::WorkKey>& moved) {
  std::vector<store::WorkKey> keys;
  for (const auto& m : moved) {
    // Rare (a manager's account made again, or her address changed): one directory query.
    std::string filter =
        std::string(scim::kEnterpriseUserSchema) + ":manager.value eq \"" + m.subject_id + "\"";
    const std::string count = "1000";
    for (int64_t start = 1;; start += 1000) {
      const std::string from = std::to_string(start);
      std::vector<scim::QueryParam> params{
          {"filter", filter}, {"attributes", "id"}, {"startIndex", from}, {"count", count}};
      auto query = scim::ParseListQuery(params, directory_.user_type());
      auto page = query.ok() ? directory_.ListUsers(*query, {.groups = false, .members = false})
                             : Result<directory::ListResult>(query.error());
      if (!page.ok()) {
        spdlog::warn("provisioning: the reports of {}: {}", m.subject_id, page.error().ToString());
        break;
      }
      for (const auto& u : page->page) {
        if (auto id = json::GetString(u, "id"))
          keys.push_back({m.application_id, "user", std::string(*id)});
      }
      if (page->page.empty() ||
          static_cast<uint64_t>(start - 1) + page->page.size() >= page->total) {
        break;
      }
    }
  }
  EnqueueReports(keys, "full", "reports of a manager whose account changed");
}

Engine::Outcome Engine::Execute(const AppContext& ctx, const store::WorkItem& item,
                                const Desired& desired,
                                const std::optional<store::AccountLinkRow>& link, const Plan& plan,
                                std::vector<Step>* steps) {
  Outcome out;
  out.action = std::string(ToString(plan.action));
  auto started = std::chrono::steady_clock::now();
  connectors::Connector& target = *ctx.connector;
  auto step = [&](std::string name, std::string status, boost::json::value detail) {
    if (steps) steps->push_back({std::move(name), std::move(status), std::move(detail)});
  };
  auto fail = [&](Error e) {
    out.ok = false;
    out.error = std::move(e);
    step("result", "failed", boost::json::object{{"error", out.error->ToString()}});
  };
  auto linked = [&](std::string target_id, std::string state) {
    out.link = LinkFor(item, desired, link, std::move(target_id), std::move(state));
    out.target_id = out.link->target_id;
  };

  // An account found by the matching attribute (a retry after a crash, an account made by
  // hand, or one a create of ours made after we stopped waiting for it): linked, after its
  // attributes are made right.
  auto adopt = [&](const connectors::Account& account) {
    if (!AccountAgrees(desired.object, account.attributes)) {
      auto patched = WithRereadOnStale(
          target, account.id, account.attributes, [&](const boost::json::object& current) {
            return target.PatchUser(account.id, current, desired.object);
          });
      if (!patched.ok()) return fail(std::move(patched).error());
    }
    if (auto st = ReconcileEntitlements(ctx, account.id, {}, desired.entitlements); !st.ok()) {
      return fail(st.error());
    }
    out.action = "link";
    linked(account.id, "active");
    step("result", "ok", boost::json::object{{"action", "link"}, {"target_id", account.id}});
  };
  auto create = [&]() {
    auto value = MatchingValue(desired.object, ctx.matching_attribute);
    if (value) {
      auto found = target.FindUser(ctx.matching_attribute, *value);
      if (!found.ok()) return fail(std::move(found).error());
      step("matching", "ok",
           boost::json::object{{"attribute", ctx.matching_attribute},
                               {"value", *value},
                               {"found", found->has_value()}});
      if (found->has_value()) return adopt(**found);
    }
    // Mappings applied only on create ("weak") join the object here.
    auto on_create = mapping::Apply(*ctx.mappings, desired.user, /*creating=*/true);
    if (!on_create.ok()) return fail(std::move(on_create).error());
    if (ctx.manager) TakeManagerFrom(*ctx.manager, desired.object, *on_create);
    step("attributes", "ok", *on_create);
    auto created = target.CreateUser(*on_create);
    if (!created.ok() && value &&
        connectors::ClassOf(created.error()) == connectors::ErrorClass::kConflict) {
      // The account appeared between the lookup and the create: most often our own earlier
      // create, which the target finished after its answer timed out. Found now, it is
      // linked; a conflict is skipped (and logged) only when nothing answers to the value.
      auto again = target.FindUser(ctx.matching_attribute, *value);
      if (!again.ok()) return fail(std::move(again).error());  // e.g. retryable: look again
      if (again->has_value()) {
        step("matching", "ok",
             boost::json::object{{"attribute", ctx.matching_attribute},
                                 {"value", *value},
                                 {"found", true},
                                 {"after", "conflict"}});
        return adopt(**again);
      }
    }
    if (!created.ok()) return fail(std::move(created).error());
    if (auto st = ReconcileEntitlements(ctx, created->id, {}, desired.entitlements); !st.ok()) {
      return fail(st.error());
    }
    out.action = "create";
    linked(created->id, "active");
    step("result", "ok", boost::json::object{{"action", "create"}, {"target_id", created->id}});
  };

  switch (plan.action) {
    case Action::kNone:
      out.log = false;
      linked(link ? link->target_id : "", link ? link->state : "active");
      out.link.reset();
      step("result", "skipped", boost::json::object{{"reason", plan.reason}});
      break;
    case Action::kCreate:
      create();
      break;
    case Action::kUpdate:
    case Action::kVerify: {
      boost::json::object current;
      Pushed pushed = SplitPushed(link->desired);
      if (plan.action == Action::kVerify) {
        auto account = target.GetUser(link->target_id);
        if (!account.ok() && account.error().code() == Code::kNotFound) {
          out.action = "create";
          create();
          break;
        }
        if (!account.ok()) {
          fail(std::move(account).error());
          break;
        }
        if (AccountAgrees(ToSend(ctx.manager, desired, account->attributes), account->attributes)) {
          out.log = false;
          step("result", "ok", boost::json::object{{"action", "none"}, {"reason", "no drift"}});
          break;
        }
        current = account->attributes;
        out.action = "update";
        out.detail = R"({"reason":"drift"})";
      } else if (link->state == "disabled") {
        // Back in scope: disabling changed the account since it was last pushed (IsActive,
        // suspended, active), so the difference is taken against the account as it is.
        auto account = target.GetUser(link->target_id);
        if (!account.ok() && account.error().code() == Code::kNotFound) {
          create();
          break;
        }
        if (!account.ok()) {
          fail(std::move(account).error());
          break;
        }
        current = std::move(account->attributes);
      } else {
        current = std::move(pushed.object);
      }
      auto patched = WithRereadOnStale(
          target, link->target_id, current, [&](const boost::json::object& reading) {
            return target.PatchUser(link->target_id, reading,
                                    ToSend(ctx.manager, desired, reading));
          });
      if (!patched.ok() && patched.error().code() == Code::kNotFound) {
        create();  // the account was removed in the target: make it again
        break;
      }
      if (!patched.ok()) {
        fail(std::move(patched).error());
        break;
      }
      if (auto st = ReconcileEntitlements(ctx, link->target_id, pushed.entitlements,
                                          desired.entitlements);
          !st.ok()) {
        fail(st.error());
        break;
      }
      linked(link->target_id, "active");
      step("result", "ok",
           boost::json::object{{"action", "update"}, {"target_id", link->target_id}});
      break;
    }
    case Action::kDisable: {
      auto st = WithRereadOnStale(target, link->target_id, {},
                                  [&](const auto&) { return target.DisableUser(link->target_id); });
      if (!st.ok() && st.error().code() != Code::kNotFound) {
        fail(st.error());
        break;
      }
      linked(link->target_id, st.ok() ? "disabled" : "deleted");
      step("result", "ok",
           boost::json::object{{"action", "disable"}, {"target_id", link->target_id}});
      break;
    }
    case Action::kDelete: {
      auto st = WithRereadOnStale(target, link->target_id, {},
                                  [&](const auto&) { return target.DeleteUser(link->target_id); });
      if (!st.ok() && st.error().code() != Code::kNotFound) {
        fail(st.error());
        break;
      }
      linked(link->target_id, "deleted");
      step("result", "ok",
           boost::json::object{{"action", "delete"}, {"target_id", link->target_id}});
      break;
    }
    case Action::kUnlink:
      out.delete_link = true;
      out.target_id = link->target_id;
      step("result", "ok", boost::json::object{{"action", "unlink"}});
      break;
  }
  out.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
  return out;
}

Status Engine::ReconcileEntitlements(const AppContext& ctx, const std::string& target_id,
                                     const std::vector<std::string>& granted,
                                     const std::vector<std::string>& selected) {
  if (granted == selected) return Ok();
  auto is_in = [](const std::vector<std::string>& list, const std::string& id) {
    return std::binary_search(list.begin(), list.end(), id);
  };
  // Group memberships are pushed as groups, not granted per user.
  auto grantable = [](const connectors::Entitlement& e) { return e.kind != "group"; };
  std::vector<const connectors::Entitlement*> revoke, grant;
  // Revoke first: a new role replaces the old one (Salesforce has one role per user).
  for (const auto& id : granted) {
    if (is_in(selected, id)) continue;
    auto it = ctx.entitlements.find(id);
    if (it == ctx.entitlements.end() || !grantable(it->second)) continue;  // gone since
    revoke.push_back(&it->second);
  }
  for (const auto& id : selected) {
    if (is_in(granted, id)) continue;
    auto it = ctx.entitlements.find(id);
    if (it == ctx.entitlements.end()) {
      return Error::InvalidArgument("entitlement " + id +
                                    " is selected but no longer imported; run an import");
    }
    if (grantable(it->second)) grant.push_back(&it->second);
  }
  if (revoke.empty() && grant.empty()) return Ok();
  connectors::EntitlementConnector* ents = ctx.connector->entitlements();
  if (ents == nullptr) {
    return Error::InvalidArgument("the application's connector cannot grant entitlements");
  }
  for (const auto* e : revoke) RETURN_IF_ERROR(ents->Revoke(target_id, *e));
  for (const auto* e : grant) RETURN_IF_ERROR(ents->Grant(target_id, *e));
  return Ok();
}

void Engine::CountOutcome(const std::string& app, bool ok, bool unanswered) {
  TimePoint now = clock_.Now();
  bool quarantine = false;
  {
    std::lock_guard lock(counters_mu_);
    auto& c = counters_[app];
    (ok ? c.succeeded : c.failed)++;
    c.recent.emplace_back(now, ok);
    while (!c.recent.empty() && now - c.recent.front().first > std::chrono::minutes(5)) {
      c.recent.erase(c.recent.begin());
    }
    if (c.recent.size() > 1000) c.recent.erase(c.recent.begin(), c.recent.begin() + 500);
    // Most calls failing for minutes: quarantine (the probes lift it on recovery).
    if (c.watch.Record(now, !unanswered)) {
      quarantine = true;
      c.watch.Reset();
    }
  }
  if (quarantine) QuarantineFailing(app, now);
}

store::AccountLinkRow Engine::LinkFor(const store::WorkItem& item, const Desired& desired,
                                      const std::optional<store::AccountLinkRow>& link,
                                      std::string target_id, std::string state) const {
  store::AccountLinkRow row;
  row.application_id = item.key.application_id;
  row.subject_type = item.key.subject_type;
  row.subject_id = item.key.subject_id;
  row.target_id = std::move(target_id);
  row.state = std::move(state);
  row.desired_hash = row.state == "active" ? desired.hash : (link ? link->desired_hash : "");
  row.desired = row.state == "active"
                    ? boost::json::serialize(PushedObject(desired.object, desired.entitlements))
                    : (link ? link->desired : "{}");
  row.updated = clock_.Now();
  return row;
}

Engine::Prepared Engine::Prepare(const store::WorkItem& item, ContextCache& contexts) {
  Prepared prepared;
  Outcome& outcome = prepared.done.emplace();
  auto cached = contexts.find(item.key.application_id);
  if (cached == contexts.end()) {
    cached = contexts.emplace(item.key.application_id, Context(item.key.application_id)).first;
  }
  const auto& ctx = cached->second;
  if (!ctx.ok()) {
    if (ctx.error().code() == Code::kNotFound) {  // the application is gone: drop its work
      outcome.log = false;
      return prepared;
    }
    outcome.ok = false;
    outcome.error = ctx.error();
    return prepared;
  }
  if ((*ctx)->provisioning && item.key.subject_type == "group") {
    prepared.done.reset();  // carried out by ReconcileGroup after the batch's users
    prepared.ctx = *ctx;
    prepared.group = true;
    return prepared;
  }
  if (!(*ctx)->provisioning || item.key.subject_type != "user") {
    outcome.log = false;  // paused, quarantined or without provisioning: nothing to push
    if ((*ctx)->app.state == "paused" || (*ctx)->app.state == "quarantined") {
      outcome.disposition = Outcome::Disposition::kDefer;  // for when it is resumed
      outcome.detail = "application " + (*ctx)->app.state;
    }
    return prepared;
  }
  auto desired = ComputeDesired(**ctx, item.key.subject_id, nullptr);
  if (!desired.ok()) {
    outcome.ok = false;
    outcome.error = std::move(desired).error();
    return prepared;
  }
  auto link = store_.links().Get(nullptr, item.key.application_id, "user", item.key.subject_id);
  if (!link.ok()) {
    outcome.ok = false;
    outcome.error = std::move(link).error();
    return prepared;
  }
  Plan plan = PlanAccount(*desired, *link, (*ctx)->deprovision, item.mode == "full");
  if (plan.action == Action::kDisable || plan.action == Action::kDelete) {
    // The accidental-deletion guard: too many deprovisions in an hour pause the application.
    std::lock_guard lock(counters_mu_);
    auto& d = counters_[item.key.application_id].deprovisions;
    TimePoint now = clock_.Now();
    while (!d.empty() && now - d.front() > std::chrono::hours(1)) d.erase(d.begin());
    if ((*ctx)->deletion_threshold > 0 &&
        static_cast<int64_t>(d.size()) >= (*ctx)->deletion_threshold) {
      (void)PauseApplication(
          store_, (*ctx)->app.id,
          "deletion threshold: more than " + std::to_string((*ctx)->deletion_threshold) +
              " accounts would be disabled or deleted within an hour; an admin must review and "
              "resume the application",
          now);
      outcome.disposition = Outcome::Disposition::kLeave;
      return prepared;
    }
    d.push_back(now);
  }
  prepared.done.reset();
  prepared.ctx = *ctx;
  prepared.desired = std::move(desired).value();
  prepared.link = std::move(link).value();
  prepared.plan = std::move(plan);
  return prepared;
}

void Engine::Record(std::span<const store::WorkItem> items, std::span<const Outcome> outcomes) {
  if (items.empty()) return;
  TimePoint now = clock_.Now();
  // Records items [begin, end) in one transaction.
  auto write = [&](size_t begin, size_t end) -> Status {
    ASSIGN_OR_RETURN(auto tx, store_.Begin());
    for (size_t i = begin; i < end; ++i) {
      RETURN_IF_ERROR(RecordOne(*tx, items[i], outcomes[i], now));
    }
    return tx->Commit();
  };
  if (auto st = write(0, items.size()); !st.ok()) {
    // What was done at the target must not be forgotten: an account created but not linked
    // would be left behind if its user is unassigned before the item comes back. So one item
    // that cannot be written (or a moment of contention) does not cost the others: each is
    // written on its own, with a few tries.
    spdlog::warn("provisioning: recording a batch of {} failed ({}); recording item by item",
                 items.size(), st.error().ToString());
    for (size_t i = 0; i < items.size(); ++i) {
      Status one = write(i, i + 1);
      for (int attempt = 1; !one.ok() && attempt < 4; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
        one = write(i, i + 1);
      }
      if (!one.ok()) {
        // Its lease lapses and it is reconciled again (level-triggered: the target's state
        // is found by the matching attribute, not redone).
        spdlog::error("provisioning: recording {} {} of application {} failed: {}",
                      items[i].key.subject_type, items[i].key.subject_id,
                      items[i].key.application_id, one.error().ToString());
      }
    }
  }
  // An active account (made, linked or enabled again) may be the manager others wait for.
  std::vector<store::WorkKey> made;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const Outcome& o = outcomes[i];
    if (o.ok && o.link && o.link->subject_type == "user" && o.link->state == "active") {
      made.push_back(items[i].key);
    }
  }
  if (!made.empty()) QueueWaitingReports(made);
  std::vector<store::WorkKey> moved;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].manager_moved) moved.push_back(items[i].key);
  }
  if (!moved.empty()) QueueReportsOf(moved);
  for (const auto& o : outcomes) {
    if (o.disposition == Outcome::Disposition::kRecord && (o.log || !o.ok) &&
        !(o.error && IsThrottled(*o.error))) {
      // Only a target that fails to answer counts toward a quarantine, not refused data.
      bool unanswered =
          o.error && (connectors::ClassOf(*o.error) == connectors::ErrorClass::kRetryable ||
                      connectors::ClassOf(*o.error) == connectors::ErrorClass::kRateLimited);
      CountOutcome(items[&o - outcomes.data()].key.application_id, o.ok, unanswered);
    }
  }
}

Status Engine::RecordOne(store::Transaction& tx, const store::WorkItem& item,
                         const Outcome& outcome, TimePoint now) {
  if (outcome.disposition == Outcome::Disposition::kLeave) return Ok();
  if (outcome.disposition == Outcome::Disposition::kDefer) {
    return store_.work().Defer(tx, item, now + std::chrono::seconds(30), outcome.detail);
  }
  store::ProvisioningLogEntry entry;
  entry.at = now;
  entry.application_id = item.key.application_id;
  entry.subject_type = item.key.subject_type;
  entry.subject_id = item.key.subject_id;
  entry.action = outcome.action.empty() ? "noop" : outcome.action;
  entry.target_id = outcome.target_id;
  entry.attempts = item.attempts + 1;
  entry.duration_us = outcome.duration_us;
  entry.detail = outcome.detail;
  entry.node = options_.node_id;
  if (outcome.ok) {
    if (outcome.link) RETURN_IF_ERROR(store_.links().Upsert(tx, *outcome.link));
    if (outcome.delete_link) {
      RETURN_IF_ERROR(store_.links().Delete(tx, item.key.application_id, item.key.subject_type,
                                            item.key.subject_id));
    }
    RETURN_IF_ERROR(store_.work().Complete(tx, item));
    if (!outcome.mark.empty()) {
      // A second later: while many accounts are being made, their groups run about once a
      // second rather than after every batch (an earlier mark keeps its earlier time).
      RETURN_IF_ERROR(
          store_.work().Enqueue(tx, outcome.mark, "incremental", now + std::chrono::seconds(1)));
    }
    if (!outcome.log) return Ok();
    entry.status = "success";
    return store_.provisioning_log().Append(tx, entry);
  }
  const Error& e = *outcome.error;
  if (outcome.partial && outcome.link) RETURN_IF_ERROR(store_.links().Upsert(tx, *outcome.link));
  connectors::Decision decision = connectors::DecideAction(e);
  if (IsThrottled(e)) {
    // Never reached the target: back when the application's limiter has a turn free (spread
    // a little, so the items it turned away do not all return at once). Not logged.
    thread_local std::mt19937_64 spread{std::random_device{}()};
    auto wait = decision.delay.value_or(std::chrono::milliseconds(1000));
    wait += std::chrono::milliseconds(
        std::uniform_int_distribution<int64_t>(0, wait.count() / 2 + 1)(spread));
    return store_.work().Defer(tx, item, now + wait, e.message());
  }
  entry.error = e.ToString();
  // A rate-limited answer is the target asking us to slow down (the limiter already holds the
  // application), not a failure of this item: it backs off like any retry, but never uses up
  // the item's attempts, so a busy target cannot push changes into the dead letters.
  bool rate_limited = connectors::ClassOf(e) == connectors::ErrorClass::kRateLimited;
  bool exhausted = !rate_limited && item.attempts + 1 >= options_.max_attempts;
  if (decision.action == connectors::Action::kSkip || exhausted) {
    entry.status = "failure";
    if (decision.action == connectors::Action::kSkip) {
      RETURN_IF_ERROR(store_.work().Complete(tx, item));
    } else {
      RETURN_IF_ERROR(store_.work().Bury(tx, item, e.ToString()));
      entry.detail = R"({"dead_letter":true})";
    }
  } else {
    // The target's own Retry-After, else exponential backoff with jitter.
    auto delay = decision.delay.value_or(
        connectors::Backoff(item.attempts, options_.base_backoff, options_.max_backoff));
    entry.status = "retrying";
    RETURN_IF_ERROR(store_.work().Retry(tx, item, now + delay, e.ToString()));
    if (decision.action == connectors::Action::kStop) {
      RETURN_IF_ERROR(QuarantineApplication(store_, tx, item.key.application_id,
                                            "the target refused us: " + e.message(), now));
    }
  }
  return store_.provisioning_log().Append(tx, entry);
}

}  // namespace provisio::provisioning
