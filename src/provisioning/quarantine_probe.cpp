#include "provisioning/quarantine_probe.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "provisioning/triggers.h"

namespace provisio::provisioning {

QuarantineProbe::QuarantineProbe(store::Store& store, const Clock& clock,
                                 std::chrono::milliseconds first, std::chrono::milliseconds max)
    : store_(store), clock_(clock), first_(first), max_(std::max(first, max)) {}

std::optional<TimePoint> QuarantineProbe::NextProbe(std::string_view application_id) const {
  std::lock_guard lock(mu_);
  auto it = turns_.find(application_id);
  if (it == turns_.end()) return std::nullopt;
  return it->second.next;
}

Result<std::vector<std::string>> QuarantineProbe::Run(const Probe& probe, std::string_view node) {
  ASSIGN_OR_RETURN(auto apps, store_.applications().List(nullptr));
  std::vector<const store::ApplicationRow*> due;
  TimePoint now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    std::map<std::string, Turn, std::less<>> kept;
    for (const auto& app : apps) {
      if (app.state != "quarantined") continue;  // lifted (by us or an admin), or gone
      auto it = turns_.find(app.id);
      Turn turn = it != turns_.end() ? it->second : Turn{now + first_, first_};
      if (turn.next <= now) due.push_back(&app);
      kept.emplace(app.id, turn);
    }
    turns_ = std::move(kept);
  }
  std::vector<std::string> lifted;
  for (const store::ApplicationRow* app : due) {
    Status answer = probe(*app);
    if (answer.ok()) {
      RETURN_IF_ERROR(Lift(*app, node));
      lifted.push_back(app->id);
      std::lock_guard lock(mu_);
      turns_.erase(app->id);
      continue;
    }
    std::lock_guard lock(mu_);
    Turn& turn = turns_[app->id];
    turn.interval = std::min(turn.interval * 2, max_);
    turn.next = clock_.Now() + turn.interval;
    spdlog::info("provisioning: {} still failing its probe ({}); next probe in {} s", app->name,
                 answer.error().message(),
                 std::chrono::duration_cast<std::chrono::seconds>(turn.interval).count());
  }
  return lifted;
}

Status QuarantineProbe::Lift(const store::ApplicationRow& app, std::string_view node) {
  TimePoint now = clock_.Now();
  ASSIGN_OR_RETURN(std::string reason, StateReason(store_, app.id));
  ASSIGN_OR_RETURN(auto tx, store_.Begin());
  ASSIGN_OR_RETURN(auto current, store_.applications().Get(tx.get(), app.id));
  if (!current || current->state != "quarantined") return Ok();  // changed meanwhile
  current->state = "active";
  current->updated = now;
  RETURN_IF_ERROR(store_.applications().Update(*tx, *current));
  RETURN_IF_ERROR(store_.PutSetting(*tx, "application_state_reason:" + app.id, ""));
  store::ProvisioningLogEntry entry;
  entry.at = now;
  entry.application_id = app.id;
  entry.subject_type = "application";
  entry.subject_id = app.id;
  entry.action = "resume";
  entry.status = "success";
  entry.detail = boost::json::serialize(boost::json::object{
      {"reason", "the target answered a probe: quarantine lifted automatically"},
      {"quarantine_reason", reason}});
  entry.node = std::string(node);
  RETURN_IF_ERROR(store_.provisioning_log().Append(*tx, entry));
  RETURN_IF_ERROR(tx->Commit());
  spdlog::info("provisioning: {} answered its probe; quarantine lifted", app.name);
  return Ok();
}

}  // namespace provisio::provisioning
