#include "emulators/scim2/scim_emulator.h"
#include <algorithm>
#include <atomic>

#include <openssl/evp.h>

#include <boost/json.hpp>
#include <charconv>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <shared_mutex>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/clock.h"
#include "core/ids.h"
#include "core/json.h"
#include "scim/discovery.h"
#include "scim/errors.h"
#include "scim/filter_eval.h"
#include "scim/list_response.h"
#include "scim/patch.h"
#include "scim/resource.h"
#include "scim/schema.h"
#include "scim/schema_urns.h"
#include "scim/text.h"

namespace provisio::emulators {
namespace {

using http::Request;
using http::Response;

constexpr std::string_view kPrefix = "/scim/v2";
constexpr std::string_view kScimJson = "application/scim+json";

Response ScimJson(int status, const boost::json::value& v) {
  return Response::Json(status, v, std::string(kScimJson));
}

Response ScimError(const Error& e) {
  int status = scim::HttpStatusFor(e.code());
  return ScimJson(status, scim::ScimErrorBody(e));
}

Response ScimError(int status, std::string_view scim_type, std::string_view detail) {
  return ScimJson(status, scim::ScimErrorBody(status, scim_type, detail));
}

std::string Base64(std::string_view s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string VersionTag(uint64_t v) { return "W/\"" + std::to_string(v) + "\""; }

uint64_t ParseVersionTag(std::string_view tag) {
  uint64_t v = 1;
  if (tag.starts_with("W/\"") && tag.ends_with("\"")) tag = tag.substr(3, tag.size() - 4);
  std::from_chars(tag.data(), tag.data() + tag.size(), v);
  return v;
}

int64_t QueryInt(const Request& req, std::string_view name, int64_t fallback) {
  auto v = req.Query(name);
  if (!v) return fallback;
  int64_t n = fallback;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  return ec == std::errc() && p == v->data() + v->size() ? n : fallback;
}

struct Entry {
  boost::json::object resource;  // stored form, meta included
  uint64_t seq = 0;
  uint64_t version = 1;
};

struct Collection {
  const scim::ResourceType* type = nullptr;
  std::map<uint64_t, std::string> order;  // creation order -> id
  std::unordered_map<std::string, Entry> by_id;
  std::unordered_map<std::string, std::string> by_unique;  // lower(userName) -> id (Users only)
  bool unique_key = false;                                 // userName is unique
  std::string unique_attr;

  std::optional<std::string> UniqueKey(const boost::json::object& r) const {
    if (!unique_key) return std::nullopt;
    auto v = provisio::json::GetString(r, unique_attr);
    if (!v) return std::nullopt;
    return scim::ToLower(*v);
  }
};

}  // namespace

struct ScimEmulator::Impl {
  ScimEmulatorOptions options;
  scim::SchemaRegistry registry = scim::SchemaRegistry::WithCoreSchemas();
  FaultInjector faults;
  std::string bearer_header;
  std::string basic_header;
  SystemClock clock;
  mutable std::shared_mutex mu;
  // Requests that reached a handler, by method: what tests read to prove "no write call".
  std::atomic<int64_t> gets{0}, posts{0}, puts{0}, patches{0}, deletes{0};
  std::atomic<int64_t> bulk_requests{0}, bulk_operations{0};
  std::atomic<int64_t> precondition_failed{0};  // 412s answered to a stale If-Match
  // Requests being answered right now, and the most there ever were at once (faults and
  // their delays included): what tests read to prove a client's concurrency cap.
  std::atomic<int64_t> in_flight{0}, max_in_flight{0};
  struct InFlight {
    Impl* impl;
    explicit InFlight(Impl* i) : impl(i) {
      int64_t now = ++impl->in_flight;
      int64_t seen = impl->max_in_flight.load();
      while (now > seen && !impl->max_in_flight.compare_exchange_weak(seen, now)) {
      }
    }
    ~InFlight() { --impl->in_flight; }
  };
  void Count(const Request& req) {
    if (req.method == "GET")
      ++gets;
    else if (req.method == "POST")
      ++posts;
    else if (req.method == "PUT")
      ++puts;
    else if (req.method == "PATCH")
      ++patches;
    else if (req.method == "DELETE")
      ++deletes;
  }
  Collection users;
  Collection groups;
  uint64_t next_seq = 1;

