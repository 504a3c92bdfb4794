// The import engine: runs import runs on its own thread. A run reads pages from the
// application's connector, maps each record to a portal user, matches it (policy.h,
// matching.h), then creates, updates or links it through the directory, so imported writes
// reach the change feed like any other. Each page commits in one transaction together with
// the run's cursor, so a run cut short by a crash resumes from its last committed page.
// Dry runs plan and count and write nothing but the run record.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "connectors/connector.h"
#include "core/clock.h"
#include "core/result.h"
#include "directory/directory.h"
#include "store/store.h"

namespace provisio::importsync {

struct ImporterOptions {
  size_t page_size = 500;                           // records asked for per page (and per commit)
  size_t group_page_size = 50;                      // groups per page (their member lists are long)
  size_t max_errors = 100;                          // per-record errors kept on a run
  std::chrono::milliseconds idle_poll{1000};        // how often the worker looks for queued runs
  std::chrono::milliseconds schedule_poll{30'000};  // how often schedules are checked
  // A page read that fails with a transient error (5xx, a timeout) is tried this often in all;
  // one the source refuses for its rate limit (429, Google's rateLimitExceeded) is tried again
  // without using up attempts, for as long as `rate_limited_patience`. Between tries the run
  // waits the source's Retry-After, else connectors::Backoff from retry_base up to retry_cap.
  int page_attempts = 5;
  std::chrono::milliseconds retry_base{500};
  std::chrono::milliseconds retry_cap{32'000};
  std::chrono::milliseconds rate_limited_patience{15 * 60'000};
};

// Opens the connector an application's import reads through (Engine::ImportConnectorFor in
// production, which spends the application's rate limit).
using ConnectorOpener = std::function<Result<std::shared_ptr<connectors::Connector>>(
    const store::ApplicationRow&, const store::ConnectionRow&)>;

class Importer {
 public:
  Importer(store::Store& store, directory::Directory& directory, ConnectorOpener open,
           const Clock& clock, ImporterOptions options = {});
  ~Importer();
  Importer(const Importer&) = delete;

  void Start();  // resumes running runs, then takes queued ones
  void Stop();   // the current run stops after its page and resumes at the next Start

  // Validates the request ({"dry_run","mode":"full"|"incremental","matching","unmatched",
  // "gone","groups","deletion_threshold"}) and queues a run. kConflict when the application
  // already has a run queued or running; kInvalidArgument when it cannot import.
  Result<store::ImportRunRow> Enqueue(std::string_view application_id,
                                      const boost::json::object& request);
  // Runs (or resumes) one run to its end on the calling thread.
  Status Execute(std::string_view run_id);
  void Wake();

 private:
  struct Run;
  void Loop();
  void CheckSchedules();
  Status RunUsers(Run& r);
  Status RunManagers(Run& r);
  // The portal user the source's manager reference `ref` is linked to ("" when none is).
  Result<std::string> ManagerOf(const Run& r, const std::string& ref);
  Status RunGone(Run& r);
  Status RunGroups(Run& r);
  Status RunEntitlements(Run& r);
  Status Save(Run& r, store::Transaction& tx);
  Status Fail(Run& r, const Error& e);
  // Reads one page through `read` with the retries ImporterOptions describes.
  template <typename Read>
  auto ReadPage(const Run& r, Read&& read) -> decltype(read());
  // Sleeps `d`, or less when the importer stops: then false.
  bool Pause(std::chrono::milliseconds d);

  store::Store& store_;
  directory::Directory& directory_;
  ConnectorOpener open_;
  const Clock& clock_;
  ImporterOptions options_;

  std::atomic<bool> running_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  std::thread thread_;
  TimePoint last_schedule_check_{};
};

}  // namespace provisio::importsync
