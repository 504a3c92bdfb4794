#include "scimserver/scim_server.h"

#include <memory>

#include "scim/list_response.h"
#include "scim/resource.h"
#include "scimserver/scim_bulk.h"
#include "scimserver/scim_http.h"
#include "scimserver/scim_resources.h"

namespace provisio::scimserver {

scim::ServiceProviderFeatures Features(const ScimServerOptions& options) {
  scim::ServiceProviderFeatures f;
  f.documentation_uri = "https://github.com/provisio/provisio/blob/main/docs/scim.md";
  f.bulk = true;
  f.bulk_max_operations = static_cast<int>(options.bulk_max_operations);
  f.bulk_max_payload_size = static_cast<int>(options.bulk_max_payload_bytes);
  f.filter_max_results = static_cast<int>(options.list.max_count);
  f.change_password = false;
  f.sort = true;
  f.etag = true;
  f.patch = true;
  return f;
}

namespace {

// POST /.search at the root: the same query over Users and then Groups, paged across both.
http::Response RootSearch(ScimServerDeps& deps, const ResourceEndpoints& users,
                          const ResourceEndpoints& groups, http::Request& request) {
  auto who = Authorize(deps.store, deps.clock, request, false);
  if (!who.ok()) return ScimError(who.error());
  auto body = ParseBody(request);
  if (!body.ok()) return ScimError(body.error());
  auto uq = scim::ParseSearchRequest(*body, users.type(), deps.options.list);
  auto gq = scim::ParseSearchRequest(*body, groups.type(), deps.options.list);
  // A filter naming attributes only one type has matches nothing of the other.
  if (!uq.ok() && !gq.ok()) return ScimError(uq.error());
  std::string base = BaseUrl(request, deps.options.prefix);
  boost::json::array resources;
  uint64_t total = 0;
  int64_t start = uq.ok() ? uq->start_index : gq->start_index;
  int64_t want = uq.ok() ? uq->count : gq->count;
  if (uq.ok()) {
    auto r = deps.directory.ListUsers(*uq, ReadOptionsFor(uq->projection));
    if (!r.ok()) return ScimError(r.error());
    for (auto& b : r->page) {
      users.SetLocation(b, base);
      resources.push_back(scim::SerializeResource(b, users.type(), uq->projection));
    }
    total += r->total;
  }
  if (gq.ok()) {
    uint64_t users_total = total;
    scim::ListQuery q = std::move(gq).value();
    int64_t skip = std::max<int64_t>(0, start - 1 - static_cast<int64_t>(users_total));
    q.start_index = skip + 1;
    q.count = std::max<int64_t>(0, want - static_cast<int64_t>(resources.size()));
    auto r = deps.directory.ListGroups(q, ReadOptionsFor(q.projection));
    if (!r.ok()) return ScimError(r.error());
    for (auto& b : r->page) {
      groups.SetLocation(b, base);
      resources.push_back(scim::SerializeResource(b, groups.type(), q.projection));
    }
    total += r->total;
  }
  return ScimJson(200, scim::ListResponseBody(std::move(resources), total, start));
}

}  // namespace

void RegisterScimRoutes(http::Router& router, ScimServerDeps& deps) {
  auto users = std::make_shared<ResourceEndpoints>(deps, ResourceKind::kUser);
  auto groups = std::make_shared<ResourceEndpoints>(deps, ResourceKind::kGroup);
  const std::string p = deps.options.prefix;

  for (const auto& ep : {users, groups}) {
    const std::string base = p + ep->endpoint();
    router.Add("POST", base, [ep](http::Request& r) { return ep->Create(r); });
    router.Add("GET", base, [ep](http::Request& r) { return ep->List(r); });
    router.Add("POST", base + "/.search", [ep](http::Request& r) { return ep->Search(r); });
    router.Add("GET", base + "/{id}", [ep](http::Request& r) { return ep->Get(r); });
    router.Add("PUT", base + "/{id}", [ep](http::Request& r) { return ep->Replace(r); });
    router.Add("PATCH", base + "/{id}", [ep](http::Request& r) { return ep->Patch(r); });
    router.Add("DELETE", base + "/{id}", [ep](http::Request& r) { return ep->Delete(r); });
  }
  router.Add("POST", p + "/.search", [&deps, users, groups](http::Request& r) {
    return RootSearch(deps, *users, *groups, r);
  });
  http::RouteOptions bulk_limits;
  // Twice the advertised limit reaches the handler, which answers with a SCIM 413 body.
  bulk_limits.max_body_bytes = deps.options.bulk_max_payload_bytes * 2;
  router.Add(
      "POST", p + "/Bulk",
      [&deps, users, groups](http::Request& r) { return HandleBulk(deps, *users, *groups, r); },
      bulk_limits);

  router.Add("GET", p + "/ServiceProviderConfig", [&deps](http::Request& r) {
    auto who = Authorize(deps.store, deps.clock, r, false);
    if (!who.ok()) return ScimError(who.error());
    return ScimJson(200, scim::ServiceProviderConfigDocument(Features(deps.options),
                                                             BaseUrl(r, deps.options.prefix)));
  });
  router.Add("GET", p + "/Schemas", [&deps](http::Request& r) {
    auto who = Authorize(deps.store, deps.clock, r, false);
    if (!who.ok()) return ScimError(who.error());
    return ScimJson(200, scim::SchemasDocument(deps.registry, BaseUrl(r, deps.options.prefix)));
  });
  router.Add("GET", p + "/Schemas/{id}", [&deps](http::Request& r) {
    auto who = Authorize(deps.store, deps.clock, r, false);
    if (!who.ok()) return ScimError(who.error());
    const scim::Schema* s = deps.registry.FindSchema(r.Param("id"));
    if (!s) return ScimError(Error::NotFound("no schema " + std::string(r.Param("id"))));
    return ScimJson(200, scim::SchemaDocument(*s, BaseUrl(r, deps.options.prefix)));
  });
  router.Add("GET", p + "/ResourceTypes", [&deps](http::Request& r) {
    auto who = Authorize(deps.store, deps.clock, r, false);
    if (!who.ok()) return ScimError(who.error());
    return ScimJson(200,
                    scim::ResourceTypesDocument(deps.registry, BaseUrl(r, deps.options.prefix)));
  });
  router.Add("GET", p + "/ResourceTypes/{id}", [&deps](http::Request& r) {
    auto who = Authorize(deps.store, deps.clock, r, false);
    if (!who.ok()) return ScimError(who.error());
    const scim::ResourceType* t = deps.registry.FindResourceType(r.Param("id"));
    if (!t) return ScimError(Error::NotFound("no resource type " + std::string(r.Param("id"))));
    return ScimJson(200, scim::ResourceTypeDocument(*t, BaseUrl(r, deps.options.prefix)));
  });
  router.Add("*", p + "/Me", [](http::Request&) {
    return ScimError(Error(Code::kNotImplemented,
                           "/Me is not supported: SCIM clients here act for an application, "
                           "not for a signed-in user"));
  });
  // Anything else under the prefix is a SCIM 404, not the admin API's JSON error.
  router.Add("*", p + "/{rest*}", [](http::Request& r) {
    return ScimError(Error::NotFound("no SCIM endpoint " + r.path));
  });
  // Another protocol version in the URL (RFC 7644 §3.13, e.g. /scim/v1/Users): 400 invalidVers.
  if (p.ends_with("/v2")) {
    const std::string parent = p.substr(0, p.size() - 3);
    auto other_version = [](http::Request& r) {
      std::string_view v = r.Param("version");
      bool looks_like_version = v.size() >= 2 && (v[0] == 'v' || v[0] == 'V') &&
                                v.find_first_not_of("0123456789.", 1) == std::string_view::npos;
      if (!looks_like_version) return ScimError(Error::NotFound("no SCIM endpoint " + r.path));
      return ScimError(Error(Code::kInvalidVersion,
                             "SCIM protocol version " + std::string(v) +
                                 " is not supported; this service provider speaks v2 at " +
                                 "/scim/v2"));
    };
    router.Add("*", parent + "/{version}", other_version);
    router.Add("*", parent + "/{version}/{rest*}", other_version);
  }
}

}  // namespace provisio::scimserver
