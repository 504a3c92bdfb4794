#include "connectors/scim2/scim_connector.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>

#include "connectors/auth/auth_provider.h"
#include "connectors/error_class.h"
#include "connectors/scim2/scim_diff.h"
#include "connectors/scim2/scim_errors.h"
#include "core/json.h"
#include "scim/attr_path.h"
#include "scim/schema_urns.h"
#include "scim/text.h"

namespace provisio::connectors::scim2 {
namespace {

constexpr std::string_view kScimJson = "application/scim+json";
constexpr std::string_view kUsers = "/Users";
constexpr std::string_view kGroups = "/Groups";
constexpr std::string_view kExcludeMembers = "excludedAttributes=members";

std::string Encode(std::string_view s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

// `attr eq "value"` with the value as a JSON string, so quotes and backslashes are escaped.
std::string EqFilter(std::string_view attribute, std::string_view value) {
  return std::string(attribute) + " eq " + boost::json::serialize(boost::json::string(value));
}

Error Invalid(std::string message) {
  return ClassifiedError(ErrorClass::kInvalid, std::move(message));
}

Result<boost::json::object> ParseObject(const http::HttpResponse& r, std::string_view what) {
  auto v = json::Parse(r.body);
  if (!v.ok() || !v->is_object()) {
    return ClassifiedError(
        ErrorClass::kFatal,
        std::string(what) + " answered " + std::to_string(r.status) + " without a JSON object",
        {r.status, std::nullopt});
  }
  return std::move(v->as_object());
}

Account ToAccount(boost::json::object obj, const http::HttpResponse* r) {
  Account a;
  a.id = std::string(json::GetString(obj, "id").value_or(""));
  if (const auto* meta = obj.if_contains("meta"); meta != nullptr && meta->is_object()) {
    a.etag = std::string(json::GetString(meta->as_object(), "version").value_or(""));
  }
  if (a.etag.empty() && r != nullptr) a.etag = std::string(r->Header("ETag").value_or(""));
  a.attributes = std::move(obj);
  return a;
}

bool Supported(const boost::json::object& spc, std::string_view feature) {
  const auto* f = spc.if_contains(feature);
  if (f == nullptr || !f->is_object()) return false;
  return json::GetBool(f->as_object(), "supported").value_or(false);
}

boost::json::object PatchBody(boost::json::array ops) {
  return {{"schemas", boost::json::array{scim::kPatchOpSchema}}, {"Operations", std::move(ops)}};
}

// Top-level simple attribute of a listed resource, for matching when filters are unsupported.
bool AttributeEquals(const boost::json::object& resource, std::string_view attribute,
                     std::string_view value) {
  for (const auto& [k, v] : resource) {
    if (scim::IEquals(k, attribute) && v.is_string()) return scim::IEquals(v.as_string(), value);
  }
  return false;
}

}  // namespace

ScimConnector::ScimConnector(std::string base_url, ScimSettings settings, AuthorizedClient client,
                             const Clock& clock)
    : base_url_(std::move(base_url)),
      settings_(std::move(settings)),
      client_(std::move(client)),
      clock_(clock) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<http::HttpResponse> ScimConnector::Send(std::string_view method,
                                               std::string_view path_and_query,
                                               const boost::json::value* body,
                                               std::string_view if_match) {
  std::optional<std::string> text;
  if (body != nullptr) text = boost::json::serialize(*body);
  return SendText(method, path_and_query, std::move(text), if_match);
}

Result<http::HttpResponse> ScimConnector::SendText(std::string_view method,
                                                   std::string_view path_and_query,
                                                   std::optional<std::string> body,
                                                   std::string_view if_match) {
  http::HttpRequest req;
  req.method = std::string(method);
  req.url = base_url_ + std::string(path_and_query);
  req.timeout = settings_.timeout;
  req.insecure_skip_verify = settings_.insecure_skip_verify;
  req.SetHeader("Accept", std::string(kScimJson));
  if (body) {
    req.SetHeader("Content-Type", std::string(kScimJson));
    req.body = std::move(*body);
  }
  if (!if_match.empty()) req.SetHeader("If-Match", std::string(if_match));
  ASSIGN_OR_RETURN(http::HttpResponse r, client_.Send(std::move(req)));
  if (r.status < 200 || r.status > 299) {
    auto q = path_and_query.find('?');
    return ClassifyScimResponse(
        r, std::string(method) + " " + std::string(path_and_query.substr(0, q)), clock_.Now());
  }
  return r;
}

Result<ScimFeatures> ScimConnector::Features() {
  std::lock_guard lock(discovery_mu_);
  if (features_) return *features_;
  ScimFeatures f;
  auto r = Send("GET", "/ServiceProviderConfig", nullptr);
  if (!r.ok()) {
    if (ClassOf(r.error()) != ErrorClass::kNotFound) return std::move(r).error();
    spdlog::info("scim2 {}: no /ServiceProviderConfig; assuming PATCH and filters", base_url_);
  } else {
    ASSIGN_OR_RETURN(boost::json::object spc, ParseObject(*r, "GET /ServiceProviderConfig"));
    f.patch = Supported(spc, "patch");
    f.filter = Supported(spc, "filter");
    f.bulk = Supported(spc, "bulk");
    f.etag = Supported(spc, "etag");
    if (const auto* bulk = spc.if_contains("bulk"); f.bulk && bulk && bulk->is_object()) {
      const auto& b = bulk->as_object();
      f.bulk_max_operations =
          static_cast<size_t>(std::max<int64_t>(0, json::GetInt(b, "maxOperations").value_or(0)));
      f.bulk_max_payload_bytes =
          static_cast<size_t>(std::max<int64_t>(0, json::GetInt(b, "maxPayloadSize").value_or(0)));
      f.bulk = f.bulk_max_operations > 0;  // a /Bulk that takes no operation is no /Bulk
    }
    if (const auto* filter = spc.if_contains("filter"); filter && filter->is_object()) {
      f.filter_max_results = static_cast<size_t>(
          std::max<int64_t>(0, json::GetInt(filter->as_object(), "maxResults").value_or(0)));
    }
  }
  features_ = f;
  return f;
}

size_t ScimConnector::PageSize(size_t hint) {
  size_t n = std::clamp<size_t>(hint == 0 ? settings_.page_size : hint, 1, settings_.page_size);
  if (features_ && features_->filter_max_results > 0)
    n = std::min(n, features_->filter_max_results);
  return n;
}

Capabilities ScimConnector::capabilities() {
  Capabilities c;
  c.create_users = c.update_users = c.disable_users = c.delete_users = c.list_users = true;
  c.groups = c.membership = true;
  c.max_page_size = settings_.page_size;
  auto f = Features();
  if (f.ok()) {
    c.patch_users = f->patch;
    c.filter_users = f->filter;
    c.bulk = f->bulk;
    c.etag = f->etag;
    c.batch = f->bulk && settings_.bulk;
    // Disabling without PATCH means reading the account and replacing it: one by one.
    c.batch_deprovision = c.batch && f->patch;
    if (c.batch) {
      c.max_batch = settings_.bulk_max_operations == 0
                        ? f->bulk_max_operations
                        : std::min(settings_.bulk_max_operations, f->bulk_max_operations);
    }
    if (f->filter_max_results > 0)
      c.max_page_size = std::min(c.max_page_size, f->filter_max_results);
  }
  return c;
}

Status ScimConnector::Test() {
  RETURN_IF_ERROR(Features());
  ASSIGN_OR_RETURN(auto r, Send("GET", std::string(kUsers) + "?startIndex=1&count=1", nullptr));
  ASSIGN_OR_RETURN(auto body, ParseObject(r, "GET /Users"));
  if (!body.contains("totalResults")) {
    return ClassifiedError(ErrorClass::kFatal, "GET /Users did not answer a ListResponse");
  }
  return Ok();
}

Result<Account> ScimConnector::Create(std::string_view endpoint, std::string_view schema,
                                      const boost::json::object& desired) {
  RETURN_IF_ERROR(Features());
  boost::json::value body = desired;
  auto& obj = body.as_object();
  obj.erase("id");
  obj.erase("meta");
  SetSchemas(obj, schema);
  ASSIGN_OR_RETURN(auto r, Send("POST", endpoint, &body));
  ASSIGN_OR_RETURN(auto created, ParseObject(r, "POST " + std::string(endpoint)));
  Account a = ToAccount(std::move(created), &r);
  if (a.id.empty()) {
    return ClassifiedError(ErrorClass::kFatal, "POST " + std::string(endpoint) + " answered no id");
  }
  if (endpoint == kUsers) Remember(a);
  return a;
}

Result<Account> ScimConnector::Get(std::string_view endpoint, std::string_view id,
                                   std::string_view query) {
  if (id.empty()) return Invalid("empty id");
  std::string path = std::string(endpoint) + "/" + Encode(id);
  if (!query.empty()) path += "?" + std::string(query);
  auto r = Send("GET", path, nullptr);
  if (!r.ok()) {
    if (endpoint == kUsers) Forget(id);
    return std::move(r).error();
  }
  ASSIGN_OR_RETURN(auto obj, ParseObject(*r, "GET " + std::string(endpoint)));
  Account a = ToAccount(std::move(obj), &*r);
  if (endpoint == kUsers) Remember(a);
  return a;
}

Result<std::optional<Account>> ScimConnector::Find(std::string_view endpoint,
                                                   std::string_view attribute,
                                                   std::string_view value,
                                                   std::string_view extra_query) {
  if (!scim::ParseAttrPath(attribute).ok()) {
    return Invalid("not an attribute path: " + std::string(attribute));
  }
  ASSIGN_OR_RETURN(ScimFeatures f, Features());
  std::vector<Account> found;
  if (f.filter) {
    std::string path = std::string(endpoint) + "?filter=" + Encode(EqFilter(attribute, value));
    if (!extra_query.empty()) path += "&" + std::string(extra_query);
    ASSIGN_OR_RETURN(auto r, Send("GET", path, nullptr));
    ASSIGN_OR_RETURN(auto body, ParseObject(r, "GET " + std::string(endpoint)));
    if (const auto* res = body.if_contains("Resources"); res != nullptr && res->is_array()) {
      for (const auto& v : res->as_array()) {
        if (v.is_object()) found.push_back(ToAccount(v.as_object(), nullptr));
      }
    }
  } else {
    PageRequest page;
    do {
      ASSIGN_OR_RETURN(auto p, List(endpoint, page, extra_query));
      for (auto& a : p.items) {
        if (AttributeEquals(a.attributes, attribute, value)) found.push_back(std::move(a));
      }
      page.cursor = p.next_cursor;
    } while (!page.cursor.empty());
  }
  if (found.empty()) return std::optional<Account>();
  if (endpoint == kUsers) {
    for (const auto& a : found) Remember(a);
  }
  if (found.size() > 1) {
    return ClassifiedError(ErrorClass::kConflict, std::to_string(found.size()) + " resources in " +
                                                      std::string(endpoint) + " match " +
                                                      std::string(attribute));
  }
  return std::optional<Account>(std::move(found.front()));
}

Result<Account> ScimConnector::Replace(std::string_view endpoint, std::string_view id,
                                       const boost::json::object& desired,
                                       std::string_view version) {
  if (id.empty()) return Invalid("empty id");
  boost::json::value body = desired;
  body.as_object().erase("meta");
  body.as_object()["id"] = id;
  SetSchemas(body.as_object(), endpoint == kUsers ? scim::kUserSchema : scim::kGroupSchema);
  auto r = Send("PUT", std::string(endpoint) + "/" + Encode(id), &body, version);
  if (!r.ok()) {
    if (endpoint == kUsers) Forget(id);
    return std::move(r).error();
  }
  ASSIGN_OR_RETURN(auto obj, ParseObject(*r, "PUT " + std::string(endpoint)));
  Account a = ToAccount(std::move(obj), &*r);
  if (endpoint == kUsers) Remember(a);
  return a;
}

Result<Account> ScimConnector::Patch(std::string_view endpoint, std::string_view id,
                                     boost::json::array operations,
                                     const boost::json::object& fallback,
                                     std::string_view version) {
  boost::json::value body = PatchBody(std::move(operations));
  auto r = Send("PATCH", std::string(endpoint) + "/" + Encode(id), &body, version);
  if (!r.ok()) {
    if (endpoint == kUsers) Forget(id);
    return std::move(r).error();
  }
  Account a;
  if (r->status == 204 || r->body.empty()) {
    a.id = std::string(id);
    a.attributes = fallback;
    a.etag = std::string(r->Header("ETag").value_or(""));
  } else {
    ASSIGN_OR_RETURN(auto obj, ParseObject(*r, "PATCH " + std::string(endpoint)));
    a = ToAccount(std::move(obj), &*r);
  }
  if (endpoint == kUsers) Remember(a);
  return a;
}

Status ScimConnector::Delete(std::string_view endpoint, std::string_view id) {
  if (id.empty()) return Invalid("empty id");
  std::string version = endpoint == kUsers ? VersionFor(id, nullptr) : "";
  auto r = Send("DELETE", std::string(endpoint) + "/" + Encode(id), nullptr, version);
  if (endpoint == kUsers) Forget(id);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Result<Page<Account>> ScimConnector::List(std::string_view endpoint, const PageRequest& page,
                                          std::string_view extra_query) {
  RETURN_IF_ERROR(Features());
  int64_t start = 1;
  if (!page.cursor.empty()) {
    auto [p, ec] =
        std::from_chars(page.cursor.data(), page.cursor.data() + page.cursor.size(), start);
    if (ec != std::errc() || p != page.cursor.data() + page.cursor.size() || start < 1) {
      return Invalid("bad page cursor \"" + page.cursor + "\"");
    }
  }
  size_t count = PageSize(page.page_size);
  std::string path = std::string(endpoint) + "?startIndex=" + std::to_string(start) +
                     "&count=" + std::to_string(count);
  if (!extra_query.empty()) path += "&" + std::string(extra_query);
  ASSIGN_OR_RETURN(auto r, Send("GET", path, nullptr));
  ASSIGN_OR_RETURN(auto body, ParseObject(r, "GET " + std::string(endpoint)));
  std::vector<Account> all;
  if (const auto* res = body.if_contains("Resources"); res != nullptr && res->is_array()) {
    for (const auto& v : res->as_array()) {
      if (v.is_object()) all.push_back(ToAccount(v.as_object(), nullptr));
    }
  }
  Page<Account> out;
  int64_t total = json::GetInt(body, "totalResults").value_or(-1);
  if (total >= 0) out.total = static_cast<uint64_t>(total);
  int64_t answered_start = json::GetInt(body, "startIndex").value_or(start);
  if (answered_start != start || all.size() > count) {
    // The target ignored startIndex or count: page on this side over what it returned.
    int64_t skip = start - std::max<int64_t>(answered_start, 1);
    if (skip < 0) skip = 0;
    size_t from = std::min(all.size(), static_cast<size_t>(skip));
    size_t to = std::min(all.size(), from + count);
    out.items.assign(std::make_move_iterator(all.begin() + static_cast<ptrdiff_t>(from)),
                     std::make_move_iterator(all.begin() + static_cast<ptrdiff_t>(to)));
    if (to < all.size()) out.next_cursor = std::to_string(start + static_cast<int64_t>(count));
    return out;
  }
  int64_t next = start + static_cast<int64_t>(all.size());
  bool more = !all.empty() && (total < 0 || next - 1 < total);
  out.items = std::move(all);
  if (more) out.next_cursor = std::to_string(next);
  return out;
}

Result<Account> ScimConnector::CreateUser(const boost::json::object& desired) {
  return Create(kUsers, scim::kUserSchema, desired);
}

Result<Account> ScimConnector::GetUser(std::string_view id) { return Get(kUsers, id, ""); }

Result<std::optional<Account>> ScimConnector::FindUser(std::string_view attribute,
                                                       std::string_view value) {
  return Find(kUsers, attribute.empty() ? settings_.matching_attribute : attribute, value, "");
}

Result<Account> ScimConnector::ReplaceUser(std::string_view id,
                                           const boost::json::object& desired) {
  RETURN_IF_ERROR(Features());
  return Replace(kUsers, id, desired, VersionFor(id, &desired));
}

Result<Account> ScimConnector::PatchUser(std::string_view id, const boost::json::object& current,
                                         const boost::json::object& desired) {
  if (id.empty()) return Invalid("empty id");
  ASSIGN_OR_RETURN(ScimFeatures f, Features());
  std::string version = VersionFor(id, &current);
  if (!f.patch) return Replace(kUsers, id, MergeForReplace(current, desired), version);
  boost::json::array ops = DiffToPatchOperations(current, desired);
  if (ops.empty()) {
    Account a;
    a.id = std::string(id);
    a.attributes = current;
    return a;
  }
  return Patch(kUsers, id, std::move(ops), MergeForReplace(current, desired), version);
}

Status ScimConnector::DisableUser(std::string_view id) {
  if (id.empty()) return Invalid("empty id");
  ASSIGN_OR_RETURN(ScimFeatures f, Features());
  if (!f.patch) {
    ASSIGN_OR_RETURN(Account current, GetUser(id));
    current.attributes["active"] = false;
    auto r = Replace(kUsers, id, current.attributes, VersionFor(id, &current.attributes));
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }
  boost::json::array ops{
      boost::json::object{{"op", "replace"}, {"path", "active"}, {"value", false}}};
  auto r = Patch(kUsers, id, std::move(ops), {}, VersionFor(id, nullptr));
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Status ScimConnector::DeleteUser(std::string_view id) { return Delete(kUsers, id); }

Result<Page<Account>> ScimConnector::ListUsers(const PageRequest& page) {
  return List(kUsers, page, "");
}

Result<Account> ScimConnector::CreateGroup(const boost::json::object& desired) {
  return Create(kGroups, scim::kGroupSchema, desired);
}

Result<Account> ScimConnector::GetGroup(std::string_view id) {
  return Get(kGroups, id, kExcludeMembers);
}

Result<std::optional<std::vector<std::string>>> ScimConnector::MemberIds(
    std::string_view group_id) {
  ASSIGN_OR_RETURN(Account g, Get(kGroups, group_id, "attributes=members"));
  std::vector<std::string> ids;
  if (const auto* m = g.attributes.if_contains("members"); m && m->is_array()) {
    for (const auto& v : m->as_array()) {
      if (!v.is_object()) continue;
      if (const auto* id = v.as_object().if_contains("value"); id && id->is_string()) {
        ids.emplace_back(id->as_string());
      }
    }
  }
  return std::optional<std::vector<std::string>>(std::move(ids));
}

Result<std::optional<Account>> ScimConnector::FindGroup(std::string_view attribute,
                                                        std::string_view value) {
  return Find(kGroups, attribute.empty() ? "displayName" : attribute, value, kExcludeMembers);
}

Result<Account> ScimConnector::UpdateGroup(std::string_view id, const boost::json::object& current,
                                           const boost::json::object& desired) {
  if (id.empty()) return Invalid("empty id");
  ASSIGN_OR_RETURN(ScimFeatures f, Features());
  if (!f.patch) {
    // A replace carries the whole group: read it with its members so none is lost.
    ASSIGN_OR_RETURN(Account group, Get(kGroups, id, ""));
    return Replace(kGroups, id, MergeForReplace(group.attributes, desired));
  }
  boost::json::array ops = DiffToPatchOperations(current, desired);
  if (ops.empty()) {
    Account a;
    a.id = std::string(id);
    a.attributes = current;
    return a;
  }
  return Patch(kGroups, id, std::move(ops), MergeForReplace(current, desired));
}

Status ScimConnector::DeleteGroup(std::string_view id) { return Delete(kGroups, id); }

Result<Page<Account>> ScimConnector::ListGroups(const PageRequest& page) {
  return List(kGroups, page, kExcludeMembers);
}

Status ScimConnector::AddMembers(std::string_view group_id, std::span<const std::string> user_ids) {
  if (group_id.empty()) return Invalid("empty group id");
  ASSIGN_OR_RETURN(ScimFeatures f, Features());
  if (!f.patch) {
    ASSIGN_OR_RETURN(Account group, Get(kGroups, group_id, ""));
    boost::json::array members;
    if (auto* m = group.attributes.if_contains("members"); m && m->is_array())
      members = m->as_array();
    for (const auto& id : user_ids) {
      bool present = std::any_of(members.begin(), members.end(), [&](const boost::json::value& v) {
        return v.is_object() && json::GetString(v.as_object(), "value") == std::string_view(id);
      });
      if (!present) members.push_back(boost::json::object{{"value", id}});
    }
    group.attributes["members"] = std::move(members);
    auto r = Replace(kGroups, group_id, group.attributes);
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }
  for (size_t i = 0; i < user_ids.size(); i += settings_.membership_chunk) {
    boost::json::array value;
    for (size_t j = i; j < std::min(user_ids.size(), i + settings_.membership_chunk); ++j) {
      value.push_back(boost::json::object{{"value", user_ids[j]}});
    }
    boost::json::array ops{
        boost::json::object{{"op", "add"}, {"path", "members"}, {"value", std::move(value)}}};
    auto r = Patch(kGroups, group_id, std::move(ops), {});
    if (!r.ok()) return std::move(r).error();
  }
  return Ok();
}

Status ScimConnector::RemoveMembers(std::string_view group_id,
                                    std::span<const std::string> user_ids) {
  if (group_id.empty()) return Invalid("empty group id");
  ASSIGN_OR_RETURN(ScimFeatures f, Features());
  if (!f.patch) {
    ASSIGN_OR_RETURN(Account group, Get(kGroups, group_id, ""));
    boost::json::array kept;
    if (auto* m = group.attributes.if_contains("members"); m && m->is_array()) {
      for (const auto& v : m->as_array()) {
        auto value = v.is_object() ? json::GetString(v.as_object(), "value") : std::nullopt;
        if (!value || std::find(user_ids.begin(), user_ids.end(), *value) == user_ids.end()) {
          kept.push_back(v);
        }
      }
    }
    group.attributes["members"] = std::move(kept);
    auto r = Replace(kGroups, group_id, group.attributes);
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }
  for (size_t i = 0; i < user_ids.size(); i += settings_.membership_chunk) {
    std::string filter;
    for (size_t j = i; j < std::min(user_ids.size(), i + settings_.membership_chunk); ++j) {
      if (!filter.empty()) filter += " or ";
      filter += EqFilter("value", user_ids[j]);
    }
    boost::json::array ops{
        boost::json::object{{"op", "remove"}, {"path", "members[" + filter + "]"}}};
    auto r = Patch(kGroups, group_id, std::move(ops), {});
    // Removing members none of whom is in the group is not an error for the caller.
    if (!r.ok() && !(r.error().details().contains("http_status") &&
                     json::GetInt(r.error().details(), "http_status") == 400 &&
                     r.error().message().find("noTarget") != std::string::npos)) {
      return std::move(r).error();
    }
  }
  return Ok();
}

Result<std::unique_ptr<Connector>> OpenScimConnector(const ConnectorConfig& config,
                                                     const ConnectorEnv& env) {
  if (!config.base_url.starts_with("http://") && !config.base_url.starts_with("https://")) {
    return Error::InvalidArgument("base_url: an http(s) URL is required");
  }
  ASSIGN_OR_RETURN(ScimSettings settings, ParseScimSettings(config.settings));
  ASSIGN_OR_RETURN(auto auth, MakeAuthProvider(config.auth, env.http, env.clock));
  return std::unique_ptr<Connector>(
      std::make_unique<ScimConnector>(config.base_url, std::move(settings),
                                      AuthorizedClient(env.http, std::move(auth)), env.clock));
}

}  // namespace provisio::connectors::scim2
