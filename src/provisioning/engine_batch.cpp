// The engine's leased batches: when several creates, updates, disables or deletes of one
// application are ready and its connector has a batch call (SCIM /Bulk, Salesforce sObject
// Collections), they go out together (disables and deletes where the connector declares
// batch_deprovision); everything else, and whatever a batch cannot settle, goes item by item
// through Execute. The crash-safety rules are Execute's: a create is only asked for after the
// lookup by the matching attribute found nothing, and every item's result is recorded on its own.
#include <boost/json.hpp>
#include <map>

#include "connectors/error_class.h"
#include "core/json.h"
#include "mapping/mapping.h"
#include "provisioning/engine.h"

namespace provisio::provisioning {

std::vector<Engine::Outcome> Engine::ProcessLeased(std::span<const store::WorkItem> items,
                                                   ContextCache& contexts) {
  std::vector<Prepared> prepared;
  prepared.reserve(items.size());
  std::vector<std::optional<Outcome>> outcomes(items.size());
  std::map<std::string, std::vector<size_t>> batchable;  // application -> item indexes
  for (size_t i = 0; i < items.size(); ++i) {
    prepared.push_back(Prepare(items[i], contexts));
    Prepared& p = prepared.back();
    if (p.done) {
      outcomes[i] = std::move(*p.done);
    } else if (options_.min_connector_batch > 0 &&
               (p.plan.action == Action::kCreate ||
                // a disabled account coming back is read first: Execute does that
                (p.plan.action == Action::kUpdate && p.link->state != "disabled") ||
                ((p.plan.action == Action::kDisable || p.plan.action == Action::kDelete) &&
                 p.ctx->connector->capabilities().batch_deprovision))) {
      batchable[items[i].key.application_id].push_back(i);
    }
  }
  for (const auto& [app, indexes] : batchable) {
    const AppContext& ctx = *prepared[indexes.front()].ctx;
    if (indexes.size() < options_.min_connector_batch || !running_) continue;
    if (!ctx.connector->capabilities().batch || ctx.connector->batch() == nullptr) continue;
    ExecuteBatch(ctx, items, prepared, indexes, outcomes);
  }
  // Users first, then groups (a group's members are the users with accounts).
  for (bool groups : {false, true}) {
    for (size_t i = 0; i < items.size(); ++i) {
      const Prepared& p = prepared[i];
      if (outcomes[i] || p.group != groups) continue;
      if (!running_) {
        // Stopping: touch nothing; the lease lapses and another worker or node takes it.
        outcomes[i].emplace().disposition = Outcome::Disposition::kLeave;
      } else if (p.group) {
        outcomes[i] = ReconcileGroup(*p.ctx, items[i], nullptr);
      } else {
        outcomes[i] = Execute(*p.ctx, items[i], p.desired, p.link, p.plan, nullptr);
      }
    }
  }
  std::vector<Outcome> out;
  out.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const Prepared& p = prepared[i];
    if (p.ctx && !p.group && !p.done) {
      Outcome& o = *outcomes[i];
      o.mark = GroupsToMark(*p.ctx, items[i], p, o);
      o.manager_moved = p.ctx->manager && o.ok && o.link &&
                        ManagerIdentityChanged(*p.ctx->manager, p.link, *o.link);
    }
    out.push_back(std::move(*outcomes[i]));
  }
  return out;
}

