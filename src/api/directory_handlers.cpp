// The portal directory for the console: users and groups, searched with a SCIM filter and
// paged as /scim/v2 does, but under admin credentials (an admin's session is not accepted at
// /scim/v2). Writes take the same SCIM bodies as /scim/v2 and go through the same Directory,
// inside a transaction that also writes the audit row.
#include <algorithm>
#include <boost/json.hpp>

#include "api/audit.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "apps/input.h"
#include "directory/directory.h"
#include "scim/list_query.h"
#include "scim/resource.h"

namespace provisio::api {
namespace {

std::vector<scim::QueryParam> ListParams(const http::Request& request) {
  std::vector<scim::QueryParam> params;
  for (const auto& [k, v] : request.query) {
    if (k == "filter" || k == "startIndex" || k == "count" || k == "sortBy" || k == "sortOrder") {
      params.emplace_back(k, v);
    }
  }
  return params;
}

std::string StringAt(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

boost::json::object UserSummary(const boost::json::object& u) {
  std::string email;
  if (const auto* emails = u.if_contains("emails"); emails && emails->is_array()) {
    for (const auto& e : emails->as_array()) {
      if (!e.is_object()) continue;
      std::string value = StringAt(e.as_object(), "value");
      const auto* primary = e.as_object().if_contains("primary");
      if (email.empty() || (primary && primary->is_bool() && primary->as_bool())) email = value;
    }
  }
  const auto* active = u.if_contains("active");
  return {{"id", StringAt(u, "id")},
          {"userName", StringAt(u, "userName")},
          {"displayName", StringAt(u, "displayName")},
          {"email", email},
          {"active", !(active && active->is_bool()) || active->as_bool()}};
}

boost::json::object GroupSummary(const boost::json::object& g) {
  return {{"id", StringAt(g, "id")}, {"displayName", StringAt(g, "displayName")}};
}

boost::json::object Page(boost::json::array items, uint64_t total, const scim::ListQuery& q) {
  return {{"items", std::move(items)},
          {"total_results", total},
          {"start_index", q.start_index},
          {"count", q.count}};
}

// A group's members shown with their names; a huge group is cut at this many.
constexpr size_t kMaxMembersShown = 1000;

std::vector<std::string> IdsIn(const boost::json::object& resource, std::string_view key) {
  std::vector<std::string> ids;
  if (const auto* a = resource.if_contains(key); a && a->is_array()) {
    for (const auto& m : a->as_array()) {
      if (m.is_object()) ids.push_back(StringAt(m.as_object(), "value"));
    }
  }
  return ids;
}

// What the user has in each application: assignments (direct or through a group) and the
// account the engine linked. Applications with neither are left out.
Result<boost::json::array> UserApplications(Call& call, const std::string& user_id,
                                            const boost::json::object& user) {
  std::vector<std::string> group_ids = IdsIn(user, "groups");
  boost::json::array out;
  ASSIGN_OR_RETURN(auto apps, call.store().applications().List(nullptr));
  for (const auto& a : apps) {
    boost::json::array via;
    boost::json::array entitlements;
    ASSIGN_OR_RETURN(auto assignments, call.store().assignments().List(nullptr, a.id));
    for (const auto& as : assignments) {
      bool direct = as.principal_type == "user" && as.principal_id == user_id;
      bool through_group =
          as.principal_type == "group" &&
          std::find(group_ids.begin(), group_ids.end(), as.principal_id) != group_ids.end();
      if (!direct && !through_group) continue;
      via.push_back(boost::json::object{{"type", as.principal_type}, {"id", as.principal_id}});
      boost::system::error_code ec;
      auto ents = boost::json::parse(as.entitlements, ec);
      if (!ec && ents.is_array()) {
        for (const auto& e : ents.as_array()) entitlements.push_back(e);
      }
    }
    ASSIGN_OR_RETURN(auto link, call.store().links().Get(nullptr, a.id, "user", user_id));
    if (via.empty() && !link) continue;
    boost::json::value account = nullptr;
    if (link) {
      account = boost::json::object{{"target_id", link->target_id},
                                    {"state", link->state},
                                    {"last_error", link->last_error},
                                    {"updated", FormatRfc3339(link->updated)}};
    }
    out.push_back(boost::json::object{{"id", a.id},
                                      {"name", a.name},
                                      {"state", a.state},
                                      {"assigned_via", std::move(via)},
                                      {"entitlements", std::move(entitlements)},
                                      {"account", std::move(account)}});
  }
  return out;
}

Result<boost::json::object> BodyObject(const Call& call) {
  ASSIGN_OR_RETURN(apps::Input body, apps::Input::Parse(call.request.body));
  return body.object();
}

}  // namespace

const scim::SchemaRegistry& Registry() {
  static const scim::SchemaRegistry registry = scim::SchemaRegistry::WithCoreSchemas();
  return registry;
}

HandlerResult ListUsers(Call& call) {
  directory::Directory dir(call.store(), Registry(), call.clock());
  auto params = ListParams(call.request);
  ASSIGN_OR_RETURN(scim::ListQuery q, scim::ParseListQuery(params, dir.user_type()));
  ASSIGN_OR_RETURN(directory::ListResult r, dir.ListUsers(q, {.groups = false, .members = false}));
  boost::json::array items;
  for (const auto& u : r.page) items.push_back(UserSummary(u));
  return JsonResponse(200, Page(std::move(items), r.total, q));
}

HandlerResult ListGroups(Call& call) {
  directory::Directory dir(call.store(), Registry(), call.clock());
  auto params = ListParams(call.request);
  ASSIGN_OR_RETURN(scim::ListQuery q, scim::ParseListQuery(params, dir.group_type()));
  ASSIGN_OR_RETURN(directory::ListResult r, dir.ListGroups(q, {.groups = false, .members = false}));
  boost::json::array items;
  for (const auto& g : r.page) items.push_back(GroupSummary(g));
  return JsonResponse(200, Page(std::move(items), r.total, q));
}

HandlerResult GetPortalUser(Call& call) {
  directory::Directory dir(call.store(), Registry(), call.clock());
  std::string id(call.request.Param("id"));
  ASSIGN_OR_RETURN(directory::Resource user, dir.GetUser(id));
  ASSIGN_OR_RETURN(boost::json::array applications, UserApplications(call, id, user.body));
  return JsonResponse(
      200, boost::json::object{{"user", scim::SerializeResource(user.body, dir.user_type())},
                               {"applications", std::move(applications)}});
}

HandlerResult CreatePortalUser(Call& call) {
  directory::Directory dir(call.store(), Registry(), call.clock());
  ASSIGN_OR_RETURN(boost::json::object input, BodyObject(call));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(directory::Resource user, dir.CreateUser(input, tx.get()));
  std::string id = StringAt(user.body, "id");
  RETURN_IF_ERROR(
      Audit(call, *tx, "user.create", "user", id, std::nullopt, UserSummary(user.body)));
  RETURN_IF_ERROR(tx->Commit());
  WakeEngine(call);
  return JsonResponse(201, scim::SerializeResource(user.body, dir.user_type()));
}

// A SCIM PatchOp ({"Operations":[...]}): edit fields, or {"op":"replace","path":"active",
// "value":false} to disable.
HandlerResult PatchPortalUser(Call& call) {
  directory::Directory dir(call.store(), Registry(), call.clock());
  std::string id(call.request.Param("id"));
  ASSIGN_OR_RETURN(boost::json::object patch, BodyObject(call));
  // Read before the write transaction begins: the directory reads on its own.
  ASSIGN_OR_RETURN(directory::Resource before,
                   dir.GetUser(id, {.groups = false, .members = false}));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(directory::Resource after, dir.PatchUser(id, patch, {}, tx.get()));
  RETURN_IF_ERROR(Audit(call, *tx, "user.update", "user", id, UserSummary(before.body),
                        UserSummary(after.body)));
  RETURN_IF_ERROR(tx->Commit());
  WakeEngine(call);
  return JsonResponse(200, scim::SerializeResource(after.body, dir.user_type()));
}

HandlerResult GetPortalGroup(Call& call) {
  directory::Directory dir(call.store(), Registry(), call.clock());
  std::string id(call.request.Param("id"));
  // Members are read from the store a page at a time, never as one huge resource.
  ASSIGN_OR_RETURN(directory::Resource group,
                   dir.GetGroup(id, {.groups = false, .members = false}));
  std::vector<store::MemberRow> rows;
  RETURN_IF_ERROR(
      call.store().groups().ListMembers(nullptr, id, "", [&](const store::MemberRow& m) {
        rows.push_back(m);
        return rows.size() < kMaxMembersShown;
      }));
  ASSIGN_OR_RETURN(int64_t total, call.store().groups().CountMembers(id));
  boost::json::array members;
  for (const auto& row : rows) {
    boost::json::object m{{"id", row.member_id}, {"type", row.type}};
    if (row.type == "User") {
      auto user = dir.GetUser(row.member_id, {.groups = false, .members = false});
      if (user.ok()) {
        m = UserSummary(user->body);
        m["type"] = "User";
      }
    } else if (auto g = dir.GetGroup(row.member_id, {.groups = false, .members = false}); g.ok()) {
      m["displayName"] = StringAt(g->body, "displayName");
    }
    members.push_back(std::move(m));
  }
  return JsonResponse(
      200, boost::json::object{{"group", scim::SerializeResource(group.body, dir.group_type())},
                               {"members", std::move(members)},
                               {"members_total", total}});
}

HandlerResult CreatePortalGroup(Call& call) {
  directory::Directory dir(call.store(), Registry(), call.clock());
  ASSIGN_OR_RETURN(boost::json::object input, BodyObject(call));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(directory::Resource group, dir.CreateGroup(input, tx.get()));
  std::string id = StringAt(group.body, "id");
  RETURN_IF_ERROR(Audit(call, *tx, "group.create", "group", id, std::nullopt,
                        boost::json::object{{"displayName", StringAt(group.body, "displayName")},
                                            {"members", IdsIn(input, "members").size()}}));
  RETURN_IF_ERROR(tx->Commit());
  WakeEngine(call);
  boost::json::object out = GroupSummary(group.body);
  return JsonResponse(201, out);
}

// A SCIM PatchOp: rename, or add and remove members by id.
HandlerResult PatchPortalGroup(Call& call) {
  directory::Directory dir(call.store(), Registry(), call.clock());
  std::string id(call.request.Param("id"));
  ASSIGN_OR_RETURN(boost::json::object patch, BodyObject(call));
  ASSIGN_OR_RETURN(directory::Resource before,
                   dir.GetGroup(id, {.groups = false, .members = false}));
  ASSIGN_OR_RETURN(auto tx, call.store().Begin());
  ASSIGN_OR_RETURN(directory::Resource after,
                   dir.PatchGroup(id, patch, {}, {.groups = false, .members = false}, tx.get()));
  boost::json::object audit_after = GroupSummary(after.body);
  if (const auto* ops = patch.if_contains("Operations")) audit_after["operations"] = *ops;
  RETURN_IF_ERROR(
      Audit(call, *tx, "group.update", "group", id, GroupSummary(before.body), audit_after));
  RETURN_IF_ERROR(tx->Commit());
  WakeEngine(call);
  return JsonResponse(200, GroupSummary(after.body));
}

}  // namespace provisio::api
