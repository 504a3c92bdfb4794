#include "importsync/importer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <iterator>
#include <unordered_set>

#include "connectors/action.h"
#include "connectors/error_class.h"
#include "connectors/ldap/ldap_connector.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/schedule.h"
#include "importsync/held.h"
#include "importsync/matching.h"
#include "importsync/policy.h"
#include "importsync/run_state.h"
#include "importsync/source_mapper.h"
#include "mapping/canonical.h"
#include "scim/schema_urns.h"

namespace provisio::importsync {
namespace {

boost::json::object ParseObject(std::string_view text) {
  auto v = json::Parse(text.empty() ? "{}" : text);
  if (!v.ok() || !v->is_object()) return {};
  return std::move(v->as_object());
}

boost::json::array ParseArray(std::string_view text) {
  auto v = json::Parse(text.empty() ? "[]" : text);
  if (!v.ok() || !v->is_array()) return {};
  return std::move(v->as_array());
}

bool HasCapability(const store::ApplicationRow& app, std::string_view cap) {
  auto caps = json::Parse(app.capabilities.empty() ? "[]" : app.capabilities);
  if (!caps.ok() || !caps->is_array()) return false;
  for (const auto& c : caps->get_array()) {
    if (c.is_string() && c.get_string() == cap) return true;
  }
  return false;
}

store::ScanSpec::Field FieldOf(MatchRule r) {
  switch (r) {
    case MatchRule::kExternalId:
      return store::ScanSpec::Field::kExternalId;
    case MatchRule::kUserName:
      return store::ScanSpec::Field::kUserName;
    case MatchRule::kWorkEmail:
      return store::ScanSpec::Field::kEmail;
  }
  return store::ScanSpec::Field::kUserName;
}

// What the planner decided for one source user; the executor carries it out.
struct UserAction {
  enum class Kind { kUnchanged, kCreate, kUpdate, kLink, kHold, kSkip, kFail };
  Kind kind = Kind::kFail;
  std::string source_id;
  std::string source_name;
  std::string user_id;
  std::string hash;
  boost::json::object mapped;
  // The manager as the source names her, while her account is not linked yet: left out of
  // `mapped`, kept on the link, and set by the run's managers phase.
  std::string manager_ref;
  // The manager as the source names her, resolved or not; kept on the link, so a record whose
  // manager is later removed in the source is known to have had one.
  std::string source_manager;
  // The source names no manager for the account and speaks for managers (its mappings write
  // them, or the record had one before): an update removes the portal user's.
  bool clear_manager = false;
  boost::json::object patch;   // for kUpdate / kLink; no operations when nothing differs
  std::string message;         // kFail / kHold: why
  boost::json::object detail;  // kHold: candidates; an active link: a held change, rejections
  bool held_change = false;    // kUnchanged / kUpdate / kLink: changes wait for an admin
  boost::json::object source;  // kHold: the record as read (omitted when huge)
  // The account's current entitlements where the record carries them (SCIM groups,
  // entitlements and roles; Salesforce profile and role); LDAP's come from its groups.
  std::optional<boost::json::array> entitlements;
};

// Appended to the hash of a record whose manager was not imported yet: when she is, the
// record's hash differs and the next run looks at it again.
constexpr std::string_view kManagerPending = "|manager-pending";

// The source record as read, kept on a held link for the admin to see (when not huge).
constexpr size_t kMaxHeldSourceBytes = 16 * 1024;

// Sets a.patch to what applies now and keeps the changes to held attributes in
// a.detail["held_change"] (replacing an older one; "rejected" values stay). True when
// something is held.
bool HoldChanges(UserAction& a, const boost::json::object& user,
                 const std::vector<std::string>& held) {
  boost::json::object desired = a.mapped;
  if (a.clear_manager) {
    auto& ext = desired[scim::kEnterpriseUserSchema];
    if (!ext.is_object()) ext = boost::json::object();
    ext.as_object()["manager"] = nullptr;
  }
  boost::json::object patch = MinimalPatch(user, desired);
  boost::json::object rejected;
  if (const auto* r = a.detail.if_contains("rejected"); r && r->is_object()) {
    rejected = r->as_object();
  }
  SplitPatch split = SplitHeld(patch, held, rejected);
  a.patch = std::move(split.apply);
  if (split.held.empty()) {
    a.detail.erase("held_change");
    return false;
  }
  boost::json::object change = HeldChange(split.held, user);
  std::string paths;
  for (const auto& op : split.held) {
    paths += (paths.empty() ? "" : ", ") + std::string(op.as_object().at("path").as_string());
  }
  a.message = "changes to held attributes: " + paths;
  change["message"] = a.message;
  change["record"] = a.mapped;
  a.detail["held_change"] = std::move(change);
  return true;
}

bool HasOps(const boost::json::object& patch) {
  const auto* ops = patch.if_contains("Operations");
  return ops && ops->is_array() && !ops->get_array().empty();
}

}  // namespace

// A run in progress: its record and everything derived once per run.
struct Importer::Run {
  store::ImportRunRow row;
  store::ApplicationRow app;
  ImportPolicy policy;
  Counts counts;
  boost::json::array errors;
  std::optional<SourceMapper> mapper;
  std::shared_ptr<connectors::Connector> connector;
};

Importer::Importer(store::Store& store, directory::Directory& directory, ConnectorOpener open,
                   const Clock& clock, ImporterOptions options)
    : store_(store),
      directory_(directory),
      open_(std::move(open)),
      clock_(clock),
      options_(std::move(options)) {}

Importer::~Importer() { Stop(); }

void Importer::Start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { Loop(); });
}

void Importer::Stop() {
  if (!running_.exchange(false)) return;
  Wake();
  if (thread_.joinable()) thread_.join();
}