  explicit Impl(ScimEmulatorOptions o)
      : options(std::move(o)), faults(options.faults, options.seed) {
    if (!options.token.empty()) bearer_header = "Bearer " + options.token;
    if (!options.basic.empty()) basic_header = "Basic " + Base64(options.basic);
    users.type = registry.FindResourceType("User");
    users.unique_key = true;
    users.unique_attr = "userName";
    groups.type = registry.FindResourceType("Group");
  }

  Collection& For(std::string_view resource_type) {
    return resource_type == "Users" ? users : groups;
  }

  static std::string BaseUrl(const Request& req) {
    std::string host(req.Header("Host").value_or("localhost"));
    return std::string(req.secure ? "https://" : "http://") + host + std::string(kPrefix);
  }

  // Authentication and faults, before any handler. nullopt: go on.
  std::optional<Response> Gate(const Request& req) {
    FaultOutcome f = faults.Next();
    if (f.delay.count() > 0) std::this_thread::sleep_for(f.delay);
    if (f.status != 0) {
      Response r = ScimError(f.status, "", "injected fault");
      if (f.retry_after_seconds) r.SetHeader("Retry-After", std::to_string(*f.retry_after_seconds));
      return r;
    }
    if (bearer_header.empty() && basic_header.empty()) return std::nullopt;
    auto auth = req.Header("Authorization");
    if (auth && ((!bearer_header.empty() && *auth == bearer_header) ||
                 (!basic_header.empty() && *auth == basic_header))) {
      return std::nullopt;
    }
    Response r = ScimError(401, "", "authentication required");
    r.SetHeader("WWW-Authenticate", bearer_header.empty() ? "Basic realm=\"scim\"" : "Bearer");
    return r;
  }

  boost::json::object Meta(const Collection& c, const std::string& id, uint64_t version,
                           const std::string& created, const std::string& base) const {
    std::string now = FormatRfc3339(clock.Now());
    return boost::json::object{{"resourceType", c.type->id},
                               {"created", created.empty() ? now : created},
                               {"lastModified", now},
                               {"location", base + c.type->endpoint + "/" + id},
                               {"version", VersionTag(version)}};
  }

  Response Representation(int status, const Collection& c, const Entry& e, const Request& req) {
    auto projection = scim::ParseProjection(req.Query("attributes").value_or(""),
                                            req.Query("excludedAttributes").value_or(""), *c.type);
    if (!projection.ok()) return ScimError(projection.error());
    Response r = ScimJson(status, scim::SerializeResource(e.resource, *c.type, *projection));
    r.SetHeader("ETag", VersionTag(e.version));
    if (status == 201) {
      r.SetHeader("Location", std::string(provisio::json::GetString(
                                              e.resource.at("meta").as_object(), "location")
                                              .value_or("")));
    }
    return r;
  }

  // Members must name existing users or groups (checked under the lock).
  // A group PATCH whose member operations are ids (scim::ExtractMemberOps), applied with a set:
  // the new resource, or nullopt when the request needs the generic PATCH.
  Result<std::optional<boost::json::object>> PatchMembers(const boost::json::object& resource,
                                                          const boost::json::object& request,
                                                          const scim::ResourceType& type) const {
    auto delta = scim::ExtractMemberOps(boost::json::value(request), type);
    if (!delta.ok()) {
      if (delta.error().code() == Code::kNotImplemented)
        return std::optional<boost::json::object>();
      return std::move(delta).error();
    }
    if (delta->empty()) return std::optional<boost::json::object>();
    for (const auto& added : delta->added) {
      if (!users.by_id.contains(added) && !groups.by_id.contains(added)) {
        return scim::InvalidValueError("member \"" + added + "\" does not exist");
      }
    }
    boost::json::object out = resource;
    boost::json::array members;
    if (auto* m = out.if_contains("members"); m != nullptr && m->is_array()) {
      members = std::move(m->as_array());
    }
    out.erase("members");
    if (!delta->rest.empty()) {
      auto rest = scim::ApplyPatch(out, delta->rest, type);
      if (!rest.ok()) return std::move(rest).error();
      out = std::move(rest).value();
      out.erase("members");
    }
    std::unordered_set<std::string> removed(delta->removed.begin(), delta->removed.end());
    std::unordered_set<std::string> present;
    boost::json::array kept;
    if (!delta->replace_all) {
      for (auto& member : members) {
        auto value = member.is_object() ? provisio::json::GetString(member.as_object(), "value")
                                        : std::nullopt;
        if (!value || removed.contains(std::string(*value))) continue;
        present.insert(std::string(*value));
        kept.push_back(std::move(member));
      }
    }
    for (const auto& added : delta->added) {
      if (present.insert(added).second) kept.push_back(boost::json::object{{"value", added}});
    }
    if (!kept.empty()) out["members"] = std::move(kept);
    return std::optional<boost::json::object>(std::move(out));
  }

