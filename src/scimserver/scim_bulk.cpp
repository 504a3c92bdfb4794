#include "scimserver/scim_bulk.h"

#include <deque>
#include <map>
#include <set>

#include "scim/errors.h"
#include "scimserver/scim_http.h"

namespace provisio::scimserver {
namespace {

constexpr std::string_view kBulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
constexpr std::string_view kBulkResponse = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

struct Operation {
  size_t index = 0;
  std::string method;
  std::string path;
  std::string bulk_id;
  std::optional<std::string> version;
  boost::json::value data;
};

// Replaces every "bulkId:x" string in `v` with x's id. Returns the first unresolved bulkId
// (the operation must wait for it), or "" when all resolved.
std::string Resolve(boost::json::value& v, const std::map<std::string, std::string>& ids) {
  if (v.is_string()) {
    std::string_view s = v.get_string();
    if (s.starts_with("bulkId:")) {
      auto it = ids.find(std::string(s.substr(7)));
      if (it == ids.end()) return std::string(s.substr(7));
      v = it->second;
    }
  } else if (v.is_array()) {
    for (auto& e : v.get_array()) {
      if (auto missing = Resolve(e, ids); !missing.empty()) return missing;
    }
  } else if (v.is_object()) {
    for (auto& [k, e] : v.get_object()) {
      if (auto missing = Resolve(e, ids); !missing.empty()) return missing;
    }
  }
  return "";
}

// Replaces a "bulkId:x" segment of an operation's path ("/Users/bulkId:x") with x's id.
// Returns the unresolved bulkId, or "".
std::string ResolvePath(std::string& path, const std::map<std::string, std::string>& ids) {
  size_t at = path.find("bulkId:");
  if (at == std::string::npos) return "";
  size_t end = path.find('/', at);
  std::string name =
      path.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
  auto it = ids.find(name);
  if (it == ids.end()) return name;
  path.replace(at, 7 + name.size(), it->second);
  return "";
}

Result<std::vector<Operation>> ParseOperations(const boost::json::object& body, size_t max_ops) {
  auto schemas = body.find("schemas");
  bool schema_ok = false;
  if (schemas != body.end() && schemas->value().is_array()) {
    for (const auto& s : schemas->value().get_array()) {
      schema_ok = schema_ok || (s.is_string() && s.get_string() == kBulkRequest);
    }
  }
  if (!schema_ok)
    return Error(Code::kInvalidSyntax, "schemas must contain " + std::string(kBulkRequest));
  auto ops = body.find("Operations");
  if (ops == body.end() || !ops->value().is_array()) {
    return Error(Code::kInvalidSyntax, "Operations must be an array");
  }
  const auto& arr = ops->value().get_array();
  if (arr.size() > max_ops) {
    return Error(Code::kPayloadTooLarge, "the request has " + std::to_string(arr.size()) +
                                             " operations; maxOperations is " +
                                             std::to_string(max_ops));
  }
  std::vector<Operation> out;
  std::set<std::string> bulk_ids;
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string where = "Operations[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) return Error(Code::kInvalidSyntax, where + " must be an object");
    const auto& o = arr[i].get_object();
    Operation op;
    op.index = i;
    auto str = [&](std::string_view key) -> std::optional<std::string> {
      auto it = o.find(key);
      if (it == o.end() || !it->value().is_string()) return std::nullopt;
      return std::string(it->value().get_string());
    };
    auto method = str("method");
    if (!method) return Error(Code::kInvalidSyntax, where + ".method is required");
    for (char& c : *method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (*method != "POST" && *method != "PUT" && *method != "PATCH" && *method != "DELETE") {
      return Error(Code::kInvalidSyntax, where + ".method must be POST, PUT, PATCH or DELETE");
    }
    op.method = *method;
    auto path = str("path");
    if (!path) return Error(Code::kInvalidSyntax, where + ".path is required");
    op.path = *path;
    op.bulk_id = str("bulkId").value_or("");
    if (op.method == "POST" && op.bulk_id.empty()) {
      return Error(Code::kInvalidSyntax, where + ".bulkId is required for POST");
    }
    if (!op.bulk_id.empty() && !bulk_ids.insert(op.bulk_id).second) {
      return Error(Code::kInvalidSyntax, where + ": bulkId '" + op.bulk_id + "' is used twice");
    }
    op.version = str("version");
    if (auto d = o.find("data"); d != o.end()) op.data = d->value();
    if (op.method != "DELETE" && !op.data.is_object()) {
      return Error(Code::kInvalidSyntax, where + ".data must be an object");
    }
    out.push_back(std::move(op));
  }
  return out;
}

struct Target {
  const ResourceEndpoints* endpoints;
  std::string id;  // empty for POST to the collection
};

Result<Target> ParsePath(const std::string& path, const ResourceEndpoints& users,
                         const ResourceEndpoints& groups, const std::string& method) {
  for (const auto* ep : {&users, &groups}) {
    const std::string& e = ep->endpoint();
    if (path == e) {
      if (method != "POST") return Error(Code::kInvalidSyntax, method + " needs " + e + "/{id}");
      return Target{ep, ""};
    }
    if (path.size() > e.size() + 1 && path.starts_with(e) && path[e.size()] == '/') {
      if (method == "POST") return Error(Code::kInvalidSyntax, "POST goes to " + e);
      return Target{ep, path.substr(e.size() + 1)};
    }
  }
  return Error(Code::kInvalidPath, "unknown path '" + path + "'");
}

}  // namespace

http::Response HandleBulk(ScimServerDeps& deps, const ResourceEndpoints& users,
                          const ResourceEndpoints& groups, http::Request& request) {
  auto who = Authorize(deps.store, deps.clock, request, true);
  if (!who.ok()) return ScimError(who.error());
  if (request.body.size() > deps.options.bulk_max_payload_bytes) {
    return ScimError(
        Error(Code::kPayloadTooLarge, "the request is " + std::to_string(request.body.size()) +
                                          " bytes; maxPayloadSize is " +
                                          std::to_string(deps.options.bulk_max_payload_bytes)));
  }
  auto body = ParseBody(request);
  if (!body.ok()) return ScimError(body.error());
  const auto& obj = body->get_object();
  int64_t fail_on_errors = 0;  // 0: process everything
  if (auto f = obj.find("failOnErrors"); f != obj.end()) {
    if (!f->value().is_int64() || f->value().get_int64() < 1) {
      return ScimError(Error(Code::kInvalidSyntax, "failOnErrors must be a positive integer"));
    }
    fail_on_errors = f->value().get_int64();
  }
  auto parsed = ParseOperations(obj, deps.options.bulk_max_operations);
  if (!parsed.ok()) return ScimError(parsed.error());

  auto tx = deps.store.Begin();
  if (!tx.ok()) return ScimError(tx.error());
  std::string base = BaseUrl(request, deps.options.prefix);
  std::map<std::string, std::string> created_ids;
  std::vector<boost::json::object> results(parsed->size());
  std::deque<Operation> queue(std::make_move_iterator(parsed->begin()),
                              std::make_move_iterator(parsed->end()));
  int64_t errors = 0;
  size_t stalled = 0;  // operations re-queued in a row without progress

  while (!queue.empty()) {
    Operation op = std::move(queue.front());
    queue.pop_front();
    boost::json::object result{{"method", op.method}};
    if (!op.bulk_id.empty()) result["bulkId"] = op.bulk_id;

    std::string missing = Resolve(op.data, created_ids);
    std::string path = op.path;
    if (missing.empty()) missing = ResolvePath(path, created_ids);
    if (!missing.empty() && stalled < queue.size() + 1) {
      // It refers to a resource a later operation creates: try again after the others.
      ++stalled;
      queue.push_back(std::move(op));
      continue;
    }
    stalled = 0;

    Result<directory::Resource> outcome = Error::Internal("unprocessed");
    Status status = Ok();
    if (!missing.empty()) {
      status = Error(Code::kConflict, "bulkId '" + missing + "' is not created by this request");
    } else if (auto target = ParsePath(path, users, groups, op.method); !target.ok()) {
      status = target.error();
    } else {
      bool is_user = target->endpoints == &users;
      directory::Precondition pre{op.version};
      auto& dir = deps.directory;
      auto& t = **tx;
      if (op.method == "DELETE") {
        status = store::WithSavepoint(t, [&] {
          return is_user ? dir.DeleteUser(target->id, pre, &t)
                         : dir.DeleteGroup(target->id, pre, &t);
        });
      } else {
        outcome = store::WithSavepoint(t, [&]() -> Result<directory::Resource> {
          const auto& data = op.data.get_object();
          if (op.method == "POST")
            return is_user ? dir.CreateUser(data, &t) : dir.CreateGroup(data, &t);
          if (op.method == "PUT") {
            return is_user ? dir.ReplaceUser(target->id, data, pre, &t)
                           : dir.ReplaceGroup(target->id, data, pre, &t);
          }
          return is_user ? dir.PatchUser(target->id, op.data, pre, &t)
                         : dir.PatchGroup(target->id, op.data, pre, {false, false}, &t);
        });
        if (!outcome.ok()) status = outcome.error();
      }
      if (status.ok()) {
        std::string id =
            op.method == "POST" ? std::string(outcome->body["id"].get_string()) : target->id;
        if (op.method == "POST") created_ids[op.bulk_id] = id;
        result["location"] = base + target->endpoints->endpoint() + "/" + id;
        if (op.method != "DELETE") result["version"] = directory::ETag(outcome->version);
        result["status"] = op.method == "POST" ? "201" : op.method == "DELETE" ? "204" : "200";
      }
    }
    if (!status.ok()) {
      ++errors;
      result["status"] = std::to_string(scim::HttpStatusFor(status.error().code()));
      result["response"] = scim::ScimErrorBody(status.error());
      if (fail_on_errors > 0 && errors >= fail_on_errors) {
        // The transaction is dropped uncommitted: nothing of this request is written.
        Error e = status.error();
        std::string detail = "bulk operation " + std::to_string(op.index) +
                             (op.bulk_id.empty() ? "" : " (bulkId " + op.bulk_id + ")") +
                             " failed: " + e.message() + "; failOnErrors (" +
                             std::to_string(fail_on_errors) +
                             ") reached, so no operation of this request was applied";
        return ScimError(Error(e.code(), detail));
      }
    }
    results[op.index] = std::move(result);
  }
  if (auto st = (*tx)->Commit(); !st.ok()) return ScimError(st.error());
  boost::json::array ops;
  ops.reserve(results.size());
  for (auto& r : results) ops.push_back(std::move(r));
  return ScimJson(200, boost::json::object{{"schemas", boost::json::array{kBulkResponse}},
                                           {"Operations", std::move(ops)}});
}

}  // namespace provisio::scimserver
