#include "provisioning/group_triggers.h"

#include <set>

namespace provisio::provisioning {

Result<std::vector<store::WorkKey>> GroupKeysForChanges(
    store::Store& store, const std::vector<store::ChangeEvent>& events,
    const std::vector<std::string>& application_ids) {
  std::set<std::string> groups;
  for (const auto& e : events) {
    if (e.resource_type == "Group") groups.insert(e.resource_id);
  }
  std::vector<store::WorkKey> keys;
  if (groups.empty()) return keys;
  for (const auto& app : application_ids) {
    ASSIGN_OR_RETURN(auto assignments, store.assignments().List(nullptr, app));
    std::set<std::string> assigned;
    for (const auto& a : assignments) {
      if (a.principal_type == "group") assigned.insert(a.principal_id);
    }
    for (const auto& g : groups) {
      bool due = assigned.contains(g);
      if (!due) {
        ASSIGN_OR_RETURN(auto link, store.links().Get(nullptr, app, "group", g));
        due = link && link->state != "deleted";
      }
      if (due) keys.push_back({app, "group", g});
    }
  }
  return keys;
}

Result<int64_t> MarkGroupsDirty(store::Store& store, store::Transaction& tx,
                                std::string_view application_id, std::string_view mode,
                                TimePoint now) {
  ASSIGN_OR_RETURN(auto assignments, store.assignments().List(&tx, application_id));
  std::set<std::string> groups;
  for (const auto& a : assignments) {
    if (a.principal_type == "group") groups.insert(a.principal_id);
  }
  RETURN_IF_ERROR(
      store.links().Scan(application_id, "group", "", [&](const store::AccountLinkRow& l) {
        if (l.state != "deleted") groups.insert(l.subject_id);
        return true;
      }));
  std::vector<store::WorkKey> keys;
  for (const auto& g : groups) keys.push_back({std::string(application_id), "group", g});
  if (!keys.empty()) RETURN_IF_ERROR(store.work().Enqueue(tx, keys, mode, now));
  return static_cast<int64_t>(keys.size());
}

}  // namespace provisio::provisioning