void Importer::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Importer::Loop() {
  while (running_) {
    // One node at a time runs imports and their schedules (a run resumes from its cursor on
    // whichever node holds the lock next, when its holder dies).
    auto leader = store_.HoldsLock("import-runs");
    if (!leader.ok() || !*leader) {
      if (!leader.ok()) spdlog::warn("import: lock: {}", leader.error().ToString());
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.idle_poll * 10, [&] { return woken_ || !running_; });
      woken_ = false;
      continue;
    }
    bool worked = false;
    for (std::string_view state : {"running", "queued"}) {
      auto runs = store_.imports().ListByState(state);
      if (!runs.ok()) {
        spdlog::warn("import: listing {} runs: {}", state, runs.error().ToString());
        continue;
      }
      for (const auto& run : *runs) {
        if (!running_) return;
        auto st = Execute(run.id);
        if (!st.ok()) spdlog::warn("import run {}: {}", run.id, st.error().ToString());
        worked = true;
      }
    }
    if (!running_) return;
    if (clock_.Now() - last_schedule_check_ >= options_.schedule_poll) {
      last_schedule_check_ = clock_.Now();
      CheckSchedules();
    }
    if (worked) continue;
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options_.idle_poll, [&] { return woken_ || !running_; });
    woken_ = false;
  }
}

void Importer::CheckSchedules() {
  auto apps = store_.applications().List(nullptr);
  if (!apps.ok()) return;
  for (const auto& app : *apps) {
    if (app.state != "active" || !app.connection_id || !HasCapability(app, "import_sync")) continue;
    auto settings = ParseObject(app.settings);
    auto interval =
        ParseScheduleInterval(json::GetString(settings, "sync_schedule").value_or("manual"));
    if (!interval) continue;
    auto runs = store_.imports().ListByApplication(app.id, 1);
    if (!runs.ok()) continue;
    if (!runs->empty() && runs->front().created + *interval > clock_.Now()) continue;
    auto queued = Enqueue(app.id, {});
    if (queued.ok()) spdlog::info("import: scheduled run {} for {}", queued->id, app.name);
  }
}

Result<store::ImportRunRow> Importer::Enqueue(std::string_view application_id,
                                              const boost::json::object& request) {
  ASSIGN_OR_RETURN(auto app, store_.applications().Get(nullptr, application_id));
  if (!app) return Error::NotFound("no application " + std::string(application_id));
  if (!app->connection_id) {
    return Error(Code::kInvalidArgument, "the application has no connection to import from");
  }
  ASSIGN_OR_RETURN(auto conn, store_.connections().Get(nullptr, *app->connection_id));
  if (!conn) return Error(Code::kInvalidArgument, "the application's connection is gone");
  ASSIGN_OR_RETURN(ImportPolicy policy, ParsePolicy(ParseObject(app->settings), request));
  store::ImportRunRow run;
  run.id = NewUuid();
  run.application_id = app->id;
  run.state = "queued";
  run.dry_run = json::GetBool(request, "dry_run").value_or(false);
  if (request.contains("dry_run") && !request.at("dry_run").is_bool()) {
    return Error(Code::kInvalidValue, "dry_run must be a boolean");
  }
  // Incremental where the source has a change marker and a previous run left one.
  std::string mode(json::GetString(request, "mode").value_or(""));
  if (!mode.empty() && mode != "full" && mode != "incremental") {
    return Error(Code::kInvalidValue, "mode must be \"full\" or \"incremental\"");
  }
  ASSIGN_OR_RETURN(auto last, store_.imports().LastSucceeded(app->id));
  bool can_increment = conn->type == "ldap" && last && !last->high_water.empty();
  if (mode.empty()) mode = can_increment ? "incremental" : "full";
  if (mode == "incremental" && !can_increment) mode = "full";  // nothing to start from
  run.mode = mode;
  if (mode == "incremental") {
    run.since = last->high_water;
    run.high_water = last->high_water;
    run.cursor = connectors::ldap::IncrementalCursor(run.since);
  }
  run.options = boost::json::serialize(PolicyJson(policy));
  run.phase = "users";
  run.counts = boost::json::serialize(Counts().ToJson());
  run.errors = "[]";
  run.created = clock_.Now();
  for (std::string_view state : {"queued", "running"}) {
    ASSIGN_OR_RETURN(auto active, store_.imports().ListByState(state));
    for (const auto& r : active) {
      if (r.application_id == app->id) {
        Error e(Code::kConflict, "an import of this application is already " + r.state);
        e.details()["run_id"] = r.id;
        return e;
      }
    }
  }
  ASSIGN_OR_RETURN(auto tx, store_.Begin());
  RETURN_IF_ERROR(store_.imports().Insert(*tx, run));
  RETURN_IF_ERROR(tx->Commit());
  Wake();
  return run;
}

Status Importer::Save(Run& r, store::Transaction& tx) {
  r.row.counts = boost::json::serialize(r.counts.ToJson());
  r.row.errors = boost::json::serialize(r.errors);
  return store_.imports().Update(tx, r.row);
}

Status Importer::Fail(Run& r, const Error& e) {
  r.row.state = "failed";
  r.row.message = e.ToString();
  r.row.finished = clock_.Now();
  ASSIGN_OR_RETURN(auto tx, store_.Begin());
  RETURN_IF_ERROR(Save(r, *tx));
  return tx->Commit();
}

