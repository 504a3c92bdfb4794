#include "provisioning/scheduled_syncs.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "core/json.h"
#include "core/schedule.h"

namespace provisio::provisioning {
namespace {

std::string Key(std::string_view application_id) {
  return "provisioning_sync_last:" + std::string(application_id);
}

bool HasProvisioning(const store::ApplicationRow& app) {
  auto caps = json::Parse(app.capabilities.empty() ? "[]" : app.capabilities);
  if (!caps.ok() || !caps->is_array()) return false;
  for (const auto& c : caps->get_array()) {
    if (c.is_string() && c.get_string() == "provisioning") return true;
  }
  return false;
}

}  // namespace

Result<std::optional<TimePoint>> LastScheduledSync(store::Store& store,
                                                   std::string_view application_id) {
  ASSIGN_OR_RETURN(auto v, store.GetSetting(Key(application_id)));
  if (!v) return std::optional<TimePoint>();
  int64_t us = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), us);
  if (ec != std::errc() || p != v->data() + v->size()) return std::optional<TimePoint>();
  return std::optional<TimePoint>(FromMicros(us));
}

Result<std::vector<ScheduledSync>> RunDueSyncs(store::Store& store, TimePoint now,
                                               const RunSync& sync) {
  std::vector<ScheduledSync> done;
  ASSIGN_OR_RETURN(auto apps, store.applications().List(nullptr));
  for (const auto& app : apps) {
    if (app.state != "active" || !app.connection_id || !HasProvisioning(app)) continue;
    auto settings = json::Parse(app.settings.empty() ? "{}" : app.settings);
    if (!settings.ok() || !settings->is_object()) continue;
    auto interval = ParseScheduleInterval(
        json::GetString(settings->get_object(), "sync_schedule").value_or("manual"));
    if (!interval) continue;
    ASSIGN_OR_RETURN(auto last, LastScheduledSync(store, app.id));
    bool due = last && *last + *interval <= now;
    if (last && !due) continue;
    std::optional<int64_t> queued;  // set when the sync ran
    if (due) {
      auto ran = sync(app.id);
      if (!ran.ok()) {
        spdlog::warn("provisioning: scheduled full sync of {}: {}", app.id, ran.error().ToString());
      } else {
        queued = *ran;
      }
    }
    ASSIGN_OR_RETURN(auto tx, store.Begin());
    RETURN_IF_ERROR(store.PutSetting(*tx, Key(app.id), std::to_string(ToMicros(now))));
    RETURN_IF_ERROR(tx->Commit());
    if (queued) done.push_back({app.id, *queued});
  }
  return done;
}

}  // namespace provisio::provisioning