void Engine::ExecuteBatch(const AppContext& ctx, std::span<const store::WorkItem> items,
                          std::span<const Prepared> prepared, std::span<const size_t> indexes,
                          std::vector<std::optional<Outcome>>& outcomes) {
  connectors::Connector& target = *ctx.connector;
  auto started = std::chrono::steady_clock::now();
  connectors::BatchConnector& batch = *target.batch();
  // Look up every create first, as Execute does, but in few requests.
  std::vector<std::string> values;
  std::vector<size_t> looked_up;
  for (size_t i : indexes) {
    if (prepared[i].plan.action != Action::kCreate) continue;
    if (auto value = MatchingValue(prepared[i].desired.object, ctx.matching_attribute)) {
      values.push_back(std::move(*value));
      looked_up.push_back(i);
    }
  }
  std::map<size_t, Result<std::optional<connectors::Account>>> lookups;
  if (!values.empty()) {
    auto found = batch.FindUsers(ctx.matching_attribute, values);
    for (size_t k = 0; k < looked_up.size() && k < found.size(); ++k) {
      lookups.emplace(looked_up[k], std::move(found[k]));
    }
  }
  std::vector<connectors::BatchWrite> writes;
  std::vector<size_t> item_of;
  for (size_t i : indexes) {
    const Prepared& p = prepared[i];
    connectors::BatchWrite w;
    if (p.plan.action == Action::kCreate) {
      // Found (to be linked) or a failed lookup: left to Execute, which looks up again and
      // links or reports. An item without a matching value is created without lookup, as
      // Execute does.
      if (auto it = lookups.find(i); it != lookups.end()) {
        if (!it->second.ok() || it->second->has_value()) continue;
      } else if (MatchingValue(p.desired.object, ctx.matching_attribute)) {
        continue;  // the connector answered no result for it
      }
      auto on_create = mapping::Apply(*ctx.mappings, p.desired.user, /*creating=*/true);
      if (!on_create.ok()) continue;  // Execute reports the mapping error
      if (ctx.manager) TakeManagerFrom(*ctx.manager, p.desired.object, *on_create);
      w.kind = connectors::BatchWrite::Kind::kCreate;
      w.desired = std::move(on_create).value();
    } else if (p.plan.action == Action::kDisable || p.plan.action == Action::kDelete) {
      w.kind = p.plan.action == Action::kDisable ? connectors::BatchWrite::Kind::kDisable
                                                 : connectors::BatchWrite::Kind::kDelete;
      w.id = p.link->target_id;
    } else {
      w.kind = connectors::BatchWrite::Kind::kUpdate;
      w.id = p.link->target_id;
      w.current = SplitPushed(p.link->desired).object;
      w.desired = ToSend(ctx.manager, p.desired, w.current);
    }
    writes.push_back(std::move(w));
    item_of.push_back(i);
  }
  if (writes.empty()) return;
  auto results = batch.ApplyBatch(writes);
  int64_t elapsed_us = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  std::string detail = R"({"batch":)" + std::to_string(writes.size()) + "}";
  for (size_t k = 0; k < writes.size() && k < results.size(); ++k) {
    size_t i = item_of[k];
    const Prepared& p = prepared[i];
    bool creating = writes[k].kind == connectors::BatchWrite::Kind::kCreate;
    auto& result = results[k];
    if (writes[k].kind == connectors::BatchWrite::Kind::kDisable ||
        writes[k].kind == connectors::BatchWrite::Kind::kDelete) {
      bool disabling = writes[k].kind == connectors::BatchWrite::Kind::kDisable;
      auto cls = result.ok() ? connectors::ErrorClass::kFatal : connectors::ClassOf(result.error());
      if (!result.ok() && cls == connectors::ErrorClass::kStale) continue;  // Execute re-reads
      Outcome out;
      out.action = disabling ? "disable" : "delete";
      out.duration_us = elapsed_us;
      out.detail = detail;
      out.target_id = writes[k].id;
      if (result.ok() || cls == connectors::ErrorClass::kNotFound) {
        // An account already gone is what a delete wants, and as good as disabled (as in
        // Execute).
        out.link = LinkFor(items[i], p.desired, p.link, writes[k].id,
                           result.ok() && disabling ? "disabled" : "deleted");
      } else {
        out.ok = false;
        out.error = std::move(result).error();
      }
      outcomes[i] = std::move(out);
      continue;
    }
    if (!result.ok()) {
      auto cls = connectors::ClassOf(result.error());
      // A stale version (re-read and retry), an account gone from the target (create it
      // again) or one that appeared since the lookup (find and link it): Execute knows how,
      // item by item.
      if (cls == connectors::ErrorClass::kStale ||
          (!creating && cls == connectors::ErrorClass::kNotFound) ||
          (creating && cls == connectors::ErrorClass::kConflict)) {
        continue;
      }
    }
    Outcome out;
    out.action = creating ? "create" : "update";
    out.duration_us = elapsed_us;
    out.detail = detail;
    if (result.ok()) {
      std::vector<std::string> granted;
      if (!creating) granted = SplitPushed(p.link->desired).entitlements;
      if (auto st = ReconcileEntitlements(ctx, result->id, granted, p.desired.entitlements);
          !st.ok()) {
        out.ok = false;
        out.error = st.error();
        out.target_id = result->id;
      } else {
        out.link = LinkFor(items[i], p.desired, p.link, result->id, "active");
        out.target_id = result->id;
      }
    } else {
      out.ok = false;
      out.error = std::move(result).error();
      out.target_id = creating ? "" : writes[k].id;
    }
    outcomes[i] = std::move(out);
  }
}

}  // namespace provisio::provisioning