Status Importer::Execute(std::string_view run_id) {
  ASSIGN_OR_RETURN(auto row, store_.imports().Get(nullptr, run_id));
  if (!row) return Error::NotFound("no import run " + std::string(run_id));
  RunState state;
  if (!ParseRunState(row->state, &state)) return Error::Internal("bad run state " + row->state);
  if (IsFinal(state)) return Ok();
  Run r;
  r.row = std::move(*row);
  r.counts = Counts::FromJson(ParseObject(r.row.counts));
  r.errors = ParseArray(r.row.errors);
  r.policy = PolicyFromJson(ParseObject(r.row.options));
  auto prepare = [&]() -> Status {
    ASSIGN_OR_RETURN(auto app, store_.applications().Get(nullptr, r.row.application_id));
    if (!app) return Error::NotFound("the application was deleted");
    r.app = std::move(*app);
    if (!r.app.connection_id) return Error::InvalidArgument("the application has no connection");
    ASSIGN_OR_RETURN(auto conn, store_.connections().Get(nullptr, *r.app.connection_id));
    if (!conn) return Error::InvalidArgument("the application's connection is gone");
    ASSIGN_OR_RETURN(r.connector, open_(r.app, *conn));
    if (!r.connector->capabilities().list_users) {
      return Error::InvalidArgument("the " + conn->type + " connector cannot list users");
    }
    ASSIGN_OR_RETURN(auto mapper, SourceMapper::For(r.app, conn->type));
    r.mapper = std::move(mapper);
    return Ok();
  };
  if (auto st = prepare(); !st.ok()) return Fail(r, st.error());
  if (state == RunState::kQueued) {
    r.row.state = "running";
    r.row.started = clock_.Now();
    ASSIGN_OR_RETURN(auto tx, store_.Begin());
    RETURN_IF_ERROR(Save(r, *tx));
    RETURN_IF_ERROR(tx->Commit());
  }
  spdlog::info("import run {} ({} {}{}) of {} at phase {}", r.row.id, r.row.mode,
               r.row.dry_run ? "dry run " : "", r.mapper->source_type(), r.app.name, r.row.phase);
  auto stopping = [&] {
    return !running_ && thread_.joinable() && std::this_thread::get_id() == thread_.get_id();
  };
  while (r.row.phase != "done") {
    if (stopping()) return Ok();  // resume at the next start
    Status st;
    if (r.row.phase == "users") {
      st = RunUsers(r);
    } else if (r.row.phase == "managers") {
      st = RunManagers(r);
    } else if (r.row.phase == "gone") {
      st = RunGone(r);
    } else if (r.row.phase == "groups") {
      st = RunGroups(r);
    } else if (r.row.phase == "entitlements") {
      st = RunEntitlements(r);
    } else {
      st = Error::Internal("unknown phase " + r.row.phase);
    }
    // A read cut short by a stop is not the source's fault: the run resumes at the next start.
    if (!st.ok()) return stopping() ? Ok() : Fail(r, st.error());
  }
  r.row.state = "succeeded";
  r.row.finished = clock_.Now();
  ASSIGN_OR_RETURN(auto tx, store_.Begin());
  RETURN_IF_ERROR(Save(r, *tx));
  RETURN_IF_ERROR(tx->Commit());
  spdlog::info("import run {} succeeded: {}", r.row.id, r.row.counts);
  return Ok();
}

bool Importer::Pause(std::chrono::milliseconds d) {
  // Execute on a caller's thread (not the importer's) is never stopped.
  if (!thread_.joinable() || std::this_thread::get_id() != thread_.get_id()) {
    std::this_thread::sleep_for(d);
    return true;
  }
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, d, [&] { return !running_.load(); });
}

template <typename Read>
auto Importer::ReadPage(const Run& r, Read&& read) -> decltype(read()) {
  const auto started = std::chrono::steady_clock::now();
  int failures = 0;
  int refusals = 0;
  for (;;) {
    auto result = read();
    if (result.ok()) return result;
    auto c = connectors::ClassOf(result.error());
    const bool limited = c == connectors::ErrorClass::kRateLimited;
    if (!limited && c != connectors::ErrorClass::kRetryable) return result;
    if (limited && std::chrono::steady_clock::now() - started >= options_.rate_limited_patience) {
      return result;
    }
    if (!limited && ++failures >= options_.page_attempts) return result;
    const int n = limited ? ++refusals : failures;
    const auto wait =
        connectors::RetryAfterOf(result.error())
            .value_or(connectors::Backoff(n - 1, options_.retry_base, options_.retry_cap));
    spdlog::info("import run {}: the source {} ({}); page tried again in {} ms", r.row.id,
                 limited ? "asks us to slow down" : "failed", result.error().message(),
                 wait.count());
    if (!Pause(wait)) return result;
  }
}

