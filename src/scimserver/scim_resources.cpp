#include "scimserver/scim_resources.h"

#include "scim/list_response.h"
#include "scim/resource.h"
#include "scimserver/scim_http.h"

namespace provisio::scimserver {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool Names(const scim::ResolvedPath& p, std::string_view attr) {
  return p.attribute && !p.extension && IEquals(p.attribute->name, attr);
}

// Whether a derived attribute would be returned under `projection`.
bool Returns(const scim::Projection& projection, std::string_view attr) {
  for (const auto& e : projection.excluded) {
    if (Names(e, attr) && !e.sub) return false;
  }
  if (!projection.restricted) return true;
  for (const auto& a : projection.attributes) {
    if (Names(a, attr)) return true;
  }
  return false;
}

std::vector<scim::QueryParam> QueryParams(const http::Request& request) {
  std::vector<scim::QueryParam> params;
  params.reserve(request.query.size());
  for (const auto& [k, v] : request.query) params.emplace_back(k, v);
  return params;
}

directory::Precondition PreconditionOf(const http::Request& request) {
  directory::Precondition pre;
  if (auto m = request.Header("If-Match")) pre.if_match = std::string(*m);
  return pre;
}

}  // namespace

directory::ReadOptions ReadOptionsFor(const scim::Projection& projection) {
  return {.groups = Returns(projection, "groups"), .members = Returns(projection, "members")};
}

ResourceEndpoints::ResourceEndpoints(ScimServerDeps& deps, ResourceKind kind)
    : deps_(deps),
      kind_(kind),
      type_(kind == ResourceKind::kUser ? deps.directory.user_type() : deps.directory.group_type()),
      endpoint_(kind == ResourceKind::kUser ? "/Users" : "/Groups") {}

void ResourceEndpoints::SetLocation(boost::json::object& body, const std::string& base_url) const {
  auto id = body.find("id");
  auto meta = body.find("meta");
  if (id == body.end() || meta == body.end() || !id->value().is_string() ||
      !meta->value().is_object()) {
    return;
  }
  meta->value().get_object()["location"] =
      base_url + endpoint_ + "/" + std::string(id->value().get_string());
}

#define SCIM_TRY(lhs, expr)                                   \
  auto PROVISIO_CONCAT(_r_, __LINE__) = (expr);               \
  if (!PROVISIO_CONCAT(_r_, __LINE__).ok())                   \
    return ScimError(PROVISIO_CONCAT(_r_, __LINE__).error()); \
  lhs = std::move(PROVISIO_CONCAT(_r_, __LINE__)).value()

http::Response ResourceEndpoints::Create(http::Request& request) {
  SCIM_TRY(auto who, Authorize(deps_.store, deps_.clock, request, true));
  (void)who;
  SCIM_TRY(boost::json::value body, ParseBody(request));
  SCIM_TRY(directory::Resource created, kind_ == ResourceKind::kUser
                                            ? deps_.directory.CreateUser(body.get_object())
                                            : deps_.directory.CreateGroup(body.get_object()));
  std::string base = BaseUrl(request, deps_.options.prefix);
  SetLocation(created.body, base);
  http::Response r = ScimJson(201, scim::SerializeResource(created.body, type_));
  r.SetHeader("Location", std::string(created.body["meta"].at("location").get_string()));
  r.SetHeader("ETag", directory::ETag(created.version));
  return r;
}

http::Response ResourceEndpoints::Get(http::Request& request) {
  SCIM_TRY(auto who, Authorize(deps_.store, deps_.clock, request, false));
  (void)who;
  SCIM_TRY(scim::Projection projection,
           scim::ParseProjection(request.Query("attributes").value_or(""),
                                 request.Query("excludedAttributes").value_or(""), type_));
  std::string id(request.Param("id"));
  directory::ReadOptions read = ReadOptionsFor(projection);
  SCIM_TRY(directory::Resource found, kind_ == ResourceKind::kUser
                                          ? deps_.directory.GetUser(id, read)
                                          : deps_.directory.GetGroup(id, read));
  std::string etag = directory::ETag(found.version);
  if (auto none_match = request.Header("If-None-Match")) {
    if (directory::ETagMatches(*none_match, found.version)) {
      http::Response r;
      r.status = 304;
      r.SetHeader("ETag", etag);
      return r;
    }
  }
  SetLocation(found.body, BaseUrl(request, deps_.options.prefix));
  http::Response r = ScimJson(200, scim::SerializeResource(found.body, type_, projection));
  r.SetHeader("ETag", etag);
  return r;
}

