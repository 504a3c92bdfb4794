// ScimConnector's versions (If-Match) and batches (/Bulk).
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "connectors/error_class.h"
#include "connectors/scim2/scim_bulk.h"
#include "connectors/scim2/scim_connector.h"
#include "connectors/scim2/scim_diff.h"
#include "core/json.h"
#include "scim/attr_path.h"
#include "scim/schema_urns.h"
#include "scim/text.h"

namespace provisio::connectors::scim2 {
namespace {

constexpr size_t kMaxRememberedVersions = 200'000;  // ~20 MB at most; then start over
constexpr size_t kValuesPerLookup = 50;             // keeps the filter URL near 4 KB

std::string MetaVersion(const boost::json::object& resource) {
  const auto* meta = resource.if_contains("meta");
  if (meta == nullptr || !meta->is_object()) return "";
  return std::string(json::GetString(meta->as_object(), "version").value_or(""));
}

Account ToAccountForLookup(const boost::json::object& resource) {
  Account a;
  a.id = std::string(json::GetString(resource, "id").value_or(""));
  a.etag = MetaVersion(resource);
  a.attributes = resource;
  return a;
}

}  // namespace

std::string ScimConnector::VersionFor(std::string_view id, const boost::json::object* current) {
  {
    std::lock_guard lock(discovery_mu_);
    if (!features_ || !features_->etag) return "";
  }
  if (current != nullptr) {
    if (std::string v = MetaVersion(*current); !v.empty()) return v;
  }
  std::lock_guard lock(versions_mu_);
  auto it = versions_.find(std::string(id));
  return it == versions_.end() ? "" : it->second;
}

void ScimConnector::Remember(const Account& account) {
  if (account.id.empty()) return;
  std::lock_guard lock(versions_mu_);
  if (account.etag.empty()) {
    versions_.erase(account.id);
    return;
  }
  if (versions_.size() >= kMaxRememberedVersions) versions_.clear();
  versions_[account.id] = account.etag;
}

void ScimConnector::Forget(std::string_view id) {
  std::lock_guard lock(versions_mu_);
  versions_.erase(std::string(id));
}

BatchConnector* ScimConnector::batch() {
  auto f = Features();
  return f.ok() && f->bulk && settings_.bulk ? this : nullptr;
}

std::vector<Result<Account>> ScimConnector::ApplyBatch(std::span<const BatchWrite> writes) {
  std::vector<std::optional<Result<Account>>> results(writes.size());
  auto f = Features();
  if (!f.ok() || !f->bulk) {
    Error e =
        f.ok() ? ClassifiedError(ErrorClass::kFatal, "the target offers no /Bulk") : f.error();
    return std::vector<Result<Account>>(writes.size(), e);
  }
  // The operations, and for each the write it stands for.
  std::vector<BulkOperation> ops;
  std::vector<size_t> write_of;
  for (size_t i = 0; i < writes.size(); ++i) {
    const BatchWrite& w = writes[i];
    BulkOperation op;
    if (w.kind == BatchWrite::Kind::kCreate) {
      op.method = "POST";
      op.path = "/Users";
      op.bulk_id = "b" + std::to_string(i);
      op.data = w.desired;
      op.data.erase("id");
      op.data.erase("meta");
      SetSchemas(op.data, scim::kUserSchema);
      op.expected = op.data;
    } else if (w.kind == BatchWrite::Kind::kDisable || w.kind == BatchWrite::Kind::kDelete) {
      if (w.id.empty() || (w.kind == BatchWrite::Kind::kDisable && !f->patch)) {
        results[i] = ClassifiedError(
            ErrorClass::kInvalid, w.id.empty() ? "empty id" : "disabling in a batch needs PATCH");
        continue;
      }
      op.id = w.id;
      op.path = "/Users/" + w.id;
      op.version = VersionFor(w.id, nullptr);
      op.expected = {{"id", w.id}};
      if (w.kind == BatchWrite::Kind::kDelete) {
        op.method = "DELETE";
      } else {
        op.method = "PATCH";
        op.data = {{"schemas", boost::json::array{scim::kPatchOpSchema}},
                   {"Operations", boost::json::array{boost::json::object{
                                      {"op", "replace"}, {"path", "active"}, {"value", false}}}}};
        op.expected["active"] = false;
      }
    } else {
      if (w.id.empty()) {
        results[i] = ClassifiedError(ErrorClass::kInvalid, "empty id");
        continue;
      }
      op.id = w.id;
      op.path = "/Users/" + w.id;
      op.version = VersionFor(w.id, &w.current);
      op.expected = MergeForReplace(w.current, w.desired);
      if (f->patch) {
        boost::json::array patch = DiffToPatchOperations(w.current, w.desired);
        if (patch.empty()) {  // nothing differs: no operation at all
          Account a;
          a.id = w.id;
          a.attributes = w.current;
          results[i] = std::move(a);
          continue;
        }
        op.method = "PATCH";
        op.data = {{"schemas", boost::json::array{scim::kPatchOpSchema}},
                   {"Operations", std::move(patch)}};
      } else {
        op.method = "PUT";
        op.data = op.expected;
        op.data["id"] = w.id;
        SetSchemas(op.data, scim::kUserSchema);
      }
      op.expected["id"] = w.id;
    }
    ops.push_back(std::move(op));
    write_of.push_back(i);
  }
  size_t max_ops = f->bulk_max_operations;
  if (settings_.bulk_max_operations > 0) max_ops = std::min(max_ops, settings_.bulk_max_operations);
  BulkPlan plan = PlanBulkRequests(ops, {max_ops, f->bulk_max_payload_bytes});
  for (size_t k : plan.too_large) {
    results[write_of[k]] = ClassifiedError(
        ErrorClass::kInvalid, "the operation alone exceeds the target's bulk maxPayloadSize (" +
                                  std::to_string(f->bulk_max_payload_bytes) + " bytes)");
  }
  for (auto& request : plan.requests) {
    auto r = SendText("POST", "/Bulk", std::move(request.body), {});
    std::optional<Error> failed;
    boost::json::object body;
    if (!r.ok()) {
      failed = std::move(r).error();
    } else if (auto v = json::Parse(r->body); !v.ok() || !v->is_object()) {
      failed = ClassifiedError(ErrorClass::kFatal, "POST /Bulk answered no JSON object",
                               {r->status, std::nullopt});
    } else {
      body = std::move(v->as_object());
    }
    if (failed) {
      for (size_t k : request.operations) results[write_of[k]] = *failed;
      continue;
    }
    auto mapped = MapBulkResponse(body, ops, request.operations, clock_.Now());
    for (size_t j = 0; j < mapped.size(); ++j) {
      const BulkOperation& op = ops[request.operations[j]];
      if (mapped[j].ok() && op.method != "DELETE") {
        Remember(*mapped[j]);
      } else if (!op.id.empty()) {
        Forget(op.id);
      }
      results[write_of[request.operations[j]]] = std::move(mapped[j]);
    }
  }
  std::vector<Result<Account>> out;
  out.reserve(writes.size());
  for (auto& r : results) {
    out.push_back(r ? std::move(*r)
                    : Result<Account>(ClassifiedError(ErrorClass::kFatal, "write not carried")));
  }
  return out;
}

std::vector<Result<std::optional<Account>>> ScimConnector::FindUsers(
    std::string_view attribute, std::span<const std::string> values) {
  std::string attr(attribute.empty() ? settings_.matching_attribute : attribute);
  std::vector<Result<std::optional<Account>>> out;
  out.reserve(values.size());
  auto f = Features();
  bool top_level = attr.find_first_of(".[:") == std::string::npos && scim::ParseAttrPath(attr).ok();
  if (!f.ok() || !f->filter || !top_level) {
    for (const auto& v : values) out.push_back(FindUser(attr, v));
    return out;
  }
  for (size_t from = 0; from < values.size(); from += kValuesPerLookup) {
    auto chunk = values.subspan(from, std::min(kValuesPerLookup, values.size() - from));
    std::string filter;
    for (const auto& v : chunk) {
      if (!filter.empty()) filter += " or ";
      filter += attr + " eq " + boost::json::serialize(boost::json::string(v));
    }
    // Twice as many as asked for: enough to see a value matching twice.
    size_t count = PageSize(2 * chunk.size());
    auto r = Send("GET",
                  "/Users?filter=" + boost::urls::encode(filter, boost::urls::unreserved_chars) +
                      "&count=" + std::to_string(count),
                  nullptr);
    std::optional<boost::json::object> body;
    if (r.ok()) {
      if (auto v = json::Parse(r->body); v.ok() && v->is_object()) body = std::move(v->as_object());
    }
    const auto* resources = body ? body->if_contains("Resources") : nullptr;
    size_t listed = resources && resources->is_array() ? resources->as_array().size() : 0;
    int64_t total = body ? json::GetInt(*body, "totalResults").value_or(-1) : -1;
    if (!r.ok() && ClassOf(r.error()) != ErrorClass::kInvalid) {
      for (size_t j = 0; j < chunk.size(); ++j) out.push_back(r.error());
      continue;
    }
    if (!body || total < 0 || static_cast<size_t>(total) > listed || listed > count) {
      // Refused (some servers cap filter size), or more than one page: one at a time.
      for (const auto& v : chunk) out.push_back(FindUser(attr, v));
      continue;
    }
    std::vector<std::vector<Account>> found(chunk.size());
    for (const auto& res : resources->as_array()) {
      if (!res.is_object()) continue;
      for (const auto& [k, v] : res.as_object()) {
        if (!scim::IEquals(k, attr) || !v.is_string()) continue;
        for (size_t j = 0; j < chunk.size(); ++j) {
          if (scim::IEquals(v.as_string(), chunk[j])) {
            found[j].push_back(ToAccountForLookup(res.as_object()));
          }
        }
      }
    }
    for (size_t j = 0; j < chunk.size(); ++j) {
      if (found[j].empty()) {
        out.push_back(std::optional<Account>());
      } else if (found[j].size() > 1) {
        out.push_back(ClassifiedError(
            ErrorClass::kConflict,
            std::to_string(found[j].size()) + " resources in /Users match " + attr));
      } else {
        Remember(found[j].front());
        out.push_back(std::optional<Account>(std::move(found[j].front())));
      }
    }
  }
  return out;
}

}  // namespace provisio::connectors::scim2
