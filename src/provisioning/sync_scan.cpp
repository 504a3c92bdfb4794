#include "provisioning/sync_scan.h"

#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "connectors/connector.h"
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
  // One page: up to `page` users after `after`, with their groups and the links in the same
  // id range, each read with one query over that range (the store's order, so no comparison
  // here has to agree with it).
  struct PageRead {
    std::vector<store::UserRow> users;
    std::map<std::string, std::vector<store::Membership>, std::less<>> groups_of;
    std::map<std::string, store::AccountLinkRow, std::less<>> links;
  };
  auto read_page = [&store, &app, page](std::string after) -> Result<PageRead> {
    PageRead r;
    store::ScanSpec spec;
    spec.after_id = after;
    spec.page_size = page;
    RETURN_IF_ERROR(store.users().Scan(spec, [&](const store::UserRow& row) {
      r.users.push_back(row);
      return r.users.size() < page;
    }));
    if (r.users.empty()) return r;
    const std::string& upto = r.users.back().id;
    ASSIGN_OR_RETURN(auto memberships, store.groups().GroupsOfUsers(nullptr, after, upto));
    for (auto& [user_id, m] : memberships) r.groups_of[user_id].push_back(std::move(m));
    RETURN_IF_ERROR(
        store.links().ScanRange(app, "user", after, upto, [&](const store::AccountLinkRow& l) {
          r.links.emplace(l.subject_id, l);
          return true;
        }));
    return r;
  };
  std::string after;  // the pages cover (after, last id of the page]
  // The next page is read while this one is planned (two pages in memory at most).
  auto next = std::async(std::launch::async, read_page, after);
  for (;;) {
    ASSIGN_OR_RETURN(PageRead current, next.get());
    if (current.users.empty()) break;
    const bool last = current.users.size() < page;
    const std::string upto = current.users.back().id;
    if (!last) next = std::async(std::launch::async, read_page, upto);
    static const std::vector<store::Membership> kNone;
    for (const auto& row : current.users) {
      auto g = current.groups_of.find(row.id);
      ASSIGN_OR_RETURN(
          directory::Resource user,
          directory.UserWithGroups(row, g == current.groups_of.end() ? kNone : g->second));
      ASSIGN_OR_RETURN(Desired desired, DesiredFor(ctx, std::move(user.body)));
      std::optional<store::AccountLinkRow> link;
      if (auto it = current.links.find(row.id); it != current.links.end()) {
        link = std::move(it->second);
        current.links.erase(it);
      }
      RETURN_IF_ERROR(plan_pair(row.id, std::move(desired), std::move(link)));
    }
    // Links in the range whose user is gone from the directory: out of scope.
    for (auto& [user_id, link] : current.links) {
      RETURN_IF_ERROR(plan_pair(user_id, Desired{}, std::move(link)));
    }
    after = upto;
    if (last) break;
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

Result<FullSync> EnqueueFullSync(store::Store& store, const directory::Directory& directory,
                                 const AppContext& ctx, TimePoint now, size_t page) {
  FullSync out;
  std::vector<store::WorkKey> keys;
  auto flush = [&](bool all) -> Status {
    if (keys.empty() || (!all && keys.size() < page)) return Ok();
    ASSIGN_OR_RETURN(auto tx, store.Begin());
    RETURN_IF_ERROR(store.work().Enqueue(*tx, keys, "full", now));
    RETURN_IF_ERROR(tx->Commit());
    out.enqueued += static_cast<int64_t>(keys.size());
    keys.clear();
    return Ok();
  };
  auto mark = [&](const std::string& user_id) -> Status {
    keys.push_back({ctx.app.id, "user", user_id});
    return flush(false);
  };
  // The accounts that look unchanged: target id -> the user, what was pushed, and whether the
  // user has no manager (so one the target names is drift: ToSend clears it).
  struct Unchanged {
    std::string user_id;
    std::string pushed;
    bool no_manager = false;
  };
  std::map<std::string, Unchanged, std::less<>> check;
  RETURN_IF_ERROR(PlanApplication(
      store, directory, ctx, /*full=*/false,
      [&](PairPlan& pair) -> Status {
        ++out.pairs;
        if (pair.plan.action != Action::kNone) return mark(pair.user_id);
        if (pair.desired.in_scope && pair.link && pair.link->state == "active" &&
            !pair.link->target_id.empty()) {
          bool no_manager = ctx.manager && !pair.desired.hash.ends_with(kManagerPending) &&
                            ManagerIn(*ctx.manager, pair.desired.object).empty();
          check.emplace(
              std::move(pair.link->target_id),
              Unchanged{std::move(pair.user_id), std::move(pair.link->desired), no_manager});
        }
        return Ok();
      },
      page));
  connectors::Connector* target = ctx.connector.get();
  if (target && target->capabilities().list_users && !check.empty()) {
    out.listing = true;
    connectors::PageRequest request;
    request.page_size = std::max<size_t>(1, target->capabilities().max_page_size);
    for (;;) {
      auto listed = target->ListUsers(request);
      if (!listed.ok()) {
        // Every account not checked yet is read by its worker instead.
        out.listing_error = listed.error().ToString();
        break;
      }
      for (const auto& account : listed->items) {
        ++out.listed;
        auto it = check.find(account.id);
        if (it == check.end()) continue;  // not an account of ours, or one queued already
        Desired pushed;
        pushed.object = SplitPushed(it->second.pushed).object;
        if (!AccountAgrees(it->second.no_manager ? ToSend(ctx.manager, pushed, account.attributes)
                                                 : pushed.object,
                           account.attributes)) {
          ++out.drifted;
          RETURN_IF_ERROR(mark(it->second.user_id));
        }
        check.erase(it);
      }
      // Every account checked: the rest of the listing holds none of ours.
      if (check.empty() || listed->next_cursor.empty() || listed->items.empty()) break;
      request.cursor = listed->next_cursor;
    }
  }
  // Not listed (gone from the target, or not checked): each read by its worker.
  if (out.listing && out.listing_error.empty()) out.unlisted = static_cast<int64_t>(check.size());
  for (const auto& [target_id, subject] : check) RETURN_IF_ERROR(mark(subject.user_id));
  RETURN_IF_ERROR(flush(true));
  return out;
}

}  // namespace provisio::provisioning