http::Response ResourceEndpoints::Replace(http::Request& request) {
  SCIM_TRY(auto who, Authorize(deps_.store, deps_.clock, request, true));
  (void)who;
  SCIM_TRY(boost::json::value body, ParseBody(request));
  std::string id(request.Param("id"));
  auto pre = PreconditionOf(request);
  SCIM_TRY(directory::Resource updated,
           kind_ == ResourceKind::kUser ? deps_.directory.ReplaceUser(id, body.get_object(), pre)
                                        : deps_.directory.ReplaceGroup(id, body.get_object(), pre));
  SetLocation(updated.body, BaseUrl(request, deps_.options.prefix));
  http::Response r = ScimJson(200, scim::SerializeResource(updated.body, type_));
  r.SetHeader("ETag", directory::ETag(updated.version));
  return r;
}

http::Response ResourceEndpoints::Patch(http::Request& request) {
  SCIM_TRY(auto who, Authorize(deps_.store, deps_.clock, request, true));
  (void)who;
  SCIM_TRY(boost::json::value body, ParseBody(request));
  std::string id(request.Param("id"));
  auto pre = PreconditionOf(request);
  auto attributes = request.Query("attributes");
  auto excluded = request.Query("excludedAttributes");
  SCIM_TRY(scim::Projection projection,
           scim::ParseProjection(attributes.value_or(""), excluded.value_or(""), type_));
  if (kind_ == ResourceKind::kUser) {
    SCIM_TRY(directory::Resource updated, deps_.directory.PatchUser(id, body, pre));
    SetLocation(updated.body, BaseUrl(request, deps_.options.prefix));
    http::Response r = ScimJson(200, scim::SerializeResource(updated.body, type_, projection));
    r.SetHeader("ETag", directory::ETag(updated.version));
    return r;
  }
  // A group's member list can be huge: answer 204 (RFC 7644 §3.5.2) unless the client asks
  // for attributes, so a member add never costs a member-list read.
  bool want_body = attributes.has_value() || excluded.has_value();
  directory::ReadOptions read = want_body
                                    ? ReadOptionsFor(projection)
                                    : directory::ReadOptions{.groups = false, .members = false};
  SCIM_TRY(directory::Resource updated, deps_.directory.PatchGroup(id, body, pre, read));
  if (!want_body) {
    http::Response r = http::Response::NoContent();
    r.SetHeader("ETag", directory::ETag(updated.version));
    return r;
  }
  SetLocation(updated.body, BaseUrl(request, deps_.options.prefix));
  http::Response r = ScimJson(200, scim::SerializeResource(updated.body, type_, projection));
  r.SetHeader("ETag", directory::ETag(updated.version));
  return r;
}

http::Response ResourceEndpoints::Delete(http::Request& request) {
  SCIM_TRY(auto who, Authorize(deps_.store, deps_.clock, request, true));
  (void)who;
  std::string id(request.Param("id"));
  auto pre = PreconditionOf(request);
  Status st = kind_ == ResourceKind::kUser ? deps_.directory.DeleteUser(id, pre)
                                           : deps_.directory.DeleteGroup(id, pre);
  if (!st.ok()) return ScimError(st.error());
  return http::Response::NoContent();
}

namespace {

http::Response ListResponse(const ResourceEndpoints& ep, directory::ListResult& result,
                            const scim::ListQuery& q, const std::string& base) {
  for (auto& body : result.page) ep.SetLocation(body, base);
  return ScimJson(200, scim::BuildListResponse(result.page, result.total, q, ep.type()));
}

}  // namespace

http::Response ResourceEndpoints::List(http::Request& request) {
  SCIM_TRY(auto who, Authorize(deps_.store, deps_.clock, request, false));
  (void)who;
  auto params = QueryParams(request);
  SCIM_TRY(scim::ListQuery q, scim::ParseListQuery(params, type_, deps_.options.list));
  directory::ReadOptions read = ReadOptionsFor(q.projection);
  SCIM_TRY(directory::ListResult result, kind_ == ResourceKind::kUser
                                             ? deps_.directory.ListUsers(q, read)
                                             : deps_.directory.ListGroups(q, read));
  return ListResponse(*this, result, q, BaseUrl(request, deps_.options.prefix));
}

http::Response ResourceEndpoints::Search(http::Request& request) {
  SCIM_TRY(auto who, Authorize(deps_.store, deps_.clock, request, false));
  (void)who;
  SCIM_TRY(boost::json::value body, ParseBody(request));
  SCIM_TRY(scim::ListQuery q, scim::ParseSearchRequest(body, type_, deps_.options.list));
  directory::ReadOptions read = ReadOptionsFor(q.projection);
  SCIM_TRY(directory::ListResult result, kind_ == ResourceKind::kUser
                                             ? deps_.directory.ListUsers(q, read)
                                             : deps_.directory.ListGroups(q, read));
  return ListResponse(*this, result, q, BaseUrl(request, deps_.options.prefix));
}

}  // namespace provisio::scimserver
