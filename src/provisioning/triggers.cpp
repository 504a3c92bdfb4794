#include "provisioning/triggers.h"

#include <set>

#include "core/json.h"
#include "mapping/defaults.h"
#include "provisioning/group_triggers.h"

namespace provisio::provisioning {
namespace {

// Adds `id` (a user, or a group expanded to its users, nested groups included) to `users`.
Status Expand(store::Store& store, store::Transaction* tx, const std::string& id,
              std::set<std::string>& users, std::set<std::string>& seen_groups) {
  ASSIGN_OR_RETURN(auto group, store.groups().Get(tx, id));
  if (!group) {
    users.insert(id);  // a user, or one deleted since: either way the worker decides
    return Ok();
  }
  if (!seen_groups.insert(id).second) return Ok();
  std::vector<store::MemberRow> members;
  RETURN_IF_ERROR(store.groups().ListMembers(tx, id, "", [&](const store::MemberRow& m) {
    members.push_back(m);
    return true;
  }));
  for (const auto& m : members) {
    if (m.type == "Group") {
      RETURN_IF_ERROR(Expand(store, tx, m.member_id, users, seen_groups));
    } else {
      users.insert(m.member_id);
    }
  }
  return Ok();
}

void CollectIds(const boost::json::object& detail, std::string_view key,
                std::vector<std::string>& out) {
  auto it = detail.find(key);
  if (it == detail.end() || !it->value().is_array()) return;
  for (const auto& v : it->value().get_array()) {
    if (v.is_string()) out.emplace_back(v.get_string());
  }
}

Status SetState(store::Store& store, store::Transaction& tx, std::string_view application_id,
                std::string_view state, std::string_view reason, TimePoint now) {
  ASSIGN_OR_RETURN(auto app, store.applications().Get(&tx, application_id));
  if (!app) return Ok();
  if (app->state == "draft") return Ok();
  app->state = state;
  app->updated = now;
  RETURN_IF_ERROR(store.applications().Update(tx, *app));
  return store.PutSetting(tx, "application_state_reason:" + std::string(application_id), reason);
}

}  // namespace

Result<std::vector<store::WorkKey>> KeysForChanges(
    store::Store& store, const std::vector<store::ChangeEvent>& events,
    const std::vector<std::string>& application_ids) {
  std::set<std::string> users;
  std::set<std::string> seen_groups;
  for (const auto& e : events) {
    if (e.resource_type == "User") {
      users.insert(e.resource_id);
      continue;
    }
    if (e.resource_type != "Group") continue;
    auto detail = json::Parse(e.detail);
    if (!detail.ok() || !detail->is_object()) continue;
    std::vector<std::string> ids;
    CollectIds(detail->get_object(), "added", ids);
    CollectIds(detail->get_object(), "removed", ids);
    for (const auto& id : ids) RETURN_IF_ERROR(Expand(store, nullptr, id, users, seen_groups));
  }
  std::vector<store::WorkKey> keys;
  keys.reserve(users.size() * application_ids.size());
  for (const auto& app : application_ids) {
    for (const auto& u : users) keys.push_back({app, "user", u});
  }
  return keys;
}

Status MarkAssignmentDirty(store::Store& store, store::Transaction& tx,
                           std::string_view application_id, std::string_view principal_type,
                           std::string_view principal_id, TimePoint now) {
  std::set<std::string> users, seen;
  if (principal_type == "group") {
    RETURN_IF_ERROR(Expand(store, &tx, std::string(principal_id), users, seen));
  } else {
    users.insert(std::string(principal_id));
  }
  std::vector<store::WorkKey> keys;
  for (const auto& u : users) keys.push_back({std::string(application_id), "user", u});
  // The group itself, for group push (the worker drops it when the application does not push).
  if (principal_type == "group") {
    keys.push_back({std::string(application_id), "group", std::string(principal_id)});
  }
  if (keys.empty()) return Ok();
  return store.work().Enqueue(tx, keys, "incremental", now);
}

Result<std::vector<std::string>> AssignedUsers(store::Store& store, store::Transaction* tx,
                                               std::string_view application_id) {
  ASSIGN_OR_RETURN(auto assignments, store.assignments().List(tx, application_id));
  std::set<std::string> users, seen;
  for (const auto& a : assignments) {
    if (a.principal_type == "group") {
      RETURN_IF_ERROR(Expand(store, tx, a.principal_id, users, seen));
    } else {
      users.insert(a.principal_id);
    }
  }
  return std::vector<std::string>(users.begin(), users.end());
}

Result<int64_t> MarkApplicationDirty(store::Store& store, store::Transaction& tx,
                                     std::string_view application_id, std::string_view mode,
                                     TimePoint now) {
  ASSIGN_OR_RETURN(std::vector<std::string> assigned, AssignedUsers(store, &tx, application_id));
  std::set<std::string> users(assigned.begin(), assigned.end());
  RETURN_IF_ERROR(
      store.links().Scan(application_id, "user", "", [&](const store::AccountLinkRow& l) {
        if (l.state != "deleted") users.insert(l.subject_id);
        return true;
      }));
  std::vector<store::WorkKey> keys;
  keys.reserve(users.size());
  for (const auto& u : users) keys.push_back({std::string(application_id), "user", u});
  if (!keys.empty()) RETURN_IF_ERROR(store.work().Enqueue(tx, keys, mode, now));
  ASSIGN_OR_RETURN(int64_t groups, MarkGroupsDirty(store, tx, application_id, mode, now));
  return static_cast<int64_t>(keys.size()) + groups;
}

Status PauseApplication(store::Store& store, std::string_view application_id,
                        std::string_view reason, TimePoint now) {
  ASSIGN_OR_RETURN(auto tx, store.Begin());
  RETURN_IF_ERROR(SetState(store, *tx, application_id, "paused", reason, now));
  return tx->Commit();
}

Status QuarantineApplication(store::Store& store, store::Transaction& tx,
                             std::string_view application_id, std::string_view reason,
                             TimePoint now) {
  return SetState(store, tx, application_id, "quarantined", reason, now);
}

Result<std::string> StateReason(store::Store& store, std::string_view application_id) {
  ASSIGN_OR_RETURN(auto v,
                   store.GetSetting("application_state_reason:" + std::string(application_id)));
  return v.value_or("");
}

Result<mapping::CompiledMappings> CompileAppMappings(const store::ApplicationRow& app) {
  std::vector<mapping::AttributeMapping> list;
  auto parsed = json::Parse(app.mappings.empty() ? "[]" : app.mappings);
  if (parsed.ok() && parsed->is_array()) {
    for (const auto& m : parsed->get_array()) {
      if (!m.is_object()) continue;
      const auto& o = m.get_object();
      mapping::AttributeMapping am;
      am.target = std::string(json::GetString(o, "target").value_or(""));
      am.expression = std::string(json::GetString(o, "source").value_or(""));
      if (json::GetString(o, "strength").value_or("normal") == "weak") {
        am.apply = mapping::AttributeMapping::Apply::kOnCreateOnly;
      }
      list.push_back(std::move(am));
    }
  }
  if (list.empty()) {
    if (app.template_id == "salesforce") {
      list = mapping::DefaultSalesforceMappings();
    } else if (app.template_id == "google-workspace") {
      list = mapping::DefaultGoogleMappings();
    } else {
      list = mapping::DefaultScimMappings();
    }
  }
  return mapping::Compile(list);
}

}  // namespace provisio::provisioning