  Status CheckMembers(const boost::json::object& r) const {
    const auto* m = r.if_contains("members");
    if (m == nullptr || !m->is_array()) return Ok();
    for (const auto& v : m->as_array()) {
      auto id = v.is_object() ? provisio::json::GetString(v.as_object(), "value") : std::nullopt;
      if (!id ||
          (!users.by_id.contains(std::string(*id)) && !groups.by_id.contains(std::string(*id)))) {
        return scim::InvalidValueError("member \"" + std::string(id.value_or("")) +
                                       "\" does not exist");
      }
    }
    return Ok();
  }

  Status CheckUnique(const Collection& c, const boost::json::object& r,
                     const std::string& self) const {
    auto key = c.UniqueKey(r);
    if (!key) return Ok();
    auto it = c.by_unique.find(*key);
    if (it != c.by_unique.end() && it->second != self) {
      return Error(Code::kUniqueness,
                   c.unique_attr + " \"" +
                       std::string(*provisio::json::GetString(r, c.unique_attr)) +
                       "\" is already taken");
    }
    return Ok();
  }

  // Stores `resource` (normalised, without meta) under `id`; the lock is held.
  Entry& Put(Collection& c, const std::string& id, boost::json::object resource,
             const std::string& base) {
    auto it = c.by_id.find(id);
    std::string created;
    if (it == c.by_id.end()) {
      Entry e;
      e.seq = next_seq++;
      c.order[e.seq] = id;
      it = c.by_id.emplace(id, std::move(e)).first;
    } else {
      ++it->second.version;
      if (auto old = c.UniqueKey(it->second.resource)) c.by_unique.erase(*old);
      if (const auto* m = it->second.resource.if_contains("meta"); m && m->is_object()) {
        created = std::string(provisio::json::GetString(m->as_object(), "created").value_or(""));
      }
    }
    resource["id"] = id;
    resource["meta"] = Meta(c, id, it->second.version, created, base);
    if (auto key = c.UniqueKey(resource)) c.by_unique[*key] = id;
    it->second.resource = std::move(resource);
    return it->second;
  }

  void Erase(Collection& c, const std::string& id) {
    auto it = c.by_id.find(id);
    if (it == c.by_id.end()) return;
    if (auto key = c.UniqueKey(it->second.resource)) c.by_unique.erase(*key);
    c.order.erase(it->second.seq);
    c.by_id.erase(it);
    // RFC 7644 §3.6: a deleted resource no longer appears in any group.
    for (auto& [gid, g] : groups.by_id) {
      auto* m = g.resource.if_contains("members");
      if (m == nullptr || !m->is_array()) continue;
      auto& arr = m->as_array();
      uint64_t removed = 0;
      for (size_t i = arr.size(); i-- > 0;) {
        if (arr[i].is_object() &&
            provisio::json::GetString(arr[i].as_object(), "value") == std::string_view(id)) {
          arr.erase(arr.begin() + static_cast<ptrdiff_t>(i));
          ++removed;
        }
      }
      // After the loop: g.resource["meta"] may move the group's members (Boost.JSON's
      // operator[] reserves room first), and `arr` with them.
      if (removed > 0) {
        g.version += removed;
        g.resource["meta"].as_object()["version"] = VersionTag(g.version);
      }
    }
  }

  std::optional<Response> CheckIfMatch(const Request& req, const Entry& e) {
    auto match = req.Header("If-Match");
    if (!match || *match == "*" || *match == VersionTag(e.version)) return std::nullopt;
    ++precondition_failed;
    return ScimError(412, "",
                     "If-Match does not match the current version " + VersionTag(e.version));
  }

  Result<boost::json::object> Body(const Request& req) {
    auto v = provisio::json::Parse(req.body);
    if (!v.ok()) return scim::InvalidSyntaxError("the body is not JSON: " + v.error().message());
    if (!v->is_object()) return scim::InvalidSyntaxError("the body must be a JSON object");
    return std::move(v->as_object());
  }

