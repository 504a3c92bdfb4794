#include "mapping/mapping.h"

#include "mapping/evaluate.h"
#include "mapping/expression_parser.h"
#include "scim/filter_eval.h"
#include "scim/schema_urns.h"
#include "scim/text.h"

namespace provisio::mapping {

namespace json = boost::json;

struct CompiledMappingsAccess {
  static std::vector<CompiledMapping>& Of(CompiledMappings& m) { return m.mappings_; }
};

namespace {

Error MappingError(size_t index, const AttributeMapping& m, std::string_view field,
                   const Error& cause, Code code = Code::kInvalidArgument) {
  json::object details = cause.details();
  details["mapping"] = index;
  details["target"] = m.target;
  details["field"] = field;
  return Error(
      code, "mapping " + std::to_string(index) + " (target '" + m.target + "'): " + cause.message(),
      std::move(details));
}

// Collects the `sub eq value` terms of a target's value filter; false for any other shape.
bool EqTerms(const scim::Filter& f, std::vector<const scim::Comparison*>& out) {
  if (const auto* c = std::get_if<scim::Comparison>(&f.node)) {
    if (c->op != scim::CompareOp::kEq || c->value.is_null()) return false;
    out.push_back(c);
    return true;
  }
  if (const auto* l = std::get_if<scim::Logical>(&f.node)) {
    return l->op == scim::LogicalOp::kAnd && EqTerms(*l->lhs, out) && EqTerms(*l->rhs, out);
  }
  return false;
}

Status CheckTargetShape(AttributePath& target) {
  if (scim::IEquals(target.attr.urn, scim::kUserSchema)) target.attr.urn.clear();
  if (!target.filter) return Ok();
  std::vector<const scim::Comparison*> terms;
  if (!EqTerms(*target.filter, terms)) {
    return Error::InvalidArgument(
        "a value-path target selects its element with `sub eq value` terms joined by `and`, "
        "such as emails[type eq \"work\"].value");
  }
  if (target.filter_sub.empty()) {
    return Error::InvalidArgument(
        "a value-path target names the sub-attribute to write after ']', such as "
        "emails[type eq \"work\"].value");
  }
  return Ok();
}

// Where two targets collide: same attribute written whole and in part, or the same leaf twice.
bool Overlap(const AttributePath& a, const AttributePath& b) {
  if (!scim::IEquals(a.attr.urn, b.attr.urn) || !scim::IEquals(a.attr.attr, b.attr.attr)) {
    return false;
  }
  bool a_whole = a.attr.sub.empty() && !a.filter;
  bool b_whole = b.attr.sub.empty() && !b.filter;
  if (a_whole || b_whole) return true;
  if (a.filter.has_value() != b.filter.has_value()) return true;  // `emails.x` vs `emails[...]`
  if (!a.filter) return scim::IEquals(a.attr.sub, b.attr.sub);
  return *a.filter == *b.filter && scim::IEquals(a.filter_sub, b.filter_sub);
}

// Checks a reference against the source type (Compile's optional check).
Status CheckReference(const AttributePath& path, const scim::ResourceType& type) {
  std::string shown = "[" + ToString(path) + "]";
  auto r =
      type.Resolve(path.filter ? scim::AttrPath{path.attr.urn, path.attr.attr, ""} : path.attr);
  if (!r.ok() || r->attribute == nullptr) {
    return Error::InvalidArgument("unknown attribute " + shown);
  }
  if (path.filter) {
    scim::Filter vp = scim::MakeValuePath(scim::AttrPath{path.attr.urn, path.attr.attr, ""},
                                          scim::Clone(*path.filter));
    Status bound = scim::BindFilter(vp, type);
    if (!bound.ok()) return Error::InvalidArgument(bound.error().message() + " in " + shown);
    if (!path.filter_sub.empty() && r->attribute->FindSub(path.filter_sub) == nullptr) {
      return Error::InvalidArgument("unknown sub-attribute " + shown);
    }
  }
  return Ok();
}

Status CheckReferences(const Expression& e, const scim::ResourceType& type) {
  if (const auto* ref = std::get_if<Reference>(&e.node)) {
    Status s = CheckReference(ref->path, type);
    if (!s.ok()) {
      return Error(Code::kInvalidArgument,
                   "invalid expression at position " + std::to_string(e.position) + ": " +
                       s.error().message(),
                   {{"position", e.position}});
    }
    return Ok();
  }
  if (const auto* call = std::get_if<Call>(&e.node)) {
    for (const Expression& arg : call->args) RETURN_IF_ERROR(CheckReferences(arg, type));
  }
  return Ok();
}

// Case-insensitive find-or-insert, so "emails" and "Emails" targets merge.
json::value& Slot(json::object& obj, std::string_view key) {
  if (json::value* v = obj.if_contains(key)) return *v;
  for (auto& kv : obj) {
    if (scim::IEquals(kv.key(), key)) return kv.value();
  }
  return obj[key];
}

json::object& ObjectSlot(json::object& obj, std::string_view key) {
  json::value& v = Slot(obj, key);
  if (!v.is_object()) v = json::object();
  return v.get_object();
}

bool ElementMatches(const json::object& element, const std::vector<const scim::Comparison*>& eq) {
  for (const scim::Comparison* c : eq) {
    const json::value* v = scim::FindMember(element, c->path.attr);
    if (v == nullptr || !ValuesEqual(*v, c->value)) return false;
  }
  return true;
}

bool Applies(const CompiledMapping& m, bool creating) {
  return creating || m.source.apply == AttributeMapping::Apply::kAlways;
}

}  // namespace

void WriteAt(json::object& out, const AttributePath& target, json::value value) {
  json::object& container = target.attr.urn.empty() ? out : ObjectSlot(out, target.attr.urn);
  if (!target.filter) {
    if (target.attr.sub.empty()) {
      Slot(container, target.attr.attr) = std::move(value);
    } else {
      Slot(ObjectSlot(container, target.attr.attr), target.attr.sub) = std::move(value);
    }
    return;
  }
  json::value& slot = Slot(container, target.attr.attr);
  if (!slot.is_array()) slot = json::array();
  json::array& elements = slot.get_array();
  std::vector<const scim::Comparison*> eq;
  EqTerms(*target.filter, eq);
  json::object* element = nullptr;
  for (auto& e : elements) {
    if (e.is_object() && ElementMatches(e.get_object(), eq)) {
      element = &e.get_object();
      break;
    }
  }
  if (element == nullptr) {
    json::object fresh;
    for (const scim::Comparison* c : eq) fresh[c->path.attr] = c->value;
    element = &elements.emplace_back(std::move(fresh)).get_object();
  }
  Slot(*element, target.filter_sub) = std::move(value);
}

void EraseAt(json::object& out, const AttributePath& target) {
  auto find = [](json::object& obj, std::string_view key) {
    auto it = obj.find(key);
    for (auto i = obj.begin(); it == obj.end() && i != obj.end(); ++i) {
      if (scim::IEquals(i->key(), key)) it = i;
    }
    return it;
  };
  json::object* container = &out;
  if (!target.attr.urn.empty()) {
    auto ext = find(out, target.attr.urn);
    if (ext == out.end() || !ext->value().is_object()) return;
    container = &ext->value().get_object();
  }
  auto attr = find(*container, target.attr.attr);
  if (attr != container->end()) {
    json::value& v = attr->value();
    if (target.filter) {
      if (v.is_array()) {
        std::vector<const scim::Comparison*> eq;
        EqTerms(*target.filter, eq);
        json::array& elements = v.get_array();
        for (auto e = elements.begin(); e != elements.end();) {
          e = e->is_object() && ElementMatches(e->get_object(), eq) ? elements.erase(e) : e + 1;
        }
        if (elements.empty()) container->erase(attr);
      }
    } else if (target.attr.sub.empty()) {
      container->erase(attr);
    } else if (v.is_object()) {
      json::object& complex = v.get_object();
      if (auto sub = find(complex, target.attr.sub); sub != complex.end()) complex.erase(sub);
      if (complex.empty()) container->erase(attr);
    }
  }
  if (container != &out && container->empty()) out.erase(find(out, target.attr.urn));
}

Result<CompiledMappings> Compile(std::span<const AttributeMapping> mappings,
                                 const CompileOptions& options) {
  CompiledMappings compiled;
  auto& out = CompiledMappingsAccess::Of(compiled);
  out.reserve(mappings.size());
  for (size_t i = 0; i < mappings.size(); ++i) {
    const AttributeMapping& m = mappings[i];
    auto target = ParseAttributePath(m.target);
    if (!target.ok()) return MappingError(i, m, "target", target.error());
    Status shape = CheckTargetShape(*target);
    if (!shape.ok()) return MappingError(i, m, "target", shape.error());
    for (size_t j = 0; j < out.size(); ++j) {
      if (Overlap(out[j].target, *target)) {
        return MappingError(
            i, m, "target",
            Error::InvalidArgument("overlaps the target of mapping " + std::to_string(j) + " ('" +
                                   out[j].source.target + "')"));
      }
    }
    auto expr = ParseExpression(m.expression, options.limits);
    if (!expr.ok()) return MappingError(i, m, "expression", expr.error());
    if (options.source_type != nullptr) {
      Status refs = CheckReferences(*expr, *options.source_type);
      if (!refs.ok()) return MappingError(i, m, "expression", refs.error());
    }
    out.push_back(CompiledMapping{m, std::move(target).value(), std::move(expr).value()});
  }
  return compiled;
}

Result<json::object> Apply(const CompiledMappings& mappings, const json::object& user,
                           bool creating) {
  json::object out;
  const auto list = mappings.mappings();
  for (size_t i = 0; i < list.size(); ++i) {
    const CompiledMapping& m = list[i];
    if (!Applies(m, creating)) continue;
    auto value = Evaluate(m.expression, user);
    if (!value.ok()) {
      return MappingError(i, m.source, "expression", value.error(), value.error().code());
    }
    if (value->is_null()) continue;
    WriteAt(out, m.target, std::move(value).value());
  }
  return out;
}

Result<json::array> Explain(const CompiledMappings& mappings, const json::object& user,
                            bool creating) {
  json::array rows;
  for (const CompiledMapping& m : mappings.mappings()) {
    json::object row;
    row["target"] = m.source.target;
    row["expression"] = m.source.expression;
    row["apply"] = m.source.apply == AttributeMapping::Apply::kAlways ? "always" : "on_create_only";
    row["applied"] = Applies(m, creating);
    auto value = Evaluate(m.expression, user);
    if (value.ok()) {
      row["value"] = std::move(value).value();
    } else {
      row["value"] = nullptr;
      row["error"] = value.error().message();
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace provisio::mapping
