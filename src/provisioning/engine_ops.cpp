// The engine's operational side: per-application rate limiters, scheduled syncs and the
// probes that lift a quarantine when the target recovers. The last two run on the node that
// holds the change feed lock, so one node does them.
#include <spdlog/spdlog.h>

#include "core/json.h"
#include "provisioning/engine.h"
#include "provisioning/scheduled_syncs.h"
#include "provisioning/throttled_connector.h"
#include "provisioning/triggers.h"

namespace provisio::provisioning {

std::shared_ptr<RateLimiter> Engine::LimiterFor(const std::string& application_id,
                                                const RateLimits& limits) {
  std::lock_guard lock(ctx_mu_);
  auto& limiter = limiters_[application_id];
  if (!limiter) {
    limiter = std::make_shared<RateLimiter>(clock_, limits);
  } else if (limiter->limits() != limits) {
    limiter->Configure(limits);  // kept across settings changes: what was spent stays spent
  }
  return limiter;
}

Result<std::shared_ptr<connectors::Connector>> Engine::ImportConnectorFor(
    const store::ApplicationRow& app, const store::ConnectionRow& connection,
    std::chrono::microseconds max_wait) {
  ASSIGN_OR_RETURN(auto raw, ConnectorFor(connection));
  auto settings = json::Parse(app.settings.empty() ? "{}" : app.settings);
  RateLimits limits;
  if (settings.ok() && settings->is_object()) limits = ParseRateLimits(settings->as_object());
  auto limiter = LimiterFor(app.id, limits);
  return std::shared_ptr<connectors::Connector>(
      std::make_shared<ThrottledConnector>(std::move(raw), std::move(limiter), clock_, max_wait));
}

void Engine::ReleaseDeadLeases() {
  std::string owner = store_.backend() == "sqlite" ? "" : options_.node_id;
  auto released = [&]() -> Result<int64_t> {
    ASSIGN_OR_RETURN(auto tx, store_.Begin());
    ASSIGN_OR_RETURN(int64_t n, store_.work().ReleaseLeases(*tx, owner));
    RETURN_IF_ERROR(tx->Commit());
    return n;
  }();
  if (!released.ok()) {
    spdlog::warn("provisioning: releasing old leases: {}", released.error().ToString());
  } else if (*released > 0) {
    spdlog::info("provisioning: {} items leased by a stopped process are ready again", *released);
  }
}

void Engine::QuarantineFailing(const std::string& application_id, TimePoint now) {
  auto st = [&]() -> Status {
    ASSIGN_OR_RETURN(auto tx, store_.Begin());
    ASSIGN_OR_RETURN(auto app, store_.applications().Get(tx.get(), application_id));
    if (!app || app->state != "active") return Ok();  // paused, quarantined or gone meanwhile
    RETURN_IF_ERROR(QuarantineApplication(
        store_, *tx, application_id,
        "most calls to the target failed for several minutes; lifted when it answers again", now));
    return tx->Commit();
  }();
  if (!st.ok())
    spdlog::warn("provisioning: quarantine of {}: {}", application_id, st.error().ToString());
}

void Engine::Housekeeping() {
  TimePoint now = clock_.Now();
  if (now - last_schedule_check_ >= options_.schedule_poll) {
    last_schedule_check_ = now;
    auto due =
        RunDueSyncs(store_, now, [this](const std::string& application_id) -> Result<int64_t> {
          ASSIGN_OR_RETURN(auto report, Sync(application_id, SyncOptions{.full = true}));
          return json::GetInt(report, "enqueued").value_or(0);
        });
    if (!due.ok()) {
      spdlog::warn("provisioning: scheduled syncs: {}", due.error().ToString());
    } else if (!due->empty()) {
      for (const auto& s : *due) {
        spdlog::info("provisioning: scheduled full sync of {}: {} queued", s.application_id,
                     s.enqueued);
      }
      Wake();
    }
  }
  // The probe: one page of one account through the application's own connection, outside its
  // rate limit (a single call at growing intervals).
  auto lifted = probe_.Run(
      [this](const store::ApplicationRow& app) -> Status {
        if (!app.connection_id) return Error(Code::kConflict, "no connection");
        ASSIGN_OR_RETURN(auto connection, store_.connections().Get(nullptr, *app.connection_id));
        if (!connection) return Error(Code::kConflict, "the connection is gone");
        ASSIGN_OR_RETURN(auto connector, ConnectorFor(*connection));
        ASSIGN_OR_RETURN(auto page, connector->ListUsers({.cursor = "", .page_size = 1}));
        (void)page;
        return Ok();
      },
      options_.node_id);
  if (!lifted.ok()) {
    spdlog::warn("provisioning: quarantine probes: {}", lifted.error().ToString());
  } else if (!lifted->empty()) {
    Wake();
  }
}

}  // namespace provisio::provisioning