  Response Create(const Request& req, std::string_view rt) {
    Collection& c = For(rt);
    auto body = Body(req);
    if (!body.ok()) return ScimError(body.error());
    auto normalized = scim::NormalizeResource(*body, *c.type);
    if (!normalized.ok()) return ScimError(normalized.error());
    std::unique_lock lock(mu);
    if (auto s = CheckUnique(c, *normalized, ""); !s.ok()) return ScimError(s.error());
    if (auto s = CheckMembers(*normalized); !s.ok()) return ScimError(s.error());
    Entry& e = Put(c, NewUuid(), std::move(normalized).value(), BaseUrl(req));
    return Representation(201, c, e, req);
  }

  Response Get(const Request& req, std::string_view rt) {
    Collection& c = For(rt);
    std::shared_lock lock(mu);
    auto it = c.by_id.find(std::string(req.Param("id")));
    if (it == c.by_id.end()) return ScimError(404, "", "no such resource");
    return Representation(200, c, it->second, req);
  }

  Response Replace(const Request& req, std::string_view rt) {
    Collection& c = For(rt);
    auto body = Body(req);
    if (!body.ok()) return ScimError(body.error());
    std::unique_lock lock(mu);
    std::string id(req.Param("id"));
    auto it = c.by_id.find(id);
    if (it == c.by_id.end()) return ScimError(404, "", "no such resource");
    if (auto r = CheckIfMatch(req, it->second)) return *r;
    scim::NormalizeOptions o;
    o.mode = scim::WriteMode::kReplace;
    o.existing = &it->second.resource;
    auto normalized = scim::NormalizeResource(*body, *c.type, o);
    if (!normalized.ok()) return ScimError(normalized.error());
    normalized->erase("meta");
    if (auto s = CheckUnique(c, *normalized, id); !s.ok()) return ScimError(s.error());
    if (auto s = CheckMembers(*normalized); !s.ok()) return ScimError(s.error());
    Entry& e = Put(c, id, std::move(normalized).value(), BaseUrl(req));
    return Representation(200, c, e, req);
  }

  Response Patch(const Request& req, std::string_view rt) {
    Collection& c = For(rt);
    auto body = Body(req);
    if (!body.ok()) return ScimError(body.error());
    std::unique_lock lock(mu);
    std::string id(req.Param("id"));
    auto it = c.by_id.find(id);
    if (it == c.by_id.end()) return ScimError(404, "", "no such resource");
    if (auto r = CheckIfMatch(req, it->second)) return *r;
    // Member changes by id, as a directory indexes them: a PATCH adding 100 members to a group
    // of 100,000 costs its 100 adds, not 100 scans of the group. What cannot be said by id (a
    // filter on members, a sub-attribute path) goes through the generic PATCH.
    auto patched = rt == "Groups" ? PatchMembers(it->second.resource, *body, *c.type)
                                  : Result<std::optional<boost::json::object>>(std::nullopt);
    if (!patched.ok()) return ScimError(patched.error());
    if (!*patched) {
      auto generic = scim::ApplyPatch(it->second.resource, boost::json::value(*body), *c.type);
      if (!generic.ok()) return ScimError(generic.error());
      if (auto s = CheckMembers(*generic); !s.ok()) return ScimError(s.error());
      *patched = std::move(generic).value();
    }
    (*patched)->erase("meta");
    if (auto s = CheckUnique(c, **patched, id); !s.ok()) return ScimError(s.error());
    Entry& e = Put(c, id, std::move(**patched), BaseUrl(req));
    if (rt == "Groups" && !req.Query("attributes")) {
      Response r = Response::NoContent();  // as Entra expects for member changes
      r.SetHeader("ETag", VersionTag(e.version));
      return r;
    }
    return Representation(200, c, e, req);
  }

  Response Delete(const Request& req, std::string_view rt) {
    Collection& c = For(rt);
    std::unique_lock lock(mu);
    std::string id(req.Param("id"));
    auto it = c.by_id.find(id);
    if (it == c.by_id.end()) return ScimError(404, "", "no such resource");
    if (auto r = CheckIfMatch(req, it->second)) return *r;
    Erase(c, id);
    return Response::NoContent();
  }