Status Importer::RunUsers(Run& r) {
  const std::string& app_id = r.app.id;
  connectors::PageRequest req{r.row.cursor, options_.page_size};
  ASSIGN_OR_RETURN(auto page, ReadPage(r, [&] { return r.connector->ListUsers(req); }));
  // Plan: reads only.
  std::vector<UserAction> actions;
  actions.reserve(page.items.size());
  auto lookup = [&](MatchRule rule, const std::string& value) -> Result<std::vector<std::string>> {
    std::vector<std::string> ids;
    store::ScanSpec spec;
    spec.lookup = store::ScanSpec::Lookup{FieldOf(rule), value};
    spec.page_size = 4;
    RETURN_IF_ERROR(store_.users().Scan(spec, [&](const store::UserRow& u) {
      ids.push_back(u.id);
      return ids.size() < 4;
    }));
    return ids;
  };
  for (const auto& account : page.items) {
    ++r.counts.read;
    UserAction a;
    a.source_id = account.id;
    a.source_name = r.mapper->SourceName(account);
    if (auto ents = r.mapper->AccountEntitlements(account)) {
      boost::json::array list;
      for (auto& e : *ents) list.emplace_back(e);
      a.entitlements = std::move(list);
    }
    if (std::string marker = r.mapper->ChangeMarker(account); marker > r.row.high_water) {
      r.row.high_water = marker;
    }
    auto plan = [&]() -> Status {
      auto mapped = r.mapper->MapUser(account);
      if (!mapped.ok()) {
        a.kind = UserAction::Kind::kFail;
        a.message = mapped.error().message();
        return Ok();
      }
      a.mapped = std::move(*mapped);
      // The manager named the source's way becomes her portal user; one not imported yet
      // waits (a report is often read before its manager).
      a.source_manager = SourceMapper::ManagerRef(a.mapped);
      if (!a.source_manager.empty()) {
        ASSIGN_OR_RETURN(std::string manager, ManagerOf(r, a.source_manager));
        SourceMapper::SetManager(a.mapped, manager);
        if (manager.empty()) a.manager_ref = a.source_manager;
      } else {
        a.clear_manager = r.mapper->MapsManager(account);
      }
      a.hash = mapping::DesiredStateHash(a.mapped) +
               (a.manager_ref.empty() ? "" : std::string(kManagerPending));
      ASSIGN_OR_RETURN(auto link, store_.source_links().Get(nullptr, app_id, "user", a.source_id));
      if (link && link->state == "rejected" && link->hash == a.hash) {
        // An admin rejected this record as it stands: not held again until it changes.
        a.kind = UserAction::Kind::kSkip;
        return Ok();
      }
      if (link && link->state == "active" && !link->subject_id.empty()) {
        a.user_id = link->subject_id;
        a.detail = ParseObject(link->detail);  // a held change and rejections stay with it
        a.clear_manager =
            a.clear_manager || (a.source_manager.empty() && a.detail.contains("manager_source"));
        if (link->hash == a.hash) {
          a.kind = UserAction::Kind::kUnchanged;
          a.held_change = a.detail.contains("held_change");
          return Ok();
        }
        auto user = directory_.GetUser(a.user_id, {.groups = false, .members = false});
        if (user.ok()) {
          bool held = HoldChanges(a, user->body, r.policy.hold_attributes);
          a.kind = HasOps(a.patch) ? UserAction::Kind::kUpdate : UserAction::Kind::kUnchanged;
          a.held_change = held;
          return Ok();
        }
        if (user.error().code() != Code::kNotFound) return std::move(user).error();
        a.user_id.clear();  // the portal user was deleted: match again
        a.detail = {};
      }
      ASSIGN_OR_RETURN(MatchOutcome m, Match(a.mapped, r.policy.matching, lookup));
      if (m.kind == MatchOutcome::Kind::kAmbiguous) {
        a.kind = UserAction::Kind::kHold;
        a.message = "several portal users match by " + m.rule;
        boost::json::array c;
        for (const auto& id : m.candidates) c.emplace_back(id);
        a.detail = {{"reason", "ambiguous"}, {"rule", m.rule}, {"candidates", std::move(c)}};
        return Ok();
      }
      if (m.kind == MatchOutcome::Kind::kOne) {
        ASSIGN_OR_RETURN(auto other,
                         store_.source_links().FindBySubject(nullptr, app_id, "user", m.user_id));
        if (other && other->source_id != a.source_id) {
          a.kind = UserAction::Kind::kHold;
          a.message = "the matching portal user is linked to another source account";
          a.detail = {{"reason", "already_linked"},
                      {"rule", m.rule},
                      {"candidates", boost::json::array{boost::json::value(m.user_id)}},
                      {"linked_source_id", other->source_id}};
          return Ok();
        }
        a.user_id = m.user_id;
        ASSIGN_OR_RETURN(auto user,
                         directory_.GetUser(a.user_id, {.groups = false, .members = false}));
        a.held_change = HoldChanges(a, user.body, r.policy.hold_attributes);
        a.kind = UserAction::Kind::kLink;
        return Ok();
      }
      switch (r.policy.unmatched) {
        case Unmatched::kCreate:
          a.kind = UserAction::Kind::kCreate;
          break;
        case Unmatched::kSkip:
          a.kind = UserAction::Kind::kSkip;
          break;
        case Unmatched::kHold:
          a.kind = UserAction::Kind::kHold;
          a.message = "no portal user matches";
          a.detail = {{"reason", "unmatched"}};
          break;
      }
      return Ok();
    };
    if (auto st = plan(); !st.ok()) {
      a.kind = UserAction::Kind::kFail;
      a.message = st.error().ToString();
    }
    if (a.kind == UserAction::Kind::kHold) {
      boost::json::object shown = ShownSource(account.attributes);
      if (boost::json::serialize(shown).size() <= kMaxHeldSourceBytes) a.source = std::move(shown);
    }
    actions.push_back(std::move(a));
  }
  // Execute: one transaction for the page and the run's cursor. A dry run writes only the run.
  ASSIGN_OR_RETURN(auto tx, store_.Begin());
  const TimePoint now = clock_.Now();
  for (auto& a : actions) {
    auto link = [&](std::string state, std::string subject) {
      if (a.entitlements) a.detail["entitlements"] = *a.entitlements;
      for (auto [key, v] : {std::pair{"manager_ref", &a.manager_ref},
                            std::pair{"manager_source", &a.source_manager}}) {
        if (v->empty()) {
          a.detail.erase(key);
        } else {
          a.detail[key] = *v;
        }
      }
      store::SourceLinkRow l{app_id,
                             "user",
                             a.source_id,
                             a.source_name,
                             std::move(subject),
                             std::move(state),
                             a.hash,
                             r.row.id,
                             boost::json::serialize(a.detail),
                             now};
      return store_.source_links().Upsert(*tx, l);
    };
    auto apply = [&]() -> Status {
      if (r.row.dry_run) return Ok();
      switch (a.kind) {
        case UserAction::Kind::kUnchanged:
          return link("active", a.user_id);
        case UserAction::Kind::kCreate: {
          ASSIGN_OR_RETURN(auto created, directory_.CreateUser(a.mapped, tx.get()));
          auto id = json::GetString(created.body, "id");
          return link("active", std::string(id.value_or("")));
        }
        case UserAction::Kind::kUpdate:
        case UserAction::Kind::kLink:
          if (HasOps(a.patch)) {
            RETURN_IF_ERROR(directory_.PatchUser(a.user_id, a.patch, {}, tx.get()));
          }
          return link("active", a.user_id);
        case UserAction::Kind::kHold:
          a.detail["message"] = a.message;
          a.detail["record"] = a.mapped;
          if (!a.source.empty()) a.detail["source"] = a.source;
          return link("held", "");
        case UserAction::Kind::kSkip:
        case UserAction::Kind::kFail:
          return Ok();
      }
      return Ok();
    };
    Status st = a.kind == UserAction::Kind::kFail ? Status(Error(Code::kInvalidValue, a.message))
                                                  : store::WithSavepoint(*tx, apply);
    if (!st.ok()) {
      ++r.counts.failed;
      AppendError(r.errors, options_.max_errors, a.source_id, st.error().message());
      continue;
    }
    if (a.held_change) {
      ++r.counts.held;
      if (!a.message.empty())
        AppendError(r.errors, options_.max_errors, a.source_id, "held: " + a.message);
      if (a.kind == UserAction::Kind::kUnchanged) continue;  // only the held part changed
    }
    switch (a.kind) {
      case UserAction::Kind::kUnchanged:
        ++r.counts.unchanged;
        break;
      case UserAction::Kind::kCreate:
        ++r.counts.created;
        break;
      case UserAction::Kind::kUpdate:
        ++r.counts.updated;
        break;
      case UserAction::Kind::kLink:
        ++r.counts.linked;
        break;
      case UserAction::Kind::kHold:
        ++r.counts.held;
        AppendError(r.errors, options_.max_errors, a.source_id, "held: " + a.message);
        break;
      case UserAction::Kind::kSkip:
        ++r.counts.skipped;
        break;
      case UserAction::Kind::kFail:
        break;
    }
  }
  r.row.cursor = page.next_cursor;
  if (page.next_cursor.empty()) r.row.phase = "managers";
  RETURN_IF_ERROR(Save(r, *tx));
  return tx->Commit();
}

