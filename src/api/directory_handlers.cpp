// Read-only views of the portal directory for the console: users and groups, searched with a
// SCIM filter and paged as /scim/v2 does, but under admin credentials (an admin's session is
// not accepted at /scim/v2). Writes to the directory stay with /scim/v2.
#include <boost/json.hpp>

#include "api/handlers.h"
#include "api/respond.h"
#include "directory/directory.h"
#include "scim/list_query.h"

namespace provisio::api {
namespace {

const scim::SchemaRegistry& Registry() {
  static const scim::SchemaRegistry registry = scim::SchemaRegistry::WithCoreSchemas();
  return registry;
}

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

}  // namespace

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

}  // namespace provisio::api
