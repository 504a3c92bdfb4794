#include "importsync/policy.h"

#include "core/json.h"

namespace provisio::importsync {
namespace {

constexpr std::pair<MatchRule, std::string_view> kRules[] = {{MatchRule::kExternalId, "externalId"},
                                                             {MatchRule::kUserName, "userName"},
                                                             {MatchRule::kWorkEmail, "email"}};
constexpr std::pair<Unmatched, std::string_view> kUnmatched[] = {
    {Unmatched::kCreate, "create"}, {Unmatched::kSkip, "skip"}, {Unmatched::kHold, "hold"}};
constexpr std::pair<Gone, std::string_view> kGone[] = {
    {Gone::kIgnore, "ignore"}, {Gone::kDisable, "disable"}, {Gone::kUnlink, "unlink"}};

template <typename E, size_t N>
Result<E> OneOf(const std::pair<E, std::string_view> (&table)[N], std::string_view field,
                const boost::json::value& v) {
  if (v.is_string()) {
    for (const auto& [e, name] : table) {
      if (v.get_string() == name) return e;
    }
  }
  std::string names;
  for (const auto& [e, name] : table) names += (names.empty() ? "" : ", ") + std::string(name);
  Error err(Code::kInvalidValue, std::string(field) + " must be one of " + names);
  err.details()["field"] = field;
  return err;
}

template <typename E, size_t N>
std::string_view NameOf(const std::pair<E, std::string_view> (&table)[N], E e) {
  for (const auto& [v, name] : table) {
    if (v == e) return name;
  }
  return "";
}

Status Apply(ImportPolicy& p, const boost::json::object& o, std::string_view prefix) {
  auto key = [&](std::string_view k) { return std::string(prefix) + std::string(k); };
  if (const auto* m = o.if_contains(key("matching"))) {
    if (!m->is_array() || m->get_array().empty() || m->get_array().size() > 3) {
      Error e(Code::kInvalidValue,
              key("matching") + " must be a list of externalId, userName, email");
      e.details()["field"] = key("matching");
      return e;
    }
    p.matching.clear();
    for (const auto& r : m->get_array()) {
      ASSIGN_OR_RETURN(MatchRule rule, OneOf(kRules, key("matching"), r));
      p.matching.push_back(rule);
    }
  }
  if (const auto* v = o.if_contains(key("unmatched"))) {
    ASSIGN_OR_RETURN(p.unmatched, OneOf(kUnmatched, key("unmatched"), *v));
  }
  if (const auto* v = o.if_contains(key("gone"))) {
    ASSIGN_OR_RETURN(p.gone, OneOf(kGone, key("gone"), *v));
  }
  if (const auto* v = o.if_contains(key("groups"))) {
    if (!v->is_bool()) return Error(Code::kInvalidValue, key("groups") + " must be a boolean");
    p.groups = v->get_bool();
  }
  if (const auto* v = o.if_contains(key("hold_attributes"))) {
    auto bad = [&] {
      Error e(Code::kInvalidValue,
              key("hold_attributes") +
                  " must be a list of at most 50 portal attribute names (\"department\", "
                  "\"manager\", \"name.familyName\", ...)");
      e.details()["field"] = key("hold_attributes");
      return e;
    };
    if (!v->is_array() || v->get_array().size() > 50) return bad();
    p.hold_attributes.clear();
    for (const auto& a : v->get_array()) {
      if (!a.is_string() || a.get_string().empty() || a.get_string().size() > 200) return bad();
      for (char c : a.get_string()) {
        if (static_cast<unsigned char>(c) < 0x20 || c == ' ') return bad();
      }
      p.hold_attributes.emplace_back(a.get_string());
    }
  }
  if (const auto* v = o.if_contains("deletion_threshold")) {
    if (!v->is_int64() || v->get_int64() < 0) {
      return Error(Code::kInvalidValue, "deletion_threshold must be a non-negative integer");
    }
    p.deletion_threshold = v->get_int64();
  }
  return Ok();
}

}  // namespace

Result<ImportPolicy> ParsePolicy(const boost::json::object& settings,
                                 const boost::json::object& request) {
  ImportPolicy p;
  RETURN_IF_ERROR(Apply(p, settings, "import_"));
  RETURN_IF_ERROR(Apply(p, request, ""));
  return p;
}

boost::json::object PolicyJson(const ImportPolicy& p) {
  boost::json::array rules;
  for (MatchRule r : p.matching) rules.emplace_back(NameOf(kRules, r));
  return {
      {"matching", std::move(rules)},
      {"unmatched", NameOf(kUnmatched, p.unmatched)},
      {"gone", NameOf(kGone, p.gone)},
      {"groups", p.groups},
      {"deletion_threshold", p.deletion_threshold},
      {"hold_attributes", boost::json::array(p.hold_attributes.begin(), p.hold_attributes.end())}};
}

ImportPolicy PolicyFromJson(const boost::json::object& o) {
  ImportPolicy p;
  (void)Apply(p, o, "");
  return p;
}

}  // namespace provisio::importsync
