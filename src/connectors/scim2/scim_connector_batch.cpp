// ScimConnector's versions (If-Match) and batches (/Bulk).
#include <boost/json.hpp>

#include "connectors/error_class.h"
#include "connectors/scim2/scim_bulk.h"
#include "connectors/scim2/scim_connector.h"
#include "connectors/scim2/scim_diff.h"
#include "core/json.h"
#include "scim/schema_urns.h"

namespace provisio::connectors::scim2 {
namespace {

constexpr size_t kMaxRememberedVersions = 200'000;  // ~20 MB at most; then start over

std::string MetaVersion(const boost::json::object& resource) {
  const auto* meta = resource.if_contains("meta");
  if (meta == nullptr || !meta->is_object()) return "";
  return std::string(json::GetString(meta->as_object(), "version").value_or(""));
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
      if (!op.data.contains("schemas")) op.data["schemas"] = boost::json::array{scim::kUserSchema};
      op.expected = op.data;
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
        if (!op.data.contains("schemas")) {
          op.data["schemas"] = boost::json::array{scim::kUserSchema};
        }
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
      if (mapped[j].ok()) {
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

}  // namespace provisio::connectors::scim2