Result<std::string> Importer::ManagerOf(const Run& r, const std::string& ref) {
  auto link = r.mapper->managers_by_name()
                  ? store_.source_links().FindByName(nullptr, r.app.id, "user", ref)
                  : store_.source_links().Get(nullptr, r.app.id, "user", ref);
  if (!link.ok()) return std::move(link).error();
  if (!*link || (*link)->state != "active") return std::string();
  return (*link)->subject_id;
}

Status Importer::RunManagers(Run& r) {
  // The reports read before their manager's account: now that the listing is done, each is
  // given her portal user. Links are scanned a batch at a time from the cursor.
  const std::string& app_id = r.app.id;
  std::vector<store::SourceLinkRow> waiting;
  std::string after = r.row.cursor;
  bool more = false;
  RETURN_IF_ERROR(
      store_.source_links().Scan(app_id, "user", after, [&](const store::SourceLinkRow& l) {
        after = l.source_id;
        if (l.state == "active" && !l.subject_id.empty() &&
            l.detail.find("\"manager_ref\"") != std::string::npos) {
          waiting.push_back(l);
        }
        more = waiting.size() >= options_.page_size;
        return !more;
      }));
  ASSIGN_OR_RETURN(auto tx, store_.Begin());
  const TimePoint now = clock_.Now();
  for (auto& l : waiting) {
    boost::json::object detail = ParseObject(l.detail);
    std::string ref(json::GetString(detail, "manager_ref").value_or(""));
    ASSIGN_OR_RETURN(std::string manager, ManagerOf(r, ref));
    // Not in the source, or not imported (held, skipped, failed): the next run looks again.
    if (manager.empty() || r.row.dry_run) continue;
    Status st = store::WithSavepoint(*tx, [&]() -> Status {
      auto user = directory_.GetUser(l.subject_id, {.groups = false, .members = false});
      if (!user.ok() && user.error().code() != Code::kNotFound) return std::move(user).error();
      if (user.ok()) {
        boost::json::object want{
            {scim::kEnterpriseUserSchema, boost::json::object{{"manager", {{"value", manager}}}}}};
        boost::json::object rejected;
        if (const auto* rj = detail.if_contains("rejected"); rj && rj->is_object()) {
          rejected = rj->as_object();
        }
        // A held attribute waits for an admin here as in the users phase, beside any change
        // already waiting on the link.
        SplitPatch split =
            SplitHeld(MinimalPatch(user->body, want), r.policy.hold_attributes, rejected);
        if (HasOps(split.apply)) {
          RETURN_IF_ERROR(directory_.PatchUser(l.subject_id, split.apply, {}, tx.get()));
          ++r.counts.managers;
        }
        if (!split.held.empty()) {
          boost::json::object change = HeldChange(split.held, user->body);
          auto* old = detail.if_contains("held_change");
          if (old && old->is_object()) {
            auto& o = old->as_object();
            for (const char* key : {"operations", "changes"}) {
              if (!o[key].is_array()) o[key] = boost::json::array();
              for (auto& v : change[key].as_array()) o[key].as_array().push_back(v);
            }
          } else {
            change["message"] = "changes to held attributes: manager";
            detail["held_change"] = std::move(change);
          }
          ++r.counts.held;
          AppendError(r.errors, options_.max_errors, l.source_id,
                      "held: changes to held attributes: manager");
        }
      }
      detail.erase("manager_ref");
      l.detail = boost::json::serialize(detail);
      l.updated = now;
      return store_.source_links().Upsert(*tx, l);
    });
    if (!st.ok()) {
      ++r.counts.failed;
      AppendError(r.errors, options_.max_errors, l.source_id, st.error().message());
    }
  }
  r.row.cursor = more ? after : "";
  if (!more) {
    // An incremental listing cannot see deletions: an LDAP source lists its ids for them.
    bool gone = r.row.mode == "full" || (r.mapper->ldap() && r.policy.gone != Gone::kIgnore);
    r.row.phase = gone ? "gone" : "groups";
  }
  RETURN_IF_ERROR(Save(r, *tx));
  return tx->Commit();
}

