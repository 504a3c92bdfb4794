#include "provisioning/sync_scan.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "mapping/mapping.h"
#include "mapping/scoping.h"

namespace provisio::provisioning {

Result<Desired> DesiredFor(const AppContext& ctx, boost::json::object user) {
  Desired d;
  std::string user_id;
  if (auto it = user.find("id"); it != user.end() && it->value().is_string()) {
    user_id = std::string(it->value().get_string());
  }
  bool assigned = ctx.assigned_users.count(user_id) > 0;
  std::set<std::string> selected;
  if (auto it = ctx.user_entitlements.find(user_id); it != ctx.user_entitlements.end()) {
    selected = it->second;
  }
  if (!ctx.assigned_groups.empty()) {
    if (auto g = user.find("groups"); g != user.end() && g->value().is_array()) {
      for (const auto& m : g->value().get_array()) {
        const auto* v = m.is_object() ? m.get_object().if_contains("value") : nullptr;
        if (!v || !v->is_string()) continue;
        std::string group_id(v->get_string());
        if (!ctx.assigned_groups.count(group_id)) continue;
        assigned = true;
        if (auto it = ctx.group_entitlements.find(group_id); it != ctx.group_entitlements.end()) {
          selected.insert(it->second.begin(), it->second.end());
        }
      }
    }
  }
  d.assigned = assigned;
  d.in_scope = assigned && (!ctx.scoping || mapping::InScope(*ctx.scoping, user));
  if (d.in_scope) {
    ASSIGN_OR_RETURN(d.object, mapping::Apply(*ctx.mappings, user, /*creating=*/false));
    d.entitlements.assign(selected.begin(), selected.end());
    d.hash = DesiredHash(d.object, d.entitlements);
  }
  d.user = std::move(user);
  return d;
}

Status PlanApplication(store::Store& store, const directory::Directory& directory,
                       const AppContext& ctx, bool full,
                       const std::function<Status(PairPlan&)>& visit, size_t page) {
  const std::string& app = ctx.app.id;
  auto plan_pair = [&](std::string user_id, Desired desired,
                       std::optional<store::AccountLinkRow> link) -> Status {
    if (!desired.assigned && !link) return Ok();  // neither assigned nor linked: not a pair
    PairPlan pair;
    pair.user_id = std::move(user_id);
    pair.plan = PlanAccount(desired, link, ctx.deprovision, full);
    pair.desired = std::move(desired);
    pair.link = std::move(link);
    return visit(pair);
  };
  std::string after;  // the pages cover (after, last id of the page]
  for (;;) {
    std::vector<store::UserRow> users;
    store::ScanSpec spec;
    spec.after_id = after;
    spec.page_size = page;
    RETURN_IF_ERROR(store.users().Scan(spec, [&](const store::UserRow& row) {
      users.push_back(row);
      return users.size() < page;
    }));
    if (users.empty()) break;
    const std::string& upto = users.back().id;
    // The page's groups and links, each with one query over the same id range (the store's
    // order, so no comparison here has to agree with it).
    ASSIGN_OR_RETURN(auto memberships, store.groups().GroupsOfUsers(nullptr, after, upto));
    std::map<std::string, std::vector<store::Membership>, std::less<>> groups_of;
    for (auto& [user_id, m] : memberships) groups_of[user_id].push_back(std::move(m));
    std::map<std::string, store::AccountLinkRow, std::less<>> links;
    RETURN_IF_ERROR(
        store.links().ScanRange(app, "user", after, upto, [&](const store::AccountLinkRow& l) {
          links.emplace(l.subject_id, l);
          return true;
        }));
    static const std::vector<store::Membership> kNone;
    for (const auto& row : users) {
      auto g = groups_of.find(row.id);
      ASSIGN_OR_RETURN(directory::Resource user,
                       directory.UserWithGroups(row, g == groups_of.end() ? kNone : g->second));
      ASSIGN_OR_RETURN(Desired desired, DesiredFor(ctx, std::move(user.body)));
      std::optional<store::AccountLinkRow> link;
      if (auto it = links.find(row.id); it != links.end()) {
        link = std::move(it->second);
        links.erase(it);
      }
      RETURN_IF_ERROR(plan_pair(row.id, std::move(desired), std::move(link)));
    }
    // Links in the range whose user is gone from the directory: out of scope.
    for (auto& [user_id, link] : links) {
      RETURN_IF_ERROR(plan_pair(user_id, Desired{}, std::move(link)));
    }
    after = upto;
    if (users.size() < page) break;
  }
  // Links after the last user: their users are gone too.
  Status st = Ok();
  RETURN_IF_ERROR(store.links().Scan(app, "user", after, [&](const store::AccountLinkRow& l) {
    st = plan_pair(l.subject_id, Desired{}, l);
    return st.ok();
  }));
  return st;
}

Result<ChangedPairs> EnqueueChangedPairs(store::Store& store, const directory::Directory& directory,
                                         const AppContext& ctx, TimePoint now, size_t page) {
  ChangedPairs out;
  std::vector<store::WorkKey> keys;
  auto flush = [&]() -> Status {
    if (keys.empty()) return Ok();
    ASSIGN_OR_RETURN(auto tx, store.Begin());
    ASSIGN_OR_RETURN(int64_t added, store.work().EnqueueAbsent(*tx, keys, "incremental", now));
    RETURN_IF_ERROR(tx->Commit());
    out.enqueued += added;
    keys.clear();
    return Ok();
  };
  RETURN_IF_ERROR(PlanApplication(
      store, directory, ctx, /*full=*/false,
      [&](PairPlan& pair) -> Status {
        ++out.pairs;
        if (pair.plan.action == Action::kNone) return Ok();
        keys.push_back({ctx.app.id, "user", pair.user_id});
        if (keys.size() >= page) return flush();
        return Ok();
      },
      page));
  RETURN_IF_ERROR(flush());
  return out;
}

}  // namespace provisio::provisioning