  // Replaces "bulkId:x" strings (in data, or a path segment) with x's id; returns the first
  // bulkId not created yet, or "".
  static std::string ResolveBulkIds(boost::json::value& v,
                                    const std::map<std::string, std::string>& created) {
    if (v.is_string()) {
      std::string_view s = v.as_string();
      if (!s.starts_with("bulkId:")) return "";
      auto it = created.find(std::string(s.substr(7)));
      if (it == created.end()) return std::string(s.substr(7));
      v = it->second;
    } else if (v.is_array()) {
      for (auto& e : v.as_array()) {
        if (auto m = ResolveBulkIds(e, created); !m.empty()) return m;
      }
    } else if (v.is_object()) {
      for (auto& [k, e] : v.as_object()) {
        if (auto m = ResolveBulkIds(e, created); !m.empty()) return m;
      }
    }
    return "";
  }

  // POST /Bulk (RFC 7644 §3.7). Operations run in order, each as its own request would, and
  // are not atomic; failOnErrors stops after that many errors, keeping what was done.
  Response Bulk(const Request& req) {
    ++bulk_requests;
    if (req.body.size() > options.bulk_max_payload_bytes) {
      return ScimError(413, "",
                       "the request is " + std::to_string(req.body.size()) +
                           " bytes; maxPayloadSize is " +
                           std::to_string(options.bulk_max_payload_bytes));
    }
    auto body = Body(req);
    if (!body.ok()) return ScimError(body.error());
    bool schema_ok = false;
    if (const auto* s = body->if_contains("schemas"); s && s->is_array()) {
      for (const auto& v : s->as_array()) {
        schema_ok = schema_ok || (v.is_string() && v.as_string() == scim::kBulkRequestSchema);
      }
    }
    if (!schema_ok) {
      return ScimError(400, "invalidSyntax",
                       "schemas must contain " + std::string(scim::kBulkRequestSchema));
    }
    int64_t fail_on_errors = 0;
    if (const auto* f = body->if_contains("failOnErrors")) {
      if (!f->is_int64() || f->as_int64() < 1) {
        return ScimError(400, "invalidSyntax", "failOnErrors must be a positive integer");
      }
      fail_on_errors = f->as_int64();
    }
    const auto* ops = body->if_contains("Operations");
    if (ops == nullptr || !ops->is_array()) {
      return ScimError(400, "invalidSyntax", "Operations must be an array");
    }
    if (ops->as_array().size() > options.bulk_max_operations) {
      return ScimError(413, "",
                       "the request has " + std::to_string(ops->as_array().size()) +
                           " operations; maxOperations is " +
                           std::to_string(options.bulk_max_operations));
    }
    bulk_operations += static_cast<int64_t>(ops->as_array().size());
    std::map<std::string, std::string> created;
    boost::json::array results;
    int64_t errors = 0;
    for (const auto& o : ops->as_array()) {
      if (fail_on_errors > 0 && errors >= fail_on_errors) break;
      boost::json::object result;
      auto fail = [&](int status, std::string_view type, std::string_view detail) {
        ++errors;
        result["status"] = std::to_string(status);
        result["response"] = scim::ScimErrorBody(status, type, detail);
        results.push_back(std::move(result));
      };
      if (!o.is_object()) {
        fail(400, "invalidSyntax", "an operation must be an object");
        continue;
      }
      const auto& op = o.as_object();
      std::string method(provisio::json::GetString(op, "method").value_or(""));
      std::string path(provisio::json::GetString(op, "path").value_or(""));
      std::string bulk_id(provisio::json::GetString(op, "bulkId").value_or(""));
      result["method"] = method;
      if (!bulk_id.empty()) result["bulkId"] = bulk_id;
      if (method == "POST" && bulk_id.empty()) {
        fail(400, "invalidSyntax", "bulkId is required for POST");
        continue;
      }
      boost::json::value data = op.contains("data") ? op.at("data") : boost::json::value();
      std::string missing = ResolveBulkIds(data, created);
      if (missing.empty() && path.find("bulkId:") != std::string::npos) {
        auto at = path.find("bulkId:");
        auto it = created.find(path.substr(at + 7));
        if (it == created.end()) {
          missing = path.substr(at + 7);
        } else {
          path = path.substr(0, at) + it->second;
        }
      }
      if (!missing.empty()) {
        fail(409, "invalidValue", "bulkId '" + missing + "' is not created by this request");
        continue;
      }
      // /Users, /Groups, /Users/{id}, /Groups/{id}
      std::string rt, id;
      for (std::string_view name : {"Users", "Groups"}) {
        std::string base = "/" + std::string(name);
        if (path == base) {
          rt = name;
        } else if (path.starts_with(base + "/") && path.size() > base.size() + 1) {
          rt = name;
          id = path.substr(base.size() + 1);
        }
      }
      bool item_method = method == "PUT" || method == "PATCH" || method == "DELETE";
      if (rt.empty() || (method == "POST") != id.empty() || (method != "POST" && !item_method)) {
        fail(400, "invalidPath", "bad method or path: " + method + " " + path);
        continue;
      }
      Request sub;
      sub.method = method;
      sub.headers = req.headers;
      sub.secure = req.secure;
      std::erase_if(sub.headers, [](const auto& h) {
        return http::EqualsIgnoreCase(h.first, "If-Match") ||
               http::EqualsIgnoreCase(h.first, "Content-Length");
      });
      if (auto v = provisio::json::GetString(op, "version"))
        sub.headers.emplace_back("If-Match", *v);
      if (!id.empty()) sub.params["id"] = id;
      if (!data.is_null()) sub.body = boost::json::serialize(data);
      Response r = method == "POST"    ? Create(sub, rt)
                   : method == "PUT"   ? Replace(sub, rt)
                   : method == "PATCH" ? Patch(sub, rt)
                                       : Delete(sub, rt);
      result["status"] = std::to_string(r.status);
      auto answered = r.body.empty() ? Result<boost::json::value>(boost::json::value())
                                     : provisio::json::Parse(r.body);
      if (r.status >= 300) {
        ++errors;
        if (answered.ok()) result["response"] = *answered;
        results.push_back(std::move(result));
        continue;
      }
      if (method == "POST" && answered.ok() && answered->is_object()) {
        created[bulk_id] =
            std::string(provisio::json::GetString(answered->as_object(), "id").value_or(""));
      }
      std::string location =
          BaseUrl(req) + "/" + rt + "/" + (method == "POST" ? created[bulk_id] : id);
      result["location"] = location;  // for DELETE too, as in RFC 7644 §3.7.3's example
      for (const auto& [k, v] : r.headers) {
        if (http::EqualsIgnoreCase(k, "ETag")) result["version"] = v;
      }
      results.push_back(std::move(result));
    }
    return ScimJson(200,
                    boost::json::object{{"schemas", boost::json::array{scim::kBulkResponseSchema}},
                                        {"Operations", std::move(results)}});
  }

