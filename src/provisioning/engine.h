// The provisioning engine: consumes the directory's change feed, leases work items, plans
// each (application, user) pair and carries the plan out through the application's
// connector, recording account links and the provisioning log. Level-triggered: every item
// recomputes the desired state, so a retry or a crash never does work twice.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "directory/directory.h"
#include "http/client.h"
#include "provisioning/app_context.h"
#include "provisioning/failure_window.h"
#include "provisioning/quarantine_probe.h"
#include "provisioning/rate_limiter.h"
#include "security/secret_box.h"
#include "store/store.h"

namespace provisio::provisioning {

struct EngineOptions {
  int workers = 16;         // items processed at once
  size_t lease_batch = 64;  // items a worker leases, and records in one transaction
  // Creates/updates of one application that go to its connector's batch call (SCIM /Bulk,
  // Salesforce collections) once at least this many of a leased batch are ready; 0: never.
  size_t min_connector_batch = 2;
  std::chrono::milliseconds lease{120'000};       // a dead worker's items return after this
  std::chrono::milliseconds idle_poll{100};       // how often idle loops look for work
  int max_attempts = 8;                           // then the item is dead-lettered
  std::chrono::milliseconds base_backoff{1'000};  // doubled per attempt, with jitter
  std::chrono::milliseconds max_backoff{300'000};
  std::string node_id = "node";  // lease owner
  // A call that would wait longer than this for its application's rate limit is not made;
  // the item comes back when a turn is free (throttled_connector.h).
  std::chrono::milliseconds throttle_max_wait{5'000};
  std::chrono::milliseconds schedule_poll{30'000};  // how often sync_schedule is checked
  // A quarantined application's target is probed after this, doubling up to the max.
  std::chrono::milliseconds quarantine_probe{30'000};
  std::chrono::milliseconds quarantine_probe_max{600'000};
};

// One step of an on-demand provisioning run, as the admin console shows it.
struct Step {
  std::string name;    // "scope", "matching", "attributes", "action", "result"
  std::string status;  // "ok" | "skipped" | "failed"
  boost::json::value detail;
};

struct SyncOptions {
  bool full = false;     // every pair in scope, and a check of the target for drift
  bool dry_run = false;  // report what would change, call nothing
};

class Engine {
 public:
  Engine(store::Store& store, directory::Directory& directory, const security::SecretBox& secrets,
         http::Client& http, const Clock& clock, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;

  void Start();
  void Stop();  // finishes the items in hand, then returns

  // Marks every pair of the application for reconciliation (or, with dry_run, plans them
  // without calling the target). Returns a report: {"mode","enqueued"} or the dry-run plan.
  Result<boost::json::object> Sync(std::string_view application_id, const SyncOptions& options);
  // Reconciles one user now, bypassing the queue, and returns each step taken.
  Result<std::vector<Step>> ProvisionNow(std::string_view application_id, std::string_view user_id);
  // The same for one group (group push, engine_groups.cpp).
  Result<std::vector<Step>> ProvisionGroupNow(std::string_view application_id,
                                              std::string_view group_id);
  // Brings the application's dead-lettered items back to the queue, ready now with their
  // attempts starting over; returns how many. A full sync does this first.
  Result<int64_t> RetryDeadLetters(std::string_view application_id);
  // Queue depth, in-flight and outcome counters per application.
  Result<boost::json::object> StatusJson();
  // New work was enqueued: wake idle workers now.
  void Wake();

  // The connector of a connection (opened and cached); for connection tests.
  Result<std::shared_ptr<connectors::Connector>> ConnectorFor(
      const store::ConnectionRow& connection);
  // The connector an application's import reads through: its calls spend the application's
  // rate limit and concurrency with its provisioning calls, and a 429 holds both. A call waits
  // up to `max_wait` for its turn before it answers a rate-limited error.
  Result<std::shared_ptr<connectors::Connector>> ImportConnectorFor(
      const store::ApplicationRow& app, const store::ConnectionRow& connection,
      std::chrono::microseconds max_wait);

 private:
  // What carrying out one plan came to, for the store and the log.
  struct Outcome {
    bool ok = true;
    std::string action;                         // for the log
    std::optional<store::AccountLinkRow> link;  // to store
    bool delete_link = false;
    std::string target_id;
    std::optional<Error> error;
    bool log = true;
    int64_t duration_us = 0;
    std::string detail = "{}";
    // kRecord: store the result; kDefer: keep the item for later (application paused);
    // kLeave: touch nothing, the lease lapses (the deletion guard just paused the app).
    enum class Disposition { kRecord, kDefer, kLeave } disposition = Disposition::kRecord;
    std::vector<store::WorkKey> mark;  // enqueued with the result (groups a user's change affects)
    bool partial = false;              // failed, but `link` records the progress made (group push)
    // What stands for this user in the target as a manager changed (another account id, or for
    // Google another address): her reports are read again (QueueReportsOf).
    bool manager_moved = false;
  };
  using ContextCache = std::map<std::string, Result<std::shared_ptr<AppContext>>, std::less<>>;
  // An item planned but not yet carried out, or (`done`) settled without the target.
  struct Prepared {
    std::optional<Outcome> done;
    std::shared_ptr<AppContext> ctx;
    Desired desired;
    std::optional<store::AccountLinkRow> link;
    Plan plan;
    bool group = false;  // a group item: ReconcileGroup, after the batch's users
  };
  void FeedLoop();
  void WorkerLoop();
  Status ConsumeFeed();
  Result<std::shared_ptr<AppContext>> Context(std::string_view application_id);
  Result<Desired> ComputeDesired(const AppContext& ctx, std::string_view user_id,
                                 boost::json::object* user_out);
  // The enterprise manager's value in `d` is a portal user id; the target knows the manager by
  // its own id. It becomes the id of the manager's account in this application; while the
  // manager has none, the manager is left out and the hash marked (kManagerPending), so the
  // account is pushed again once it exists: right after the manager's account is made
  // (QueueWaitingReports) or at the next sync.
  Status ResolveManager(const AppContext& ctx, Desired& d);
  // Queues the reports waiting for these accounts, now active (their users are managers).
  void QueueWaitingReports(const std::vector<store::WorkKey>& made);
  // Queues "full" the reports (users whose manager is one of these) of managers whose account
  // now stands for them differently: each report's account is read and its manager put right.
  void QueueReportsOf(const std::vector<store::WorkKey>& moved);
  // Enqueues `keys` (reports, for those two) in `mode` and wakes the workers; a failure is
  // logged (`what` names the keys): they are looked at again by the next sync.
  void EnqueueReports(const std::vector<store::WorkKey>& keys, std::string_view mode,
                      std::string_view what);
  Outcome Execute(const AppContext& ctx, const store::WorkItem& item, const Desired& desired,
                  const std::optional<store::AccountLinkRow>& link, const Plan& plan,
                  std::vector<Step>* steps);
  Prepared Prepare(const store::WorkItem& item, ContextCache& contexts);
  // Group push (engine_groups.cpp): a group item read and planned.
  struct GroupState {
    std::optional<store::AccountLinkRow> link;
    bool assigned = false;
    std::string name;  // the portal group's displayName ("" when not read)
    DesiredGroup desired;
    GroupPlan plan;
  };
  Result<GroupState> LoadGroup(const AppContext& ctx, std::string_view group_id, bool full);
  // The dry-run report for the application's groups: {"groups","counts","changes"}.
  Result<boost::json::object> DryRunGroups(const AppContext& ctx, bool full);
  // Plans and carries out one group item.
  Outcome ReconcileGroup(const AppContext& ctx, const store::WorkItem& item,
                         std::vector<Step>* steps);
  // The group items a user item's outcome makes due: when the user's account appeared, went
  // or changed state, the pushed groups the user is a direct member of (all of the
  // application's pushed groups when the user is gone from the directory).
  std::vector<store::WorkKey> GroupsToMark(const AppContext& ctx, const store::WorkItem& item,
                                           const Prepared& prepared, const Outcome& outcome) const;
  // A leased batch: creates and updates of an application with a batch-capable connector go
  // through BatchConnector (engine_batch.cpp), everything else item by item. One outcome per
  // item; items left when the engine stops are kLeave.
  std::vector<Outcome> ProcessLeased(std::span<const store::WorkItem> items,
                                     ContextCache& contexts);
  // Carries out `indexes` (all kCreate/kUpdate of `ctx`) with the connector's batch call.
  void ExecuteBatch(const AppContext& ctx, std::span<const store::WorkItem> items,
                    std::span<const Prepared> prepared, std::span<const size_t> indexes,
                    std::vector<std::optional<Outcome>>& outcomes);
  // The account link an item's success leaves.
  store::AccountLinkRow LinkFor(const store::WorkItem& item, const Desired& desired,
                                const std::optional<store::AccountLinkRow>& link,
                                std::string target_id, std::string state) const;
  // Stores the outcomes of a batch (links, log, queue) in one transaction.
  void Record(std::span<const store::WorkItem> items, std::span<const Outcome> outcomes);
  Status RecordOne(store::Transaction& tx, const store::WorkItem& item, const Outcome& outcome,
                   TimePoint now);
  // Revokes what `granted` has and `selected` not, then grants what `selected` adds (both
  // sorted entitlement ids of the application).
  Status ReconcileEntitlements(const AppContext& ctx, const std::string& target_id,
                               const std::vector<std::string>& granted,
                               const std::vector<std::string>& selected);
  // `unanswered`: the target failed to answer (retryable, rate limited), for the quarantine.
  void CountOutcome(const std::string& app, bool ok, bool unanswered);
  // The application's limiter (one per application on this node), set to `limits`.
  std::shared_ptr<RateLimiter> LimiterFor(const std::string& application_id,
                                          const RateLimits& limits);
  // Quarantines an active application whose calls have nearly all failed for minutes.
  void QuarantineFailing(const std::string& application_id, TimePoint now);
  // At start: the leases a dead predecessor held (SQLite: every lease, one process owns the
  // database; PostgreSQL: those under this node's name) are handed back at once.
  void ReleaseDeadLeases();
  // Leader-only housekeeping (engine_ops.cpp): scheduled syncs and quarantine probes.
  void Housekeeping();

  store::Store& store_;
  directory::Directory& directory_;
  const security::SecretBox& secrets_;
  http::Client& http_;
  const Clock& clock_;
  EngineOptions options_;

  std::atomic<bool> running_{false};
  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  uint64_t wake_seq_ = 0;
  std::vector<std::thread> threads_;

  std::mutex ctx_mu_;
  std::map<std::string, std::shared_ptr<AppContext>, std::less<>> contexts_;
  std::map<std::string, std::pair<std::string, std::shared_ptr<connectors::Connector>>, std::less<>>
      connectors_;  // connection id -> (its updated stamp + config hash, connector)
  std::map<std::string, std::shared_ptr<RateLimiter>, std::less<>> limiters_;  // by application

  TimePoint last_schedule_check_{};
  QuarantineProbe probe_;

  struct Counters {
    int64_t succeeded = 0;
    int64_t failed = 0;
    int64_t in_flight = 0;
    std::vector<std::pair<TimePoint, bool>> recent;  // for the status API
    std::vector<TimePoint> deprovisions;             // for the deletion threshold
    FailureWatch watch;                              // most calls failing for minutes
  };
  std::mutex counters_mu_;
  // Per application, per manager's portal id: the reports pushed without her (counters_mu_).
  std::map<std::string, std::map<std::string, std::set<std::string>>> waiting_for_manager_;
  std::set<std::string> manager_checked_;  // applications looked up since the start; counters_mu_
  std::map<std::string, Counters, std::less<>> counters_;
};

}  // namespace provisio::provisioning
