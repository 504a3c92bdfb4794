#include "connectors/scim2/scim_bulk.h"

#include <boost/json.hpp>
#include <charconv>
#include <optional>

#include "connectors/error_class.h"
#include "connectors/scim2/scim_errors.h"
#include "core/json.h"
#include "scim/schema_urns.h"

namespace provisio::connectors::scim2 {
namespace {

boost::json::object OperationJson(const BulkOperation& op) {
  boost::json::object o{{"method", op.method}, {"path", op.path}};
  if (!op.bulk_id.empty()) o["bulkId"] = op.bulk_id;
  if (!op.version.empty()) o["version"] = op.version;
  if (op.method != "DELETE") o["data"] = op.data;  // a DELETE carries none
  return o;
}

// RFC 7644 §3.7.3 gives "status" as a string ("201"); some servers answer a number.
int StatusOf(const boost::json::object& result) {
  const auto* s = result.if_contains("status");
  if (s == nullptr) return 0;
  if (s->is_int64()) return static_cast<int>(s->as_int64());
  if (s->is_string()) {
    int n = 0;
    std::string_view v = s->as_string();
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec == std::errc()) return n;
  }
  if (s->is_object()) return static_cast<int>(json::GetInt(s->as_object(), "code").value_or(0));
  return 0;
}

std::string LastSegment(std::string_view location) {
  size_t slash = location.rfind('/');
  return std::string(slash == std::string_view::npos ? location : location.substr(slash + 1));
}

Result<Account> ResultOf(const boost::json::object& result, const BulkOperation& op,
                         TimePoint now) {
  int status = StatusOf(result);
  const auto* response = result.if_contains("response");
  const boost::json::object* body =
      response != nullptr && response->is_object() ? &response->as_object() : nullptr;
  std::string what = "bulk " + op.method + " " + (op.method == "POST" ? op.path : "/Users/{id}");
  if (status >= 200 && status <= 299) {
    Account a;
    a.attributes = body != nullptr && body->contains("id") ? *body : op.expected;
    a.id = std::string(json::GetString(a.attributes, "id").value_or(""));
    if (a.id.empty()) {
      a.id = op.method == "POST" ? LastSegment(json::GetString(result, "location").value_or(""))
                                 : op.id;
    }
    if (a.id.empty()) {
      return ClassifiedError(ErrorClass::kFatal, what + " answered no id", {status, std::nullopt});
    }
    a.attributes["id"] = a.id;
    a.etag = std::string(json::GetString(result, "version").value_or(""));
    return a;
  }
  http::HttpResponse synthetic;
  synthetic.status = status == 0 ? 500 : status;
  if (body != nullptr) synthetic.body = boost::json::serialize(*body);
  return ClassifyScimResponse(synthetic, what, now);
}

}  // namespace

BulkPlan PlanBulkRequests(std::span<const BulkOperation> operations, const BulkLimits& limits) {
  const std::string prefix =
      "{\"schemas\":[\"" + std::string(scim::kBulkRequestSchema) + "\"],\"Operations\":[";
  const std::string suffix = "]}";
  const size_t max_ops = std::max<size_t>(1, limits.max_operations);
  BulkPlan plan;
  BulkRequest current;
  std::string ops_text;
  auto flush = [&] {
    if (current.operations.empty()) return;
    current.body = prefix + ops_text + suffix;
    plan.requests.push_back(std::move(current));
    current = {};
    ops_text.clear();
  };
  for (size_t i = 0; i < operations.size(); ++i) {
    std::string text = boost::json::serialize(OperationJson(operations[i]));
    size_t alone = prefix.size() + text.size() + suffix.size();
    if (limits.max_payload_bytes > 0 && alone > limits.max_payload_bytes) {
      plan.too_large.push_back(i);
      continue;
    }
    size_t with =
        prefix.size() + ops_text.size() + (ops_text.empty() ? 0 : 1) + text.size() + suffix.size();
    if (current.operations.size() >= max_ops ||
        (limits.max_payload_bytes > 0 && with > limits.max_payload_bytes)) {
      flush();
    }
    if (!ops_text.empty()) ops_text += ',';
    ops_text += text;
    current.operations.push_back(i);
  }
  flush();
  return plan;
}

std::vector<Result<Account>> MapBulkResponse(const boost::json::object& response,
                                             std::span<const BulkOperation> operations,
                                             std::span<const size_t> carried, TimePoint now) {
  std::vector<std::optional<Result<Account>>> out(carried.size());
  const auto* results = response.if_contains("Operations");
  if (results != nullptr && results->is_array()) {
    const auto& arr = results->as_array();
    for (size_t r = 0; r < arr.size(); ++r) {
      if (!arr[r].is_object()) continue;
      const auto& result = arr[r].as_object();
      auto bulk_id = json::GetString(result, "bulkId");
      auto location = json::GetString(result, "location");
      std::optional<size_t> slot;
      for (size_t k = 0; k < carried.size() && !slot; ++k) {
        const BulkOperation& op = operations[carried[k]];
        if (out[k]) continue;
        if (bulk_id && !op.bulk_id.empty()) {
          if (*bulk_id == op.bulk_id) slot = k;
        } else if (location && !op.id.empty() && LastSegment(*location) == op.id) {
          slot = k;
        }
      }
      if (!slot && r < carried.size() && !out[r] && !bulk_id) slot = r;
      if (!slot) continue;
      out[*slot] = ResultOf(result, operations[carried[*slot]], now);
    }
  }
  std::vector<Result<Account>> mapped;
  mapped.reserve(carried.size());
  for (auto& r : out) {
    if (r) {
      mapped.push_back(std::move(*r));
    } else {
      mapped.push_back(ClassifiedError(ErrorClass::kRetryable,
                                       "the bulk response has no result for this operation"));
    }
  }
  return mapped;
}

}  // namespace provisio::connectors::scim2
