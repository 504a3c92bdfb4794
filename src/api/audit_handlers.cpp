#include <charconv>

#include "api/handlers.h"
#include "api/respond.h"
#include "apps/audit_log.h"
#include "apps/input.h"

namespace provisio::api {
namespace {

Result<int64_t> IntQuery(const Call& call, std::string_view name, int64_t fallback, int64_t min,
                         int64_t max) {
  auto text = call.request.Query(name);
  if (!text) return fallback;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max) {
    return apps::Reject(Code::kInvalidValue, "invalid_value",
                        std::string(name) + " must be an integer from " + std::to_string(min) +
                            " to " + std::to_string(max),
                        {{"field", name}});
  }
  return v;
}

Result<std::string> IdQuery(const Call& call, std::string_view name) {
  auto text = call.request.Query(name);
  if (!text) return std::string();
  if (text->size() > 256) {
    return apps::Reject(Code::kInvalidValue, "value_too_long",
                        std::string(name) + " is longer than 256 characters", {{"field", name}});
  }
  return std::string(*text);
}

}  // namespace

HandlerResult ListAuditLog(Call& call) {
  store::AuditQuery q;
  ASSIGN_OR_RETURN(q.actor_id, IdQuery(call, "actor"));
  ASSIGN_OR_RETURN(q.object_id, IdQuery(call, "object"));
  ASSIGN_OR_RETURN(q.before_id, IntQuery(call, "before", 0, 0, INT64_MAX));
  ASSIGN_OR_RETURN(int64_t limit, IntQuery(call, "limit", 100, 1, 500));
  q.limit = static_cast<size_t>(limit);
  ASSIGN_OR_RETURN(auto rows, call.store().audit().Query(q));
  boost::json::array items;
  for (const auto& r : rows) items.push_back(apps::AuditJson(r));
  boost::json::object out{{"items", std::move(items)}};
  // The next (older) page starts before the last row shown.
  out["next_before"] = rows.size() == q.limit ? boost::json::value(rows.back().id) : nullptr;
  return JsonResponse(200, out);
}

HandlerResult VerifyAuditLog(Call& call) {
  ASSIGN_OR_RETURN(apps::ChainCheck check,
                   apps::VerifyAuditChain(call.store(), call.ctx.audit_key));
  return JsonResponse(200, apps::ChainCheckJson(check));
}

}  // namespace provisio::api