  // True when `f` is `attr eq "v"`, or such comparisons joined by `or`; collects the values.
  static bool UniqueKeys(const scim::Filter& f, std::string_view attr,
                         std::vector<std::string>& out) {
    if (const auto* cmp = std::get_if<scim::Comparison>(&f.node)) {
      if (cmp->op != scim::CompareOp::kEq || !cmp->path.sub.empty() ||
          !scim::IEquals(cmp->path.attr, attr) || !cmp->value.is_string()) {
        return false;
      }
      out.emplace_back(cmp->value.as_string());
      return true;
    }
    const auto* logical = std::get_if<scim::Logical>(&f.node);
    return logical != nullptr && logical->op == scim::LogicalOp::kOr &&
           UniqueKeys(*logical->lhs, attr, out) && UniqueKeys(*logical->rhs, attr, out);
  }

  Response List(const Request& req, std::string_view rt) {
    Collection& c = For(rt);
    std::optional<scim::Filter> filter;
    if (auto text = req.Query("filter"); text && !text->empty()) {
      auto f = scim::ParseFilter(*text, *c.type);
      if (!f.ok()) return ScimError(f.error());
      filter = std::move(f).value();
    }
    auto projection = scim::ParseProjection(req.Query("attributes").value_or(""),
                                            req.Query("excludedAttributes").value_or(""), *c.type);
    if (!projection.ok()) return ScimError(projection.error());
    int64_t start = std::max<int64_t>(1, QueryInt(req, "startIndex", 1));
    int64_t count =
        std::clamp<int64_t>(QueryInt(req, "count", static_cast<int64_t>(options.max_results)), 0,
                            static_cast<int64_t>(options.max_results));
    std::shared_lock lock(mu);
    std::vector<const Entry*> matches;
    std::vector<std::string> keys;
    if (filter && c.unique_key && UniqueKeys(*filter, c.unique_attr, keys)) {
      // userName eq "..." (or several, joined by or): the unique index answers (userName is
      // caseExact=false), in creation order as a scan would.
      std::set<uint64_t> seen;
      for (const auto& key : keys) {
        auto it = c.by_unique.find(scim::ToLower(key));
        if (it != c.by_unique.end()) {
          const Entry& e = c.by_id.at(it->second);
          if (seen.insert(e.seq).second) matches.push_back(&e);
        }
      }
      std::sort(matches.begin(), matches.end(),
                [](const Entry* a, const Entry* b) { return a->seq < b->seq; });
    } else if (!filter) {
      // Everything: only the page asked for is looked up (a listing of N resources in pages
      // costs N lookups, not N per page).
      boost::json::array page;
      auto it = c.order.begin();
      std::advance(it, std::min<size_t>(static_cast<size_t>(start - 1), c.order.size()));
      for (; it != c.order.end() && page.size() < static_cast<size_t>(count); ++it) {
        page.push_back(
            scim::SerializeResource(c.by_id.at(it->second).resource, *c.type, *projection));
      }
      return ScimJson(200, scim::ListResponseBody(std::move(page), c.order.size(), start));
    } else {
      matches.reserve(16);
      for (const auto& [seq, id] : c.order) {
        const Entry& e = c.by_id.at(id);
        if (scim::Matches(*filter, e.resource, *c.type)) matches.push_back(&e);
      }
    }
    boost::json::array page;
    for (size_t i = static_cast<size_t>(start - 1);
         i < matches.size() && page.size() < static_cast<size_t>(count); ++i) {
      page.push_back(scim::SerializeResource(matches[i]->resource, *c.type, *projection));
    }
    return ScimJson(200, scim::ListResponseBody(std::move(page), matches.size(), start));
  }

