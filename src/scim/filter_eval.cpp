#include "scim/filter_eval.h"

#include "scim/errors.h"
#include "scim/text.h"
#include "scim/value_compare.h"

namespace provisio::scim {

const boost::json::value* FindMember(const boost::json::object& obj, std::string_view key) {
  if (const boost::json::value* v = obj.if_contains(key)) return v;
  for (const auto& kv : obj) {
    if (IEquals(kv.key(), key)) return &kv.value();
  }
  return nullptr;
}

namespace {

// ---- binding -------------------------------------------------------------------------------

bool IsOrdering(CompareOp op) {
  return op == CompareOp::kGt || op == CompareOp::kGe || op == CompareOp::kLt ||
         op == CompareOp::kLe;
}
bool IsSubstring(CompareOp op) {
  return op == CompareOp::kCo || op == CompareOp::kSw || op == CompareOp::kEw;
}

Status CheckOperand(Comparison& c, const Attribute& a) {
  std::string where = "'" + ToString(c.path) + " " + std::string(ToString(c.op)) + "'";
  if (c.op == CompareOp::kPr) return Ok();
  if (c.value.is_null()) {
    if (c.op == CompareOp::kEq || c.op == CompareOp::kNe) return Ok();
    return InvalidFilterError("null can only be compared with eq or ne in " + where);
  }
  switch (a.type) {
    case AttributeType::kBoolean:
      if (c.op != CompareOp::kEq && c.op != CompareOp::kNe) {
        return InvalidFilterError("boolean attribute " + a.name + " supports only eq and ne, not " +
                                  std::string(ToString(c.op)));
      }
      if (c.value.is_string() &&
          (IEquals(c.value.get_string(), "true") || IEquals(c.value.get_string(), "false"))) {
        c.value = IEquals(c.value.get_string(), "true");
      }
      if (!c.value.is_bool()) {
        return InvalidFilterError("boolean attribute " + a.name +
                                  " compared with a non-boolean "
                                  "value in " +
                                  where);
      }
      return Ok();
    case AttributeType::kInteger:
    case AttributeType::kDecimal:
      if (IsSubstring(c.op)) {
        return InvalidFilterError("numeric attribute " + a.name + " does not support " +
                                  std::string(ToString(c.op)));
      }
      if (!c.value.is_number()) {
        return InvalidFilterError("numeric attribute " + a.name +
                                  " compared with a non-number "
                                  "value in " +
                                  where);
      }
      return Ok();
    case AttributeType::kDateTime:
      if (!c.value.is_string()) {
        return InvalidFilterError("dateTime attribute " + a.name +
                                  " compared with a non-string "
                                  "value in " +
                                  where);
      }
      if (!IsSubstring(c.op) && !ParseDateTime(c.value.get_string())) {
        return InvalidFilterError("'" + std::string(c.value.get_string()) +
                                  "' is not a dateTime in " + where);
      }
      return Ok();
    case AttributeType::kBinary:
      if (IsOrdering(c.op)) {
        return InvalidFilterError("binary attribute " + a.name + " does not support " +
                                  std::string(ToString(c.op)));
      }
      [[fallthrough]];
    case AttributeType::kString:
    case AttributeType::kReference:
      if (!c.value.is_string()) {
        return InvalidFilterError("string attribute " + a.name +
                                  " compared with a non-string "
                                  "value in " +
                                  where);
      }
      return Ok();
    case AttributeType::kComplex:
      return InvalidFilterError("complex attribute " + a.name + " cannot be compared in " + where);
  }
  return Ok();
}

// A complex attribute compared as a whole compares its "value" sub-attribute.
const Attribute* EffectiveSub(const Attribute& attr, const Attribute* sub, CompareOp op) {
  if (sub != nullptr || attr.type != AttributeType::kComplex || op == CompareOp::kPr) return sub;
  return attr.FindSub("value");
}

Status Bind(Filter& f, const ResourceType& type, const Attribute* parent);

Status BindComparison(Comparison& c, const ResourceType& type, const Attribute* parent) {
  if (parent != nullptr) {
    const Attribute* sub = nullptr;
    if (c.path.urn.empty() && c.path.sub.empty()) sub = parent->FindSub(c.path.attr);
    if (sub == nullptr) {
      return InvalidFilterError("unknown sub-attribute '" + ToString(c.path) + "' of " +
                                parent->name);
    }
    c.path.attr = sub->name;
    return CheckOperand(c, *sub);
  }
  auto r = type.Resolve(c.path);
  if (!r.ok()) return InvalidFilterError(r.error().message());
  if (r->attribute == nullptr) {
    return InvalidFilterError("'" + ToString(c.path) + "' names a schema, not an attribute");
  }
  c.path.urn = r->extension ? r->schema->id : "";
  c.path.attr = r->attribute->name;
  const Attribute* sub = EffectiveSub(*r->attribute, r->sub, c.op);
  if (r->attribute->type == AttributeType::kComplex && sub == nullptr && c.op != CompareOp::kPr) {
    return InvalidFilterError("complex attribute " + r->attribute->name +
                              " needs a sub-attribute to compare");
  }
  c.path.sub = sub != nullptr ? sub->name : "";
  return CheckOperand(c, sub != nullptr ? *sub : *r->attribute);
}

Status Bind(Filter& f, const ResourceType& type, const Attribute* parent) {
  if (auto* c = std::get_if<Comparison>(&f.node)) return BindComparison(*c, type, parent);
  if (auto* l = std::get_if<Logical>(&f.node)) {
    RETURN_IF_ERROR(Bind(*l->lhs, type, parent));
    return Bind(*l->rhs, type, parent);
  }
  if (auto* n = std::get_if<Not>(&f.node)) return Bind(*n->operand, type, parent);
  auto& v = std::get<ValuePath>(f.node);
  if (parent != nullptr) return InvalidFilterError("value filters cannot be nested");
  auto r = type.Resolve(v.path);
  if (!r.ok()) return InvalidFilterError(r.error().message());
  if (r->attribute == nullptr || r->attribute->type != AttributeType::kComplex || r->sub) {
    return InvalidFilterError("value filter on '" + ToString(v.path) +
                              "', which is not a complex attribute");
  }
  v.path.urn = r->extension ? r->schema->id : "";
  v.path.attr = r->attribute->name;
  return Bind(*v.filter, type, r->attribute);
}

// ---- evaluation ----------------------------------------------------------------------------

bool Present(const boost::json::value& v) {
  if (v.is_null()) return false;
  if (v.is_string()) return !v.get_string().empty();
  if (v.is_array()) {
    for (const auto& e : v.get_array()) {
      if (Present(e)) return true;
    }
    return false;
  }
  if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      if (Present(kv.value())) return true;
    }
    return false;
  }
  return true;
}

