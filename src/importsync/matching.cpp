#include "importsync/matching.h"

#include <algorithm>

namespace provisio::importsync {
namespace {

std::optional<std::string> Str(const boost::json::object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  if (!v || !v->is_string() || v->get_string().empty()) return std::nullopt;
  return std::string(v->get_string());
}

std::string_view RuleName(MatchRule r) {
  switch (r) {
    case MatchRule::kExternalId:
      return "externalId";
    case MatchRule::kUserName:
      return "userName";
    case MatchRule::kWorkEmail:
      return "email";
  }
  return "";
}

}  // namespace

std::optional<std::string> RuleValue(MatchRule rule, const boost::json::object& user) {
  switch (rule) {
    case MatchRule::kExternalId:
      return Str(user, "externalId");
    case MatchRule::kUserName:
      return Str(user, "userName");
    case MatchRule::kWorkEmail: {
      const auto* emails = user.if_contains("emails");
      if (!emails || !emails->is_array()) return std::nullopt;
      std::optional<std::string> primary, first;
      for (const auto& e : emails->get_array()) {
        if (!e.is_object()) continue;
        auto value = Str(e.get_object(), "value");
        if (!value) continue;
        if (Str(e.get_object(), "type") == "work") return value;
        const auto* p = e.get_object().if_contains("primary");
        if (p && p->is_bool() && p->get_bool() && !primary) primary = value;
        if (!first) first = value;
      }
      return primary ? primary : first;
    }
  }
  return std::nullopt;
}

Result<MatchOutcome> Match(const boost::json::object& mapped, const std::vector<MatchRule>& rules,
                           const Lookup& lookup) {
  MatchOutcome out;
  for (MatchRule rule : rules) {
    auto value = RuleValue(rule, mapped);
    if (!value) continue;
    ASSIGN_OR_RETURN(std::vector<std::string> ids, lookup(rule, *value));
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.empty()) continue;
    out.rule = std::string(RuleName(rule));
    if (ids.size() == 1) {
      out.kind = MatchOutcome::Kind::kOne;
      out.user_id = ids.front();
    } else {
      out.kind = MatchOutcome::Kind::kAmbiguous;
      out.candidates = std::move(ids);
    }
    return out;
  }
  return out;
}

}  // namespace provisio::importsync