  void SeedUsers(size_t n) {
    std::unique_lock lock(mu);
    for (size_t i = 1; i <= n; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "user%05zu", i);
      boost::json::object u{
          {"schemas", boost::json::array{scim::kUserSchema}},
          {"userName", name},
          {"externalId", std::string("ext-") + name},
          {"name", boost::json::object{{"givenName", "User"}, {"familyName", std::to_string(i)}}},
          {"displayName", std::string("User ") + std::to_string(i)},
          {"emails",
           boost::json::array{boost::json::object{{"value", std::string(name) + "@example.com"},
                                                  {"type", "work"},
                                                  {"primary", true}}}},
          {"active", true}};
      if (users.by_unique.contains(name)) continue;
      Put(users, NewUuid(), std::move(u), "http://localhost" + std::string(kPrefix));
    }
  }
};

ScimEmulator::ScimEmulator(ScimEmulatorOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
ScimEmulator::~ScimEmulator() = default;

void ScimEmulator::AddRoutes(http::Router& router) {
  Impl* impl = impl_.get();
  auto gated = [impl](auto fn) {
    return [impl, fn](Request& req) -> Response {
      Impl::InFlight counted(impl);
      if (auto r = impl->Gate(req)) return *r;
      impl->Count(req);
      return fn(req);
    };
  };
  std::string p(kPrefix);
  router.Add("GET", p + "/ServiceProviderConfig", gated([impl](Request& req) {
               scim::ServiceProviderFeatures f;
               f.bulk = impl->options.bulk_max_operations > 0;
               f.bulk_max_operations = static_cast<int>(impl->options.bulk_max_operations);
               f.bulk_max_payload_size =
                   f.bulk ? static_cast<int>(impl->options.bulk_max_payload_bytes) : 0;
               f.sort = false;
               f.etag = true;
               f.filter_max_results = static_cast<int>(impl->options.max_results);
               f.authentication_schemes.clear();
               if (!impl->bearer_header.empty()) f.authentication_schemes.push_back({});
               if (!impl->basic_header.empty()) {
                 f.authentication_schemes.push_back(
                     {"httpbasic", "HTTP Basic", "Authentication scheme using HTTP Basic",
                      "https://www.rfc-editor.org/info/rfc7617", "", impl->bearer_header.empty()});
               }
               return ScimJson(200, scim::ServiceProviderConfigDocument(f, Impl::BaseUrl(req)));
             }));
  router.Add("GET", p + "/Schemas", gated([impl](Request& req) {
               return ScimJson(200, scim::SchemasDocument(impl->registry, Impl::BaseUrl(req)));
             }));
  router.Add("GET", p + "/ResourceTypes", gated([impl](Request& req) {
               return ScimJson(200,
                               scim::ResourceTypesDocument(impl->registry, Impl::BaseUrl(req)));
             }));
  // Not part of SCIM: the emulator's own counters, for tests and benchmarks. No faults.
  router.Add("GET", "/_emulator/stats", [impl](Request&) {
    int64_t writes = impl->posts + impl->puts + impl->patches + impl->deletes;
    boost::json::object requests{{"GET", impl->gets.load()},
                                 {"POST", impl->posts.load()},
                                 {"PUT", impl->puts.load()},
                                 {"PATCH", impl->patches.load()},
                                 {"DELETE", impl->deletes.load()}};
    std::shared_lock lock(impl->mu);
    return Response::Json(
        200, boost::json::object{
                 {"requests", std::move(requests)},
                 {"writes", writes},
                 {"precondition_failed", impl->precondition_failed.load()},
                 {"max_in_flight", impl->max_in_flight.load()},
                 {"bulk", boost::json::object{{"requests", impl->bulk_requests.load()},
                                              {"operations", impl->bulk_operations.load()}}},
                 {"users", static_cast<int64_t>(impl->users.by_id.size())},
                 {"groups", static_cast<int64_t>(impl->groups.by_id.size())}});
  });
  if (impl->options.bulk_max_operations > 0) {
    http::RouteOptions limits;
    limits.max_body_bytes = impl->options.bulk_max_payload_bytes * 2;  // 413 from the handler
    router.Add("POST", p + "/Bulk", gated([impl](Request& req) { return impl->Bulk(req); }),
               limits);
  }
  for (std::string rt : {"Users", "Groups"}) {
    router.Add("GET", p + "/" + rt,
               gated([impl, rt](Request& req) { return impl->List(req, rt); }));
    router.Add("POST", p + "/" + rt,
               gated([impl, rt](Request& req) { return impl->Create(req, rt); }));
    std::string item = p + "/" + rt + "/{id}";
    router.Add("GET", item, gated([impl, rt](Request& req) { return impl->Get(req, rt); }));
    router.Add("PUT", item, gated([impl, rt](Request& req) { return impl->Replace(req, rt); }));
    router.Add("PATCH", item, gated([impl, rt](Request& req) { return impl->Patch(req, rt); }));
    router.Add("DELETE", item, gated([impl, rt](Request& req) { return impl->Delete(req, rt); }));
  }
}

void ScimEmulator::SeedUsers(size_t count) { impl_->SeedUsers(count); }

size_t ScimEmulator::user_count() const {
  std::shared_lock lock(impl_->mu);
  return impl_->users.by_id.size();
}

size_t ScimEmulator::group_count() const {
  std::shared_lock lock(impl_->mu);
  return impl_->groups.by_id.size();
}

Status ScimEmulator::Save(const std::string& file) const {
  boost::json::object snapshot;
  {
    std::shared_lock lock(impl_->mu);
    for (const Collection* c : {&impl_->users, &impl_->groups}) {
      boost::json::array items;
      for (const auto& [seq, id] : c->order) items.push_back(c->by_id.at(id).resource);
      snapshot[c == &impl_->users ? "Users" : "Groups"] = std::move(items);
    }
  }
  std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << boost::json::serialize(snapshot);
    if (!out) return Error::Internal("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), file.c_str()) != 0) return Error::Internal("cannot rename " + tmp);
  return Ok();
}

Status ScimEmulator::Load(const std::string& file) {
  std::ifstream in(file);
  if (!in) return Error::NotFound("no state file " + file);
  std::stringstream text;
  text << in.rdbuf();
  auto v = provisio::json::Parse(text.str());
  if (!v.ok() || !v->is_object()) return Error::InvalidArgument(file + ": not a JSON object");
  std::unique_lock lock(impl_->mu);
  for (const char* rt : {"Users", "Groups"}) {
    Collection& c = impl_->For(rt);
    c.order.clear();
    c.by_id.clear();
    c.by_unique.clear();
    const auto* items = v->as_object().if_contains(rt);
    if (items == nullptr || !items->is_array()) continue;
    for (const auto& item : items->as_array()) {
      if (!item.is_object()) continue;
      const auto& r = item.as_object();
      std::string id(provisio::json::GetString(r, "id").value_or(""));
      if (id.empty()) continue;
      Entry e;
      e.seq = impl_->next_seq++;
      e.resource = r;
      if (const auto* m = r.if_contains("meta"); m && m->is_object()) {
        e.version =
            ParseVersionTag(provisio::json::GetString(m->as_object(), "version").value_or(""));
      }
      if (auto key = c.UniqueKey(r)) c.by_unique[*key] = id;
      c.order[e.seq] = id;
      c.by_id.emplace(id, std::move(e));
    }
  }
  return Ok();
}

}  // namespace provisio::emulators