bool CompareOne(const boost::json::value& candidate, CompareOp op, const boost::json::value& value,
                const Attribute& attr) {
  if (candidate.is_null()) return false;
  switch (op) {
    case CompareOp::kEq:
      return ValuesEqual(candidate, value, attr);
    case CompareOp::kCo:
    case CompareOp::kSw:
    case CompareOp::kEw: {
      if (!candidate.is_string() || !value.is_string()) return false;
      if (attr.type != AttributeType::kString && attr.type != AttributeType::kReference &&
          attr.type != AttributeType::kBinary && attr.type != AttributeType::kDateTime) {
        return false;
      }
      std::string_view s = candidate.get_string(), n = value.get_string();
      bool exact = attr.case_exact || attr.type == AttributeType::kDateTime;
      if (op == CompareOp::kCo)
        return exact ? s.find(n) != std::string_view::npos : IContains(s, n);
      if (op == CompareOp::kSw) return exact ? s.starts_with(n) : IStartsWith(s, n);
      return exact ? s.ends_with(n) : IEndsWith(s, n);
    }
    case CompareOp::kGt:
    case CompareOp::kGe:
    case CompareOp::kLt:
    case CompareOp::kLe: {
      if (attr.type == AttributeType::kBoolean || attr.type == AttributeType::kBinary) return false;
      auto c = CompareValues(candidate, value, attr);
      if (!c) return false;
      if (op == CompareOp::kGt) return *c > 0;
      if (op == CompareOp::kGe) return *c >= 0;
      if (op == CompareOp::kLt) return *c < 0;
      return *c <= 0;
    }
    case CompareOp::kNe:
    case CompareOp::kPr:
      return false;  // handled by the caller
  }
  return false;
}

// Calls pred on every value `attr[.sub]` holds in `v`; true as soon as pred is.
template <typename Pred>
bool AnyValue(const boost::json::value& v, const Attribute& attr, const Attribute* sub,
              Pred&& pred) {
  auto one = [&](const boost::json::value& e) {
    if (sub == nullptr) return pred(e);
    if (!e.is_object()) return false;
    const boost::json::value* x = FindMember(e.get_object(), sub->name);
    return x != nullptr && pred(*x);
  };
  if (attr.multi_valued && v.is_array()) {
    for (const auto& e : v.get_array()) {
      if (one(e)) return true;
    }
    return false;
  }
  return one(v);
}