Status Importer::RunGone(Run& r) {
  // Linked accounts this full listing did not return are gone from the source. An
  // incremental run lists only the source's ids (a page of ids costs a fraction of a page of
  // entries) and keeps a 64-bit hash of each: 8 bytes per account, however large the entries.
  const bool incremental = r.row.mode != "full";
  std::vector<uint64_t> present;
  if (incremental) {
    connectors::PageRequest req{connectors::ldap::IdsOnlyCursor(), options_.page_size};
    for (;;) {
      ASSIGN_OR_RETURN(auto page, ReadPage(r, [&] { return r.connector->ListUsers(req); }));
      for (const auto& a : page.items) present.push_back(std::hash<std::string>{}(a.id));
      if (page.next_cursor.empty()) break;
      req.cursor = page.next_cursor;
    }
    std::sort(present.begin(), present.end());
  }
  auto is_gone = [&](const store::SourceLinkRow& l) {
    if (l.state != "active") return false;
    if (!incremental) return l.seen_run != r.row.id;
    return !std::binary_search(present.begin(), present.end(),
                               std::hash<std::string>{}(l.source_id));
  };
  std::vector<store::SourceLinkRow> gone;
  int64_t count = 0;
  RETURN_IF_ERROR(
      store_.source_links().Scan(r.app.id, "user", "", [&](const store::SourceLinkRow& l) {
        if (is_gone(l)) {
          ++count;
          if (gone.size() < 100'000) gone.push_back(l);
        }
        return true;
      }));
  r.counts.gone = count;
  bool guarded = r.policy.deletion_threshold > 0 && count > r.policy.deletion_threshold;
  if (guarded) {
    r.row.message = "accounts gone from the source (" + std::to_string(count) +
                    ") exceed the deletion threshold (" +
                    std::to_string(r.policy.deletion_threshold) + "): none was " +
                    (r.policy.gone == Gone::kDisable ? "disabled" : "unlinked");
  }
  const TimePoint now = clock_.Now();
  size_t i = 0;
  do {
    ASSIGN_OR_RETURN(auto tx, store_.Begin());
    for (size_t n = 0;
         i < gone.size() && n < 500 && !guarded && !r.row.dry_run && r.policy.gone != Gone::kIgnore;
         ++i, ++n) {
      auto& l = gone[i];
      Status st = store::WithSavepoint(*tx, [&]() -> Status {
        if (r.policy.gone == Gone::kUnlink) {
          return store_.source_links().Delete(*tx, r.app.id, "user", l.source_id);
        }
        boost::json::object patch{
            {"schemas", boost::json::array{scim::kPatchOpSchema}},
            {"Operations", boost::json::array{boost::json::object{
                               {"op", "replace"}, {"path", "active"}, {"value", false}}}}};
        auto patched = directory_.PatchUser(l.subject_id, patch, {}, tx.get());
        if (!patched.ok() && patched.error().code() != Code::kNotFound) {
          return std::move(patched).error();
        }
        l.state = "gone";
        l.updated = now;
        return store_.source_links().Upsert(*tx, l);
      });
      if (!st.ok()) {
        ++r.counts.failed;
        AppendError(r.errors, options_.max_errors, l.source_id, st.error().message());
      } else if (r.policy.gone == Gone::kUnlink) {
        ++r.counts.unlinked;
      } else {
        ++r.counts.disabled;
      }
    }
    if (i >= gone.size() || guarded || r.row.dry_run || r.policy.gone == Gone::kIgnore) {
      r.row.phase = "groups";
      r.row.cursor.clear();
    }
    RETURN_IF_ERROR(Save(r, *tx));
    RETURN_IF_ERROR(tx->Commit());
  } while (r.row.phase == "gone");
  return Ok();
}

namespace {

// Adds or removes group `eid` in a user link's detail["groups"] (the source groups the account
// is a member of; detail["entitlements"] holds what the record itself carries); true when
// that changed anything.
bool SetEntitlement(boost::json::object& detail, const std::string& eid, bool present) {
  std::vector<std::string> ids;
  if (const auto* e = detail.if_contains("groups"); e && e->is_array()) {
    for (const auto& v : e->as_array()) {
      if (v.is_string()) ids.emplace_back(v.as_string());
    }
  }
  auto it = std::lower_bound(ids.begin(), ids.end(), eid);
  bool has = it != ids.end() && *it == eid;
  if (has == present) return false;
  if (present) {
    ids.insert(it, eid);
  } else {
    ids.erase(it);
  }
  boost::json::array out;
  for (auto& id : ids) out.emplace_back(id);
  detail["groups"] = std::move(out);
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Nested groups are expanded at most this many lookups deep per group.
constexpr size_t kMaxNestedLookups = 1000;

}  // namespace

Status Importer::RunGroups(Run& r) {
  connectors::GroupConnector* groups = r.connector->groups();
  if (!r.policy.groups || !groups || !r.connector->capabilities().groups) {
    r.row.phase = "entitlements";
    r.row.cursor.clear();
    return Ok();
  }
  const std::string& app_id = r.app.id;
  connectors::PageRequest req{r.row.cursor, options_.group_page_size};
  ASSIGN_OR_RETURN(auto page, ReadPage(r, [&] { return groups->ListGroups(req); }));
  const TimePoint now = clock_.Now();
  struct GroupAction {
    std::string source_id, source_name, name, hash, group_id;
    boost::json::object desired;
    bool unchanged = false;
    // Source ids of the user members, sorted; nullopt when the source does not say.
    std::optional<std::vector<std::string>> member_sources;
    std::vector<std::string> old_members;  // as the group's link recorded them
    bool had_members = false;              // the link recorded them at all
  };
  std::vector<GroupAction> actions;
  for (const auto& g : page.items) {
    ++r.counts.groups_read;
    GroupAction a;
    a.source_id = g.id;
    a.source_name = r.mapper->SourceName(g);
    a.name = r.mapper->GroupName(g);
    boost::json::array members;
    std::vector<std::string> ids;
    // Members in order; a member that is itself a group (LDAP: a DN no imported user has) is
    // expanded transitively, each group once, so cycles end.
    std::deque<std::string> queue;
    if (!r.mapper->lists_members()) {
      // A SCIM source lists groups without members: their ids are asked for per group.
      ASSIGN_OR_RETURN(auto member_ids, ReadPage(r, [&] { return groups->MemberIds(g.id); }));
      if (member_ids) {
        a.member_sources.emplace();
        for (auto& id : *member_ids) queue.push_back(std::move(id));
      }
    } else {
      a.member_sources.emplace();
      for (auto& ref : r.mapper->MemberRefs(g)) queue.push_back(std::move(ref));
    }
    std::unordered_set<std::string> visited{
        Lower(a.source_name.empty() ? a.source_id : a.source_name)};
    size_t lookups = 0;
    while (!queue.empty()) {
      std::string ref = std::move(queue.front());
      queue.pop_front();
      if (!visited.insert(Lower(ref)).second) continue;
      auto link = r.mapper->members_by_name()
                      ? store_.source_links().FindByName(nullptr, app_id, "user", ref)
                      : store_.source_links().Get(nullptr, app_id, "user", ref);
      if (!link.ok()) return std::move(link).error();
      if (*link) {
        if ((*link)->state == "active" && !(*link)->subject_id.empty()) {
          ids.push_back((*link)->subject_id);
          if (a.member_sources) a.member_sources->push_back((*link)->source_id);
        }
        continue;
      }
      if (!r.mapper->members_by_name() || lookups >= kMaxNestedLookups) continue;
      ++lookups;
      auto nested = groups->GetGroup(ref);
      if (!nested.ok()) {
        if (connectors::ClassOf(nested.error()) == connectors::ErrorClass::kNotFound) continue;
        return std::move(nested).error();
      }
      for (auto& m : r.mapper->MemberRefs(*nested)) queue.push_back(std::move(m));
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (auto& m = a.member_sources) {
      std::sort(m->begin(), m->end());
      m->erase(std::unique(m->begin(), m->end()), m->end());
    }
    for (auto& id : ids) members.push_back(boost::json::object{{"value", id}});
    a.desired = {{"schemas", boost::json::array{scim::kGroupSchema}}, {"displayName", a.name}};
    if (r.mapper->lists_members()) a.desired["members"] = std::move(members);
    a.hash = mapping::DesiredStateHash(a.desired);
    ASSIGN_OR_RETURN(auto link, store_.source_links().Get(nullptr, app_id, "group", a.source_id));
    if (link) {
      auto detail = ParseObject(link->detail);
      if (const auto* m = detail.if_contains("members"); m && m->is_array()) {
        a.had_members = true;
        for (const auto& v : m->as_array()) {
          if (v.is_string()) a.old_members.emplace_back(v.as_string());
        }
      }
    }
    if (link && link->state == "active" && !link->subject_id.empty()) {
      a.group_id = link->subject_id;
      a.unchanged = link->hash == a.hash;
    } else {
      store::ScanSpec spec;
      spec.lookup = store::ScanSpec::Lookup{store::ScanSpec::Field::kDisplayName, a.name};
      spec.page_size = 2;
      std::vector<std::string> found;
      RETURN_IF_ERROR(store_.groups().Scan(spec, [&](const store::GroupRow& row) {
        found.push_back(row.id);
        return found.size() < 2;
      }));
      if (found.size() == 1) a.group_id = found.front();
    }
    actions.push_back(std::move(a));
  }
  // On the last page: the groups this listing (always a full one) did not return are gone.
  // Read before the page's transaction (the scan does not see it): earlier pages are
  // committed, this page's groups are left out by id.
  std::vector<store::SourceLinkRow> gone_groups;
  if (page.next_cursor.empty() && !r.row.dry_run) {
    std::unordered_set<std::string> listed;
    for (const auto& a : actions) listed.insert(a.source_id);
    RETURN_IF_ERROR(
        store_.source_links().Scan(app_id, "group", "", [&](const store::SourceLinkRow& l) {
          if (l.state == "active" && l.seen_run != r.row.id && !listed.contains(l.source_id)) {
            gone_groups.push_back(l);
          }
          return true;
        }));
  }
  ASSIGN_OR_RETURN(auto tx, store_.Begin());
  // Each member's link records the group among its entitlements (LDAP: the source's groups
  // list their members; a SCIM source's users list their groups themselves).
  auto set_entitlement = [&](const std::string& user_source, const std::string& eid,
                             bool present) -> Status {
    ASSIGN_OR_RETURN(auto l, store_.source_links().Get(tx.get(), app_id, "user", user_source));
    if (!l) return Ok();
    auto detail = ParseObject(l->detail);
    if (!SetEntitlement(detail, eid, present)) return Ok();
    l->detail = boost::json::serialize(detail);
    return store_.source_links().Upsert(*tx, *l);
  };
  for (auto& a : actions) {
    Status st = store::WithSavepoint(*tx, [&]() -> Status {
      if (!r.row.dry_run) {
        if (a.group_id.empty()) {
          ASSIGN_OR_RETURN(auto created, directory_.CreateGroup(a.desired, tx.get()));
          a.group_id = std::string(json::GetString(created.body, "id").value_or(""));
          ++r.counts.groups_created;
        } else if (!a.unchanged) {
          if (r.mapper->lists_members()) {
            auto replaced = directory_.ReplaceGroup(a.group_id, a.desired, {}, tx.get());
            if (!replaced.ok()) return std::move(replaced).error();
          } else {
            boost::json::object patch{
                {"schemas", boost::json::array{scim::kPatchOpSchema}},
                {"Operations",
                 boost::json::array{boost::json::object{
                     {"op", "replace"}, {"path", "displayName"}, {"value", a.name}}}}};
            auto patched = directory_.PatchGroup(a.group_id, patch, {}, {}, tx.get());
            if (!patched.ok()) return std::move(patched).error();
          }
          ++r.counts.groups_updated;
        }
        boost::json::object detail;
        if (const auto& now_members = a.member_sources) {
          // The members' links gain or lose the group; an unchanged LDAP group (same portal
          // members) has nothing to tell them.
          if (!a.unchanged || !a.had_members || !r.mapper->lists_members()) {
            std::vector<std::string> added, removed;
            std::sort(a.old_members.begin(), a.old_members.end());
            std::set_difference(now_members->begin(), now_members->end(), a.old_members.begin(),
                                a.old_members.end(), std::back_inserter(added));
            std::set_difference(a.old_members.begin(), a.old_members.end(), now_members->begin(),
                                now_members->end(), std::back_inserter(removed));
            for (const auto& s : added) RETURN_IF_ERROR(set_entitlement(s, a.source_id, true));
            for (const auto& s : removed) RETURN_IF_ERROR(set_entitlement(s, a.source_id, false));
          }
          boost::json::array list;
          for (const auto& s : *now_members) list.emplace_back(s);
          detail["members"] = std::move(list);
        }
        RETURN_IF_ERROR(store_.source_links().Upsert(
            *tx, {app_id, "group", a.source_id, a.source_name, a.group_id, "active", a.hash,
                  r.row.id, boost::json::serialize(detail), now}));
        RETURN_IF_ERROR(store_.entitlements().Upsert(
            *tx, {app_id, a.source_id, "group", a.name,
                  boost::json::serialize(boost::json::object{{"portal_group_id", a.group_id}}),
                  r.row.id, now}));
      } else if (a.group_id.empty()) {
        ++r.counts.groups_created;
      } else if (!a.unchanged) {
        ++r.counts.groups_updated;
      }
      return Ok();
    });
    if (!st.ok()) {
      ++r.counts.failed;
      AppendError(r.errors, options_.max_errors, a.source_id, st.error().message());
    }
  }
  r.row.cursor = page.next_cursor;
  if (page.next_cursor.empty()) {
    if (!r.row.dry_run) {
      // Gone groups: their members lose them, and they are no longer the application's
      // entitlements.
      for (auto& l : gone_groups) {
        auto detail = ParseObject(l.detail);
        if (const auto* m = detail.if_contains("members"); m && m->is_array()) {
          for (const auto& v : m->as_array()) {
            if (v.is_string()) {
              RETURN_IF_ERROR(set_entitlement(std::string(v.as_string()), l.source_id, false));
            }
          }
        }
        l.state = "gone";
        l.detail = "{}";
        l.updated = now;
        RETURN_IF_ERROR(store_.source_links().Upsert(*tx, l));
      }
      RETURN_IF_ERROR(store_.entitlements().DeleteUnseen(*tx, app_id, "group", r.row.id));
    }
    r.row.phase = "entitlements";
  }
  RETURN_IF_ERROR(Save(r, *tx));
  return tx->Commit();
}

Status Importer::RunEntitlements(Run& r) {
  connectors::EntitlementConnector* ents = r.connector->entitlements();
  if (!ents || !r.connector->capabilities().entitlements) {
    r.row.phase = "done";
    return Ok();
  }
  connectors::PageRequest req{r.row.cursor, options_.page_size};
  ASSIGN_OR_RETURN(auto page, ReadPage(r, [&] { return ents->ListEntitlements(req); }));
  ASSIGN_OR_RETURN(auto tx, store_.Begin());
  const TimePoint now = clock_.Now();
  for (const auto& e : page.items) {
    ++r.counts.entitlements;
    if (r.row.dry_run) continue;
    RETURN_IF_ERROR(
        store_.entitlements().Upsert(*tx, {r.app.id, e.id, e.kind, e.display_name,
                                           boost::json::serialize(e.attributes), r.row.id, now}));
  }
  r.row.cursor = page.next_cursor;
  if (page.next_cursor.empty()) {
    if (r.row.mode == "full" && !r.row.dry_run) {
      for (std::string_view kind : {"role", "profile", "license", "permission_set"}) {
        RETURN_IF_ERROR(store_.entitlements().DeleteUnseen(*tx, r.app.id, kind, r.row.id));
      }
    }
    r.row.phase = "done";
  }
  RETURN_IF_ERROR(Save(r, *tx));
  return tx->Commit();
}

}  // namespace provisio::importsync
