#include "mapping/evaluate.h"

#include <vector>

#include "mapping/portal_user.h"
#include "scim/filter_eval.h"
#include "scim/schema_urns.h"
#include "scim/text.h"

namespace provisio::mapping {

namespace json = boost::json;

namespace {

// For a value filter on an attribute the User schema does not define (a custom extension), an
// element definition whose sub-attributes take the type of the values compared with them.
void CollectSubs(const scim::Filter& f, scim::Attribute& out) {
  if (const auto* c = std::get_if<scim::Comparison>(&f.node)) {
    if (out.FindSub(c->path.attr) != nullptr) return;
    scim::Attribute sub;
    sub.name = c->path.attr;
    sub.type = c->value.is_bool()     ? scim::AttributeType::kBoolean
               : c->value.is_number() ? scim::AttributeType::kDecimal
                                      : scim::AttributeType::kString;
    out.sub_attributes.push_back(std::move(sub));
  } else if (const auto* l = std::get_if<scim::Logical>(&f.node)) {
    CollectSubs(*l->lhs, out);
    CollectSubs(*l->rhs, out);
  } else if (const auto* n = std::get_if<scim::Not>(&f.node)) {
    CollectSubs(*n->operand, out);
  }
}

const json::value* FirstMatch(const AttributePath& path, const json::value& v) {
  const scim::Attribute* def = nullptr;
  auto resolved = PortalUserType().Resolve(scim::AttrPath{path.attr.urn, path.attr.attr, ""});
  if (resolved.ok() && resolved->attribute != nullptr &&
      resolved->attribute->type == scim::AttributeType::kComplex) {
    def = resolved->attribute;
  }
  scim::Attribute synthesized;
  if (def == nullptr) {
    synthesized.name = path.attr.attr;
    synthesized.type = scim::AttributeType::kComplex;
    synthesized.multi_valued = true;
    CollectSubs(*path.filter, synthesized);
    def = &synthesized;
  }
  if (v.is_array()) {
    for (const auto& e : v.get_array()) {
      if (scim::MatchesElement(*path.filter, e, *def)) return &e;
    }
    return nullptr;
  }
  return scim::MatchesElement(*path.filter, v, *def) ? &v : nullptr;
}

class Evaluator {
 public:
  explicit Evaluator(const json::object& user) : user_(user) {}

  Result<json::value> Eval(const Expression& e) {
    if (const auto* lit = std::get_if<Literal>(&e.node)) return lit->value;
    if (const auto* ref = std::get_if<Reference>(&e.node)) return Lookup(ref->path, user_);
    const auto& call = std::get<Call>(e.node);
    auto r = EvalCall(call);
    if (!r.ok()) {
      Error err = std::move(r).error();
      if (!err.details().contains("position")) err.details()["position"] = e.position;
      return err;
    }
    return r;
  }

 private:
  Result<json::value> EvalCall(const Call& call) {
    switch (call.function) {
      case Function::kIIF: {
        ASSIGN_OR_RETURN(json::value cond, Eval(call.args[0]));
        if (cond.is_null()) return Eval(call.args[2]);
        if (!cond.is_bool()) {
          return Error(
              Code::kInvalidValue,
              "IIF: argument 1 (condition) must be a boolean, got " + std::string(KindName(cond)),
              {{"function", "IIF"}, {"argument", 1}});
        }
        return Eval(call.args[cond.get_bool() ? 1 : 2]);
      }
      case Function::kCoalesce:
        for (const Expression& arg : call.args) {
          ASSIGN_OR_RETURN(json::value v, Eval(arg));
          if (IsPresentValue(v)) return v;
        }
        return json::value(nullptr);
      case Function::kSwitch: {
        ASSIGN_OR_RETURN(json::value v, Eval(call.args[0]));
        if (!v.is_null()) {
          for (size_t i = 2; i + 1 < call.args.size(); i += 2) {
            ASSIGN_OR_RETURN(json::value key, Eval(call.args[i]));
            if (ValuesEqual(v, key)) return Eval(call.args[i + 1]);
          }
        }
        return Eval(call.args[1]);
      }
      default:
        break;
    }
    std::vector<json::value> args;
    args.reserve(call.args.size());
    for (const Expression& arg : call.args) {
      ASSIGN_OR_RETURN(json::value v, Eval(arg));
      args.push_back(std::move(v));
    }
    return ApplyFunction(call.function, args);
  }

  const json::object& user_;
};

}  // namespace

json::value Lookup(const AttributePath& path, const json::object& user) {
  const json::object* container = &user;
  if (!path.attr.urn.empty() && !scim::IEquals(path.attr.urn, scim::kUserSchema)) {
    const json::value* ext = scim::FindMember(user, path.attr.urn);
    if (ext == nullptr || !ext->is_object()) return nullptr;
    container = &ext->get_object();
  }
  const json::value* v = scim::FindMember(*container, path.attr.attr);
  if (v == nullptr) return nullptr;
  if (path.filter) {
    const json::value* element = FirstMatch(path, *v);
    if (element == nullptr) return nullptr;
    if (path.filter_sub.empty()) return *element;
    if (!element->is_object()) return nullptr;
    const json::value* sub = scim::FindMember(element->get_object(), path.filter_sub);
    return sub != nullptr ? *sub : json::value(nullptr);
  }
  if (path.attr.sub.empty()) return *v;
  if (v->is_object()) {
    const json::value* sub = scim::FindMember(v->get_object(), path.attr.sub);
    return sub != nullptr ? *sub : json::value(nullptr);
  }
  if (v->is_array()) {
    json::array out;
    for (const auto& e : v->get_array()) {
      if (!e.is_object()) continue;
      const json::value* sub = scim::FindMember(e.get_object(), path.attr.sub);
      if (sub != nullptr && !sub->is_null()) out.push_back(*sub);
    }
    if (out.empty()) return nullptr;
    return out;
  }
  return nullptr;
}

Result<json::value> Evaluate(const Expression& expr, const json::object& user) {
  return Evaluator(user).Eval(expr);
}

}  // namespace provisio::mapping