bool EvalComparison(const Comparison& c, const boost::json::value* v, const Attribute& attr,
                    const Attribute* sub) {
  const Attribute& leaf = sub != nullptr ? *sub : attr;
  if (c.op == CompareOp::kPr) {
    return v != nullptr && AnyValue(*v, attr, sub, [](const auto& x) { return Present(x); });
  }
  if (c.value.is_null()) {
    bool present =
        v != nullptr && AnyValue(*v, attr, sub, [](const auto& x) { return Present(x); });
    return c.op == CompareOp::kEq ? !present : (c.op == CompareOp::kNe && present);
  }
  CompareOp op = c.op == CompareOp::kNe ? CompareOp::kEq : c.op;
  bool any = v != nullptr && AnyValue(*v, attr, sub, [&](const boost::json::value& x) {
               return CompareOne(x, op, c.value, leaf);
             });
  return c.op == CompareOp::kNe ? !any : any;
}

struct Evaluator {
  const ResourceType& type;

  // Locates `path`'s attribute value in the resource; nullptr value when absent.
  bool Locate(const AttrPath& path, const boost::json::object& resource, ResolvedPath& r,
              const boost::json::value*& v) const {
    auto resolved = type.Resolve(path);
    if (!resolved.ok() || resolved->attribute == nullptr) return false;
    r = *resolved;
    const boost::json::object* container = &resource;
    if (r.extension) {
      const boost::json::value* ext = FindMember(resource, r.schema->id);
      if (ext == nullptr || !ext->is_object()) {
        v = nullptr;
        return true;
      }
      container = &ext->get_object();
    }
    v = FindMember(*container, r.attribute->name);
    return true;
  }

  bool Eval(const Filter& f, const boost::json::object& resource) const {
    if (const auto* c = std::get_if<Comparison>(&f.node)) {
      ResolvedPath r;
      const boost::json::value* v = nullptr;
      if (!Locate(c->path, resource, r, v)) return false;
      const Attribute* sub = EffectiveSub(*r.attribute, r.sub, c->op);
      if (r.attribute->type == AttributeType::kComplex && sub == nullptr &&
          c->op != CompareOp::kPr) {
        return false;
      }
      return EvalComparison(*c, v, *r.attribute, sub);
    }
    if (const auto* l = std::get_if<Logical>(&f.node)) {
      if (l->op == LogicalOp::kAnd) return Eval(*l->lhs, resource) && Eval(*l->rhs, resource);
      return Eval(*l->lhs, resource) || Eval(*l->rhs, resource);
    }
    if (const auto* n = std::get_if<Not>(&f.node)) return !Eval(*n->operand, resource);
    const auto& vp = std::get<ValuePath>(f.node);
    ResolvedPath r;
    const boost::json::value* v = nullptr;
    if (!Locate(vp.path, resource, r, v) || v == nullptr || r.sub != nullptr) return false;
    if (v->is_array()) {
      for (const auto& e : v->get_array()) {
        if (MatchesElement(*vp.filter, e, *r.attribute)) return true;
      }
      return false;
    }
    return MatchesElement(*vp.filter, *v, *r.attribute);
  }
};

}  // namespace

Status BindFilter(Filter& filter, const ResourceType& type) { return Bind(filter, type, nullptr); }

Result<Filter> ParseFilter(std::string_view text, const ResourceType& type,
                           const FilterLimits& limits) {
  ASSIGN_OR_RETURN(Filter f, ParseFilter(text, limits));
  RETURN_IF_ERROR(BindFilter(f, type));
  return f;
}

bool Matches(const Filter& filter, const boost::json::object& resource, const ResourceType& type) {
  return Evaluator{type}.Eval(filter, resource);
}

bool MatchesElement(const Filter& filter, const boost::json::value& element,
                    const Attribute& attr) {
  if (const auto* c = std::get_if<Comparison>(&filter.node)) {
    if (!c->path.urn.empty() || !c->path.sub.empty() || !element.is_object()) return false;
    const Attribute* sub = attr.FindSub(c->path.attr);
    if (sub == nullptr) return false;
    const boost::json::value* v = FindMember(element.get_object(), sub->name);
    return EvalComparison(*c, v, *sub, nullptr);
  }
  if (const auto* l = std::get_if<Logical>(&filter.node)) {
    if (l->op == LogicalOp::kAnd) {
      return MatchesElement(*l->lhs, element, attr) && MatchesElement(*l->rhs, element, attr);
    }
    return MatchesElement(*l->lhs, element, attr) || MatchesElement(*l->rhs, element, attr);
  }
  if (const auto* n = std::get_if<Not>(&filter.node)) {
    return !MatchesElement(*n->operand, element, attr);
  }
  return false;  // nested value filters are not allowed
}

}  // namespace provisio::scim
