// Group push: an assigned group is created in the target (found first, so a retry or a crash
// never duplicates it), renamed with the portal group, its direct user members who have an
// account in the application kept in step by a diff against the members last pushed, and
// deleted when it is unassigned or deleted. Level-triggered as user items are: every run
// recomputes what should be, and only a difference calls the target.
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <unordered_set>

#include "connectors/error_class.h"
#include "core/json.h"
#include "mapping/canonical.h"
#include "provisioning/engine.h"
#include "provisioning/group_planner.h"

namespace provisio::provisioning {
namespace {

// True when every attribute `desired` names holds the same value in `actual`.
bool GroupAgrees(const boost::json::object& desired, const boost::json::object& actual) {
  for (const auto& [k, v] : desired) {
    auto* a = actual.if_contains(k);
    if (a == nullptr || mapping::CanonicalJson(*a) != mapping::CanonicalJson(v)) return false;
  }
  return true;
}

// Members looked up one link at a time up to this many; more scan the application's links.
constexpr size_t kPointLookups = 1000;

boost::json::array Ids(const std::vector<std::string>& ids, size_t limit = 20) {
  boost::json::array out;
  for (size_t i = 0; i < ids.size() && i < limit; ++i) out.emplace_back(ids[i]);
  return out;
}

}  // namespace

Result<Engine::GroupState> Engine::LoadGroup(const AppContext& ctx, std::string_view group_id,
                                             bool full) {
  GroupState st;
  const std::string& app_id = ctx.app.id;
  // What was last pushed, and the portal group (read only when it is assigned: groups not
  // assigned are marked too, and may be large).
  ASSIGN_OR_RETURN(st.link, store_.links().Get(nullptr, app_id, "group", group_id));
  st.assigned = ctx.assigned_groups.contains(std::string(group_id));
  if (!st.assigned && !st.link) return st;
  std::optional<boost::json::object> group;
  if (st.assigned) {
    if (auto g = directory_.GetGroup(group_id, {.groups = false, .members = true}); g.ok()) {
      group = std::move(g->body);
    } else if (g.error().code() != Code::kNotFound) {
      return std::move(g).error();
    }
  }
  // Direct user members with an active account here; nested groups are not expanded into
  // this group's members (each assigned group is pushed with its own direct members).
  std::vector<std::string> member_targets;
  if (group) {
    std::vector<std::string> users;
    if (auto* m = group->if_contains("members"); m && m->is_array()) {
      for (const auto& v : m->get_array()) {
        if (!v.is_object()) continue;
        auto id = json::GetString(v.get_object(), "value");
        if (id && json::GetString(v.get_object(), "type").value_or("User") == "User") {
          users.emplace_back(*id);
        }
      }
    }
    auto usable = [](const store::AccountLinkRow& l) {
      return l.state == "active" && !l.target_id.empty();
    };
    if (users.size() <= kPointLookups) {
      for (const auto& id : users) {
        ASSIGN_OR_RETURN(auto user_link, store_.links().Get(nullptr, app_id, "user", id));
        if (user_link && usable(*user_link)) member_targets.push_back(user_link->target_id);
      }
    } else {
      // A large group: one pass over the application's links beats a lookup per member.
      std::unordered_set<std::string> wanted(users.begin(), users.end());
      RETURN_IF_ERROR(store_.links().Scan(app_id, "user", "", [&](const store::AccountLinkRow& l) {
        if (usable(l) && wanted.contains(l.subject_id)) member_targets.push_back(l.target_id);
        return true;
      }));
    }
    st.name = std::string(json::GetString(*group, "displayName").value_or(""));
  }
  st.desired = ComputeDesiredGroup(ctx.groups, group ? &*group : nullptr, st.assigned,
                                   std::move(member_targets), st.link);
  st.plan = PlanGroup(st.desired, st.link, ctx.deprovision, full);
  return st;
}

Engine::Outcome Engine::ReconcileGroup(const AppContext& ctx, const store::WorkItem& item,
                                       std::vector<Step>* steps) {
  Outcome out;
  out.log = false;
  auto started = std::chrono::steady_clock::now();
  auto step = [&](std::string name, std::string status, boost::json::value detail) {
    if (steps) steps->push_back({std::move(name), std::move(status), std::move(detail)});
  };
  auto fail = [&](Error e) {
    out.ok = false;
    out.error = std::move(e);
    step("result", "failed", boost::json::object{{"error", out.error->ToString()}});
  };
  auto finish = [&]() -> Outcome {
    out.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
    return std::move(out);
  };
  const std::string& app_id = item.key.application_id;
  const std::string& group_id = item.key.subject_id;
  if (!ctx.groups.push) {
    // Push is off (or the target has no groups): groups pushed before are left as they are.
    step("scope", "skipped",
         boost::json::object{{"reason", "the application does not push groups"}});
    return finish();
  }
  connectors::GroupConnector& target = *ctx.connector->groups();

  auto loaded = LoadGroup(ctx, group_id, item.mode == "full");
  if (!loaded.ok()) {
    fail(std::move(loaded).error());
    return finish();
  }
  if (!loaded->assigned && !loaded->link) return finish();  // nothing pushed, nothing to push
  const std::optional<store::AccountLinkRow>& link = loaded->link;
  const bool assigned = loaded->assigned;
  DesiredGroup desired = std::move(loaded->desired);  // create may pick another address
  const GroupPlan& plan = loaded->plan;
  step("scope", desired.in_scope ? "ok" : "skipped",
       boost::json::object{{"in_scope", desired.in_scope},
                           {"assigned", assigned},
                           {"members", static_cast<int64_t>(desired.members.size())}});
  if (desired.in_scope) step("attributes", "ok", desired.object);
  step("action", "ok",
       boost::json::object{{"action", ToString(plan.action)},
                           {"reason", plan.reason},
                           {"add", static_cast<int64_t>(plan.add.size())},
                           {"remove", static_cast<int64_t>(plan.remove.size())}});

  auto linked = [&](const std::string& target_id) {
    store::AccountLinkRow row;
    row.application_id = app_id;
    row.subject_type = "group";
    row.subject_id = group_id;
    row.target_id = target_id;
    row.state = "active";
    row.desired_hash = desired.hash;
    row.desired = LinkDesiredJson(desired);
    row.updated = clock_.Now();
    out.link = std::move(row);
    out.target_id = target_id;
    out.log = true;
  };
  auto detail = [&](size_t added, size_t removed) {
    boost::json::object d{{"reason", plan.reason},
                          {"added", static_cast<int64_t>(added)},
                          {"removed", static_cast<int64_t>(removed)}};
    if (desired.in_scope)
      d["name"] = desired.object.contains("displayName") ? desired.object.at("displayName")
                                                         : desired.object.at("name");
    out.detail = boost::json::serialize(d);
  };
  // What the target holds by now. When a large change fails half-way, the link keeps this
  // (with an empty hash, so the item always plans again) and the retry carries on from there
  // instead of starting over: against a flaky target a big group still converges.
  std::string held_id;
  boost::json::object held_object = PushedObject(link);
  std::set<std::string> held;
  for (auto& m : PushedMembers(link)) held.insert(std::move(m));
  auto fail_keeping_progress = [&](Error e) {
    if (!held_id.empty()) {
      DesiredGroup progress;
      progress.object = held_object;
      progress.members.assign(held.begin(), held.end());
      store::AccountLinkRow row;
      row.application_id = app_id;
      row.subject_type = "group";
      row.subject_id = group_id;
      row.target_id = held_id;
      row.state = "active";
      row.desired = LinkDesiredJson(progress);
      row.updated = clock_.Now();
      out.link = std::move(row);
      out.partial = true;
    }
    fail(std::move(e));
  };
  constexpr size_t kChunk = 100;  // members per call (the connector may split further)
  auto add = [&](const std::string& id, const std::vector<std::string>& members) -> Status {
    for (size_t i = 0; i < members.size(); i += kChunk) {
      std::vector<std::string> chunk(members.begin() + i,
                                     members.begin() + std::min(members.size(), i + kChunk));
      RETURN_IF_ERROR(target.AddMembersWithRole(id, chunk, ctx.groups.member_role));
      held.insert(chunk.begin(), chunk.end());
    }
    return Ok();
  };
  auto remove = [&](const std::string& id, const std::vector<std::string>& members) -> Status {
    for (size_t i = 0; i < members.size(); i += kChunk) {
      std::vector<std::string> chunk(members.begin() + i,
                                     members.begin() + std::min(members.size(), i + kChunk));
      RETURN_IF_ERROR(target.RemoveMembers(id, chunk));
      for (const auto& m : chunk) held.erase(m);
    }
    return Ok();
  };
  // Of a group's members as read from the target, those Provisio manages here: the ones it
  // pushed to this group and accounts linked in this application. Others (added by hand,
  // or another application's) are never removed. The links are scanned only when a member
  // is neither desired nor pushed, i.e. when someone changed the group by hand.
  auto managed_members =
      [&](const std::vector<std::string>& actual) -> Result<std::set<std::string>> {
    std::set<std::string> managed(held.begin(), held.end());  // pushed
    std::set<std::string> unknown;
    for (const auto& m : actual) {
      if (!managed.contains(m) &&
          !std::binary_search(desired.members.begin(), desired.members.end(), m)) {
        unknown.insert(m);
      }
    }
    if (unknown.empty()) return managed;
    RETURN_IF_ERROR(store_.links().Scan(app_id, "user", "", [&](const store::AccountLinkRow& l) {
      if (!l.target_id.empty() && unknown.contains(l.target_id)) managed.insert(l.target_id);
      return true;
    }));
    return managed;
  };
  // Finds the group by the matching attribute (a retry after a crash, or one made by hand)
  // and links it, else creates it; then adds every desired member.
  auto find = [&]() -> Result<std::optional<connectors::Account>> {
    std::string value(json::GetString(desired.object, ctx.groups.matching_attribute).value_or(""));
    if (value.empty()) return std::optional<connectors::Account>();
    ASSIGN_OR_RETURN(auto found, target.FindGroup(ctx.groups.matching_attribute, value));
    step("matching", "ok",
         boost::json::object{{"attribute", ctx.groups.matching_attribute},
                             {"value", value},
                             {"found", found.has_value()}});
    return found;
  };
  auto create = [&]() {
    auto f = find();
    if (!f.ok()) return fail(std::move(f).error());
    std::optional<connectors::Account> found = std::move(*f);
    if (found && !FoundGroupFits(ctx.groups, found->attributes, desired.object)) {
      if (ctx.groups.vocabulary != GroupSettings::Vocabulary::kGoogle) {
        return fail(connectors::ClassifiedError(
            connectors::ErrorClass::kConflict,
            "the target's group " + found->id +
                " of that name stands for another group "
                "(its externalId is not this group's id); rename one of them"));
      }
      // Google: the address made from the name is another group's; make it unique.
      desired.object = WithUniqueAddress(desired.object, group_id);
      desired.hash = GroupHash(ctx.groups, desired);
      f = find();
      if (!f.ok()) return fail(std::move(f).error());
      found = std::move(*f);
      if (found && !FoundGroupFits(ctx.groups, found->attributes, desired.object)) {
        return fail(connectors::ClassifiedError(
            connectors::ErrorClass::kConflict,
            "both addresses for this group are other groups' in the target"));
      }
    }
    std::string target_id;
    if (!found) {
      auto created = target.CreateGroup(desired.object);
      if (created.ok()) {
        target_id = created->id;
        out.action = "create";
      } else if (connectors::ClassOf(created.error()) == connectors::ErrorClass::kConflict) {
        // Made between the lookup and the create (most often our own earlier create, which
        // the target finished after its answer timed out): found now, it is ours to link.
        auto again = find();
        if (!again.ok()) return fail(std::move(again).error());  // e.g. retryable: look again
        if (!again->has_value() ||
            !FoundGroupFits(ctx.groups, (*again)->attributes, desired.object)) {
          return fail(std::move(created).error());
        }
        found = std::move(*again);
      } else {
        return fail(std::move(created).error());
      }
    }
    if (found) {
      target_id = found->id;
      out.action = "link";
      if (!GroupAgrees(desired.object, found->attributes)) {
        auto u = target.UpdateGroup(target_id, found->attributes, desired.object);
        if (!u.ok()) return fail(std::move(u).error());
      }
    }
    held_id = target_id;
    held_object = desired.object;
    held.clear();  // a group found may hold anyone; adding one present is no error
    if (auto st = add(target_id, desired.members); !st.ok()) {
      return fail_keeping_progress(st.error());
    }
    linked(target_id);
    detail(desired.members.size(), 0);
    step("result", "ok",
         boost::json::object{{"action", out.action},
                             {"target_id", target_id},
                             {"members_added", Ids(desired.members)}});
  };

  switch (plan.action) {
    case Action::kNone:
      step("result", "skipped", boost::json::object{{"reason", plan.reason}});
      break;
    case Action::kCreate:
      create();
      break;
    case Action::kUpdate:
    case Action::kVerify: {
      const std::string& id = link->target_id;
      bool update_object = plan.update_object;
      std::vector<std::string> to_add = plan.add;
      std::vector<std::string> to_remove = plan.remove;
      boost::json::object current = PushedObject(*link);
      if (plan.action == Action::kVerify) {
        auto read = target.GetGroup(id);
        if (!read.ok() && read.error().code() == Code::kNotFound) {
          create();  // removed in the target: make it again
          break;
        }
        if (!read.ok()) {
          fail(std::move(read).error());
          break;
        }
        current = read->attributes;
        update_object = !GroupAgrees(desired.object, current);
        // The members too, when the connector can list them: hand-made changes are repaired
        // against what the target holds, not what was last pushed.
        auto actual = target.MemberIds(id);
        if (!actual.ok() && actual.error().code() == Code::kNotFound) {
          create();
          break;
        }
        if (!actual.ok()) {
          fail(std::move(actual).error());
          break;
        }
        if (actual->has_value()) {
          auto managed = managed_members(**actual);
          if (!managed.ok()) {
            fail(std::move(managed).error());
            break;
          }
          MemberRepair r = PlanMemberRepair(desired.members, std::move(**actual), *managed);
          held = std::set<std::string>(r.held.begin(), r.held.end());
          step("members", "ok",
               boost::json::object{
                   {"read", static_cast<int64_t>(r.held.size() + r.unmanaged.size())},
                   {"missing", Ids(r.add)},
                   {"extra", Ids(r.remove)},
                   {"unmanaged_kept", Ids(r.unmanaged)}});
          to_add = std::move(r.add);
          to_remove = std::move(r.remove);
        }
        if (!update_object && to_add.empty() && to_remove.empty()) {
          step("result", "ok", boost::json::object{{"action", "none"}, {"reason", "no drift"}});
          if (link->desired_hash != desired.hash) {
            linked(id);  // e.g. a role change: nothing to write, remember what is wanted
            out.log = false;
          }
          break;
        }
      }
      held_id = id;
      if (update_object) {
        auto u = target.UpdateGroup(id, current, desired.object);
        if (!u.ok() && u.error().code() == Code::kNotFound) {
          create();
          break;
        }
        if (!u.ok()) {
          fail(std::move(u).error());
          break;
        }
        held_object = desired.object;
      }
      if (auto st = remove(id, to_remove); !st.ok()) {
        if (st.error().code() == Code::kNotFound) {
          create();
        } else {
          fail_keeping_progress(st.error());
        }
        break;
      }
      if (auto st = add(id, to_add); !st.ok()) {
        if (st.error().code() == Code::kNotFound) {
          create();
        } else {
          fail_keeping_progress(st.error());
        }
        break;
      }
      out.action = "update";
      linked(id);
      detail(to_add.size(), to_remove.size());
      step("result", "ok",
           boost::json::object{{"action", "update"},
                               {"target_id", id},
                               {"renamed", update_object},
                               {"members_added", Ids(to_add)},
                               {"members_removed", Ids(to_remove)}});
      break;
    }
    case Action::kDelete: {
      // Deleting the group leaves its members' accounts to their own assignments.
      const std::string& id = link->target_id;
      auto st = target.DeleteGroup(id);
      if (!st.ok() && st.error().code() != Code::kNotFound) {
        fail(st.error());
        break;
      }
      out.action = "delete";
      out.delete_link = true;
      out.target_id = id;
      out.log = true;
      detail(0, 0);
      step("result", "ok", boost::json::object{{"action", "delete"}, {"target_id", id}});
      break;
    }
    case Action::kUnlink:
      out.action = "unlink";
      out.delete_link = true;
      out.target_id = link->target_id;
      out.log = true;
      detail(0, 0);
      step("result", "ok", boost::json::object{{"action", "unlink"}});
      break;
    case Action::kDisable:
      break;  // never planned for groups
  }
  if (!out.ok) out.log = true;
  return finish();
}

std::vector<store::WorkKey> Engine::GroupsToMark(const AppContext& ctx, const store::WorkItem& item,
                                                 const Prepared& prepared,
                                                 const Outcome& outcome) const {
  std::vector<store::WorkKey> keys;
  if (!ctx.groups.push || !outcome.ok || outcome.disposition != Outcome::Disposition::kRecord) {
    return keys;
  }
  auto member_id = [](const std::optional<store::AccountLinkRow>& l) -> std::string {
    return l && l->state == "active" ? l->target_id : "";
  };
  std::string before = member_id(prepared.link);
  std::string after = outcome.delete_link ? "" : outcome.link ? member_id(outcome.link) : before;
  if (before == after) return keys;
  // The user's direct groups, assigned or not: this context's assignments may be older than
  // a group assignment made meanwhile, whose group item may already have run without this
  // account. A group item for a group not assigned costs one lookup. When the user is gone
  // from the directory, every group assigned.
  std::set<std::string> groups;
  auto it = prepared.desired.user.find("groups");
  if (prepared.desired.user.empty()) {
    groups = ctx.assigned_groups;
  } else if (it != prepared.desired.user.end() && it->value().is_array()) {
    for (const auto& g : it->value().get_array()) {
      if (!g.is_object()) continue;
      auto id = json::GetString(g.get_object(), "value");
      if (!id || json::GetString(g.get_object(), "type").value_or("direct") != "direct") continue;
      groups.insert(std::string(*id));
    }
  }
  for (const auto& g : groups) keys.push_back({item.key.application_id, "group", g});
  return keys;
}

Result<std::vector<Step>> Engine::ProvisionGroupNow(std::string_view application_id,
                                                    std::string_view group_id) {
  ASSIGN_OR_RETURN(auto ctx, Context(application_id));
  if (!ctx->provisioning) {
    return Error(Code::kConflict, "application " + ctx->app.name + " is " + ctx->app.state +
                                      (ctx->connector ? "" : " without a connection") +
                                      "; it cannot provision now");
  }
  if (!ctx->groups.push) {
    return Error(Code::kConflict, "application " + ctx->app.name +
                                      " does not push groups (settings.push_groups, or a "
                                      "target without groups)");
  }
  auto group = directory_.GetGroup(group_id, {.groups = false, .members = false});
  if (!group.ok() && group.error().code() == Code::kNotFound) {
    ASSIGN_OR_RETURN(auto link, store_.links().Get(nullptr, application_id, "group", group_id));
    if (!link) return Error::NotFound("no group with id " + std::string(group_id));
  } else if (!group.ok()) {
    return std::move(group).error();
  }
  std::vector<Step> steps;
  store::WorkItem item;
  item.key = {std::string(application_id), "group", std::string(group_id)};
  item.mode = "full";
  Outcome outcome = ReconcileGroup(*ctx, item, &steps);
  Record(std::span<const store::WorkItem>(&item, 1), std::span<const Outcome>(&outcome, 1));
  return steps;
}

Result<boost::json::object> Engine::DryRunGroups(const AppContext& ctx, bool full) {
  std::set<std::string> ids(ctx.assigned_groups.begin(), ctx.assigned_groups.end());
  RETURN_IF_ERROR(store_.links().Scan(ctx.app.id, "group", "", [&](const store::AccountLinkRow& l) {
    ids.insert(l.subject_id);
    return true;
  }));
  std::map<std::string, int64_t> counts;
  boost::json::array changes;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(GroupState st, LoadGroup(ctx, id, full));
    std::string action(ToString(st.plan.action));
    counts[action]++;
    if (st.plan.action != Action::kNone && changes.size() < 200) {
      changes.push_back(
          boost::json::object{{"group_id", id},
                              {"displayName", st.name},
                              {"action", action},
                              {"reason", st.plan.reason},
                              {"add", static_cast<int64_t>(st.plan.add.size())},
                              {"remove", static_cast<int64_t>(st.plan.remove.size())}});
    }
  }
  boost::json::object count_json;
  for (const auto& [k, v] : counts) count_json[k] = v;
  return boost::json::object{{"groups", static_cast<int64_t>(ids.size())},
                             {"counts", std::move(count_json)},
                             {"changes", std::move(changes)}};
}

}  // namespace provisio::provisioning
