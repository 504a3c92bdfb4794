#include "scim/patch.h"

#include <algorithm>
#include <boost/json/array.hpp>

#include "scim/errors.h"
#include "scim/filter_eval.h"
#include "scim/filter_parser.h"
#include "scim/resource.h"
#include "scim/schema_urns.h"
#include "scim/text.h"
#include "scim/value_compare.h"

namespace provisio::scim {

namespace json = boost::json;

std::string_view ToString(PatchOpType op) {
  switch (op) {
    case PatchOpType::kAdd:
      return "add";
    case PatchOpType::kRemove:
      return "remove";
    case PatchOpType::kReplace:
      return "replace";
  }
  return "add";
}

namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The index of the ']' closing the '[' at `open`, skipping quoted strings; npos when none.
size_t MatchingBracket(std::string_view s, size_t open) {
  bool in_string = false;
  for (size_t i = open + 1; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ']') {
      return i;
    }
  }
  return std::string_view::npos;
}

// Canonicalises `path` against `type`; a path naming a whole extension keeps attr empty.
Result<ResolvedPath> Canonicalize(AttrPath& path, const ResourceType& type, std::string_view text) {
  auto r = type.Resolve(path);
  if (!r.ok()) return InvalidPathError(r.error().message());
  if (r->attribute == nullptr) {
    path = AttrPath{r->schema->id, "", ""};
    return r;
  }
  if (r->attribute == CommonAttributes().Find("schemas")) {
    return InvalidPathError("path " + Quoted(text) + " names 'schemas', which PATCH cannot change");
  }
  path.urn = r->extension ? r->schema->id : "";
  path.attr = r->attribute->name;
  path.sub = r->sub != nullptr ? r->sub->name : "";
  return r;
}

}  // namespace

Result<PatchPath> ParsePatchPath(std::string_view raw, const ResourceType& type) {
  std::string_view text = Trim(raw);
  if (text.empty()) return InvalidPathError("empty path");
  PatchPath p;
  size_t open = text.find('[');
  if (open == std::string_view::npos) {
    auto attr = ParseAttrPath(text);
    if (!attr.ok()) return InvalidPathError("invalid path " + Quoted(text));
    p.attr = std::move(attr).value();
    RETURN_IF_ERROR(Canonicalize(p.attr, type, text));
    return p;
  }
  size_t close = MatchingBracket(text, open);
  if (close == std::string_view::npos)
    return InvalidPathError("unclosed '[' in path " + Quoted(text));
  auto attr = ParseAttrPath(text.substr(0, open));
  if (!attr.ok() || !attr->sub.empty()) {
    return InvalidPathError("invalid attribute before '[' in path " + Quoted(text));
  }
  std::string_view after = text.substr(close + 1);
  if (!after.empty()) {
    auto sub = after.front() == '.' ? ParseAttrPath(after.substr(1))
                                    : Result<AttrPath>(InvalidPathError(""));
    if (!sub.ok() || !sub->urn.empty() || !sub->sub.empty()) {
      return InvalidPathError("invalid text after ']' in path " + Quoted(text));
    }
    p.filter_sub = sub->attr;
  }
  auto inner = ParseFilter(text.substr(open + 1, close - open - 1));
  if (!inner.ok()) {
    return InvalidFilterError("in path " + Quoted(text) + ": " + inner.error().message());
  }
  Filter vp = MakeValuePath(std::move(attr).value(), std::move(inner).value());
  RETURN_IF_ERROR(BindFilter(vp, type));
  auto& bound = std::get<ValuePath>(vp.node);
  p.attr = bound.path;
  p.filter = std::move(*bound.filter);
  if (!p.filter_sub.empty()) {
    auto r = type.Resolve(p.attr);
    const Attribute* sub = r.ok() ? r->attribute->FindSub(p.filter_sub) : nullptr;
    if (sub == nullptr) {
      return InvalidPathError("unknown sub-attribute " + Quoted(p.filter_sub) + " in path " +
                              Quoted(text));
    }
    p.filter_sub = sub->name;
  }
  return p;
}

std::string ToString(const PatchPath& path) {
  std::string out = path.attr.attr.empty() ? path.attr.urn : ToString(path.attr);
  if (path.filter) {
    out += '[';
    out += ToString(*path.filter);
    out += ']';
    if (!path.filter_sub.empty()) {
      out += '.';
      out += path.filter_sub;
    }
  }
  return out;
}

Result<std::vector<PatchOperation>> ParsePatchRequest(const json::value& request,
                                                      const ResourceType& type) {
  if (!request.is_object()) return InvalidSyntaxError("a PATCH body must be a JSON object");
  const json::object& body = request.get_object();
  const json::value* schemas = FindMember(body, "schemas");
  bool has_schema = false;
  if (schemas != nullptr && schemas->is_array()) {
    for (const auto& s : schemas->get_array()) {
      has_schema = has_schema || (s.is_string() && IEquals(s.get_string(), kPatchOpSchema));
    }
  }
  if (!has_schema) {
    return InvalidSyntaxError("a PATCH body must have \"schemas\": [\"" +
                              std::string(kPatchOpSchema) + "\"]");
  }
  const json::value* ops = FindMember(body, "Operations");
  if (ops == nullptr || !ops->is_array() || ops->get_array().empty()) {
    return InvalidSyntaxError("a PATCH body must have a non-empty \"Operations\" array");
  }
  std::vector<PatchOperation> out;
  out.reserve(ops->get_array().size());
  size_t index = 0;
  for (const auto& item : ops->get_array()) {
    std::string where = "operation " + std::to_string(index++);
    if (!item.is_object()) return InvalidSyntaxError(where + " is not an object");
    const json::object& o = item.get_object();
    PatchOperation op;
    const json::value* name = FindMember(o, "op");
    if (name == nullptr || !name->is_string()) {
      return InvalidSyntaxError(where + " has no \"op\"");
    }
    std::string_view n = name->get_string();
    if (IEquals(n, "add")) {
      op.op = PatchOpType::kAdd;
    } else if (IEquals(n, "remove")) {
      op.op = PatchOpType::kRemove;
    } else if (IEquals(n, "replace")) {
      op.op = PatchOpType::kReplace;
    } else {
      return InvalidSyntaxError(where + " has unknown op " + Quoted(n) +
                                " (expected add, remove or replace)");
    }
    const json::value* path = FindMember(o, "path");
    if (path != nullptr && !path->is_null()) {
      if (!path->is_string()) return InvalidPathError(where + ": \"path\" must be a string");
      if (!Trim(path->get_string()).empty()) {
        auto p = ParsePatchPath(path->get_string(), type);
        if (!p.ok()) return Error(p.error().code(), where + ": " + p.error().message());
        op.path = std::move(p).value();
      }
    }
    const json::value* value = FindMember(o, "value");
    if (op.op != PatchOpType::kRemove && value == nullptr) {
      return InvalidSyntaxError(where + " (" + std::string(ToString(op.op)) + ") needs a value");
    }
    if (op.op == PatchOpType::kRemove && !op.path) {
      return NoTargetError(where + " (remove) needs a path");
    }
    if (value != nullptr) op.value = *value;
    out.push_back(std::move(op));
  }
  return out;
}

namespace {

void DropEmptyElements(json::array& arr) {
  auto end = std::remove_if(arr.begin(), arr.end(), [](const json::value& e) {
    return e.is_object() && e.get_object().empty();
  });
  arr.erase(end, arr.end());
}

bool IsTrue(const json::value* v) { return v != nullptr && v->is_bool() && v->get_bool(); }

// Clears "primary" on every element but `keep` when `keep` is primary.
void EnforcePrimary(json::array& arr, size_t keep) {
  if (keep >= arr.size() || !arr[keep].is_object() ||
      !IsTrue(arr[keep].get_object().if_contains("primary"))) {
    return;
  }
  for (size_t i = 0; i < arr.size(); ++i) {
    if (i != keep && arr[i].is_object()) arr[i].get_object().erase("primary");
  }
}

// Two elements of a multi-valued attribute denote the same value: same "value" (and same
// "type" when both have one) when the attribute has a value sub-attribute, else equal ignoring
// "primary".
bool SameElement(const json::value& a, const json::value& b, const Attribute& attr) {
  if (attr.type != AttributeType::kComplex) return ValuesEqual(a, b, attr);
  if (!a.is_object() || !b.is_object()) return a == b;
  const json::object& x = a.get_object();
  const json::object& y = b.get_object();
  const Attribute* value_def = attr.FindSub("value");
  const json::value* xv = x.if_contains("value");
  const json::value* yv = y.if_contains("value");
  if (value_def != nullptr && xv != nullptr && yv != nullptr) {
    if (!ValuesEqual(*xv, *yv, *value_def)) return false;
    const json::value* xt = x.if_contains("type");
    const json::value* yt = y.if_contains("type");
    const Attribute* type_def = attr.FindSub("type");
    return xt == nullptr || yt == nullptr || type_def == nullptr ||
           ValuesEqual(*xt, *yt, *type_def);
  }
  json::object xc = x, yc = y;
  xc.erase("primary");
  yc.erase("primary");
  return ValuesEqual(xc, yc, attr);
}

class Patcher {
 public:
  Patcher(json::object resource, const ResourceType& type)
      : res_(std::move(resource)), type_(type) {}

  json::object& resource() { return res_; }

  Status Apply(const PatchOperation& op) {
    if (!op.path) {
      if (op.op == PatchOpType::kRemove) return NoTargetError("remove needs a path");
      return ApplyWithoutPath(op.op, op.value);
    }
    return ApplyAt(op.op, *op.path,
                   op.op == PatchOpType::kRemove && op.value.is_null() ? nullptr : &op.value);
  }

 private:
  // add/replace without a path: the value is an object of attributes, possibly with dotted
  // ("name.givenName") and URN-qualified keys, or whole extension objects.
  Status ApplyWithoutPath(PatchOpType op, const json::value& value) {
    if (!value.is_object()) {
      return InvalidValueError(std::string(ToString(op)) +
                               " without a path needs an object of attributes as its value");
    }
    for (const auto& kv : value.get_object()) {
      std::string_view key = kv.key();
      if (IEquals(key, "schemas")) continue;
      if (IStartsWith(key, "urn:")) {
        if (const Schema* s = type_.FindSchema(key)) {
          if (!kv.value().is_object()) {
            return InvalidValueError("the value of " + Quoted(s->id) + " must be an object");
          }
          for (const auto& inner : kv.value().get_object()) {
            RETURN_IF_ERROR(ApplyKey(op, s->id + ":" + std::string(inner.key()), inner.value()));
          }
          continue;
        }
      }
      RETURN_IF_ERROR(ApplyKey(op, key, kv.value()));
    }
    return Ok();
  }

  Status ApplyKey(PatchOpType op, std::string_view key, const json::value& value) {
    auto attr = ParseAttrPath(key);
    if (!attr.ok()) return InvalidPathError("invalid attribute name " + Quoted(key));
    PatchPath path;
    path.attr = std::move(attr).value();
    RETURN_IF_ERROR(Canonicalize(path.attr, type_, key));
    return ApplyAt(op, path, &value);
  }

  json::object* Container(const ResolvedPath& r, bool create) {
    if (!r.extension) return &res_;
    json::value* ext = res_.if_contains(r.schema->id);
    if (ext == nullptr || !ext->is_object()) {
      if (!create) return nullptr;
      ext = &(res_[r.schema->id] = json::object());
    }
    return &ext->get_object();
  }

  void DropEmptyExtension(const ResolvedPath& r) {
    if (!r.extension) return;
    json::value* ext = res_.if_contains(r.schema->id);
    if (ext != nullptr && ext->is_object() && ext->get_object().empty()) res_.erase(r.schema->id);
  }

  // readOnly: allowed only when it changes nothing (Okta echoes "id" in replace values).
  static Status CheckMutable(const Attribute& a, std::string_view name, const json::value* current,
                             const json::value* next, PatchOpType op) {
    bool same = current != nullptr && next != nullptr && ValuesEqual(*current, *next, a);
    if (a.mutability == Mutability::kReadOnly && !same) {
      return MutabilityError("attribute " + Quoted(name) + " is readOnly");
    }
    if (a.mutability == Mutability::kImmutable && current != nullptr && !same) {
      return MutabilityError("attribute " + Quoted(name) + " is immutable and already has a value");
    }
    if (op == PatchOpType::kRemove && a.required && current != nullptr) {
      return MutabilityError("required attribute " + Quoted(name) + " cannot be removed");
    }
    return Ok();
  }

  Status ApplyAt(PatchOpType op, const PatchPath& path, const json::value* value) {
    if (path.attr.attr.empty()) {  // a whole extension
      const Schema* s = type_.FindSchema(path.attr.urn);
      if (s == nullptr) return InvalidPathError("unknown schema " + Quoted(path.attr.urn));
      return ApplyToExtension(op, ResolvedPath{s, nullptr, nullptr, true}, value);
    }
    auto resolved = type_.Resolve(path.attr);
    if (!resolved.ok()) return InvalidPathError(resolved.error().message());
    const ResolvedPath& r = *resolved;
    if (r.attribute == nullptr) return ApplyToExtension(op, r, value);
    if (path.filter) return ApplyFiltered(op, r, path, value);
    if (r.sub != nullptr) return ApplySub(op, r, value);
    return ApplyWhole(op, r, value);
  }

  Status ApplyToExtension(PatchOpType op, const ResolvedPath& r, const json::value* value) {
    if (op == PatchOpType::kRemove) {
      for (const SchemaExtension& e : type_.extensions) {
        if (e.schema == r.schema && e.required && res_.contains(r.schema->id)) {
          return MutabilityError("required extension " + Quoted(r.schema->id) +
                                 " cannot be removed");
        }
      }
      res_.erase(r.schema->id);
      return Ok();
    }
    if (value == nullptr || !value->is_object()) {
      return InvalidValueError("the value for " + Quoted(r.schema->id) + " must be an object");
    }
    json::object wrapped;
    wrapped[r.schema->id] = *value;
    return ApplyWithoutPath(op, wrapped);
  }

  Status ApplyWhole(PatchOpType op, const ResolvedPath& r, const json::value* value) {
    const Attribute& a = *r.attribute;
    json::object* c = Container(r, op != PatchOpType::kRemove);
    json::value* current = c == nullptr ? nullptr : c->if_contains(a.name);
    if (op == PatchOpType::kRemove) {
      if (current == nullptr) return Ok();
      if (value != nullptr && a.multi_valued && a.type == AttributeType::kComplex) {
        return RemoveListed(a, *c, *value);
      }
      RETURN_IF_ERROR(CheckMutable(a, a.name, current, nullptr, op));
      c->erase(a.name);
      DropEmptyExtension(r);
      return Ok();
    }
    bool read_only = a.mutability == Mutability::kReadOnly;
    ASSIGN_OR_RETURN(json::value nv, NormalizeValue(*value, a, a.name, false, read_only));
    if (nv.is_null()) {
      if (op == PatchOpType::kAdd) return Ok();  // adding nothing
      if (current == nullptr) return Ok();
      RETURN_IF_ERROR(CheckMutable(a, a.name, current, nullptr, PatchOpType::kRemove));
      c->erase(a.name);
      DropEmptyExtension(r);
      return Ok();
    }
    if (a.mutability == Mutability::kReadOnly || a.mutability == Mutability::kImmutable) {
      RETURN_IF_ERROR(CheckMutable(a, a.name, current, &nv, op));
      if (a.mutability == Mutability::kReadOnly) return Ok();  // unchanged
    }
    if (a.multi_valued) {
      if (op == PatchOpType::kReplace || current == nullptr || !current->is_array()) {
        (*c)[a.name] = std::move(nv);
        return Ok();
      }
      json::array& arr = current->get_array();
      for (auto& e : nv.get_array()) {
        size_t at = arr.size();
        for (size_t i = 0; i < arr.size(); ++i) {
          if (SameElement(arr[i], e, a)) {
            at = i;
            break;
          }
        }
        if (at == arr.size()) {
          arr.push_back(std::move(e));
        } else if (e.is_object() && arr[at].is_object()) {
          for (auto& kv : e.get_object()) arr[at].get_object()[kv.key()] = std::move(kv.value());
        }
        EnforcePrimary(arr, at);
      }
      return Ok();
    }
    if (a.type == AttributeType::kComplex && current != nullptr && current->is_object()) {
      // RFC 7644 §3.5.2.1/3: sub-attributes not given are left unchanged.
      for (auto& kv : nv.get_object()) current->get_object()[kv.key()] = std::move(kv.value());
      return Ok();
    }
    (*c)[a.name] = std::move(nv);
    return Ok();
  }

  // Entra: {"op":"remove","path":"members","value":[{"value":"id"}]} removes just those.
  Status RemoveListed(const Attribute& a, json::object& c, const json::value& value) {
    ASSIGN_OR_RETURN(json::value listed, NormalizeValue(value, a, a.name, false, true, true));
    json::value* current = c.if_contains(a.name);
    if (listed.is_null() || current == nullptr || !current->is_array()) return Ok();
    json::array& arr = current->get_array();
    for (const auto& gone : listed.get_array()) {
      for (size_t i = 0; i < arr.size();) {
        if (SameElement(arr[i], gone, a)) {
          arr.erase(arr.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
          ++i;
        }
      }
    }
    if (arr.empty()) c.erase(a.name);
    return Ok();
  }

  Status SetSub(json::object& element, const Attribute& a, const Attribute& sub, PatchOpType op,
                const json::value* value) {
    std::string name = a.name + "." + sub.name;
    json::value* current = element.if_contains(sub.name);
    if (op == PatchOpType::kRemove) {
      if (current == nullptr) return Ok();
      RETURN_IF_ERROR(CheckMutable(sub, name, current, nullptr, op));
      element.erase(sub.name);
      return Ok();
    }
    ASSIGN_OR_RETURN(json::value nv, NormalizeValue(*value, sub, name));
    if (nv.is_null()) {
      if (current != nullptr) {
        RETURN_IF_ERROR(CheckMutable(sub, name, current, nullptr, PatchOpType::kRemove));
      }
      element.erase(sub.name);
      return Ok();
    }
    RETURN_IF_ERROR(CheckMutable(sub, name, current, &nv, op));
    element[sub.name] = std::move(nv);
    return Ok();
  }

  Status ApplySub(PatchOpType op, const ResolvedPath& r, const json::value* value) {
    const Attribute& a = *r.attribute;
    const Attribute& sub = *r.sub;
    json::object* c = Container(r, op != PatchOpType::kRemove);
    if (c == nullptr) return Ok();
    json::value* current = c->if_contains(a.name);
    if (a.mutability == Mutability::kReadOnly) {
      return MutabilityError("attribute " + Quoted(a.name + "." + sub.name) + " is readOnly");
    }
    if (a.multi_valued) {
      if (current == nullptr || !current->is_array() || current->get_array().empty()) {
        if (op == PatchOpType::kRemove) return Ok();
        json::object fresh;
        RETURN_IF_ERROR(SetSub(fresh, a, sub, op, value));
        if (!fresh.empty()) (*c)[a.name] = json::array{std::move(fresh)};
        return Ok();
      }
      json::array& arr = current->get_array();
      for (auto& e : arr) {
        if (e.is_object()) RETURN_IF_ERROR(SetSub(e.get_object(), a, sub, op, value));
      }
      DropEmptyElements(arr);
      if (arr.empty()) c->erase(a.name);
      return Ok();
    }
    if (current == nullptr || !current->is_object()) {
      if (op == PatchOpType::kRemove) return Ok();
      current = &((*c)[a.name] = json::object());
    }
    RETURN_IF_ERROR(SetSub(current->get_object(), a, sub, op, value));
    if (current->get_object().empty()) {
      c->erase(a.name);
      DropEmptyExtension(r);
    }
    return Ok();
  }

  Status ApplyFiltered(PatchOpType op, const ResolvedPath& r, const PatchPath& path,
                       const json::value* value) {
    const Attribute& a = *r.attribute;
    std::string shown = ToString(path);
    json::object* c = Container(r, false);
    json::value* current = c == nullptr ? nullptr : c->if_contains(a.name);
    std::vector<size_t> hits;
    json::array single;
    json::array* arr = nullptr;
    if (current != nullptr && current->is_array()) {
      arr = &current->get_array();
    } else if (current != nullptr && current->is_object()) {
      single.push_back(*current);
      arr = &single;
    }
    if (arr != nullptr) {
      for (size_t i = 0; i < arr->size(); ++i) {
        if (MatchesElement(*path.filter, (*arr)[i], a)) hits.push_back(i);
      }
    }
    if (hits.empty()) return NoTargetError("no value matches path " + Quoted(shown));
    if (a.mutability == Mutability::kReadOnly) {
      return MutabilityError("attribute " + Quoted(a.name) + " is readOnly");
    }
    if (!path.filter_sub.empty()) {
      const Attribute& sub = *a.FindSub(path.filter_sub);
      for (size_t i : hits) {
        RETURN_IF_ERROR(SetSub((*arr)[i].get_object(), a, sub, op, value));
        EnforcePrimary(*arr, i);
      }
    } else if (op == PatchOpType::kRemove) {
      for (auto it = hits.rbegin(); it != hits.rend(); ++it) {
        arr->erase(arr->begin() + static_cast<std::ptrdiff_t>(*it));
      }
    } else {
      ASSIGN_OR_RETURN(json::value nv, NormalizeValue(*value, a, a.name, /*as_element=*/true));
      if (!nv.is_object())
        return InvalidValueError("the value for " + Quoted(shown) + " must be an object");
      for (size_t i : hits) {
        json::object& e = (*arr)[i].get_object();
        if (op == PatchOpType::kReplace) {
          e = nv.get_object();
        } else {
          for (const auto& kv : nv.get_object()) e[kv.key()] = kv.value();
        }
        EnforcePrimary(*arr, i);
      }
    }
    DropEmptyElements(*arr);
    if (arr == &single) {
      if (single.empty()) {
        c->erase(a.name);
      } else {
        *current = std::move(single[0]);
      }
    } else if (arr->empty()) {
      c->erase(a.name);
    }
    DropEmptyExtension(r);
    return Ok();
  }

  json::object res_;
  const ResourceType& type_;
};

}  // namespace

Result<json::object> ApplyPatch(const json::object& resource,
                                std::span<const PatchOperation> operations,
                                const ResourceType& type) {
  try {
    NormalizeOptions stored;
    stored.mode = WriteMode::kStored;
    ASSIGN_OR_RETURN(json::object start, NormalizeResource(resource, type, stored));
    Patcher patcher(std::move(start), type);
    size_t index = 0;
    for (const PatchOperation& op : operations) {
      Status s = patcher.Apply(op);
      if (!s.ok()) {
        Error e = std::move(s).error();
        return Error(e.code(), "operation " + std::to_string(index) + " (" +
                                   std::string(ToString(op.op)) + "): " + e.message());
      }
      ++index;
    }
    return NormalizeResource(patcher.resource(), type, stored);
  } catch (const std::exception& e) {
    return InvalidValueError(std::string("PATCH failed: ") + e.what());
  }
}

Result<json::object> ApplyPatch(const json::object& resource, const json::value& patch_request,
                                const ResourceType& type) {
  ASSIGN_OR_RETURN(std::vector<PatchOperation> ops, ParsePatchRequest(patch_request, type));
  return ApplyPatch(resource, ops, type);
}

// ---- member operations -------------------------------------------------------------------------

namespace {

class MemberSplitter {
 public:
  explicit MemberSplitter(MemberDelta& d) : d_(d) {}

  void Add(std::string id) {
    std::erase(d_.removed, id);
    if (std::find(d_.added.begin(), d_.added.end(), id) == d_.added.end()) {
      d_.added.push_back(std::move(id));
    }
  }
  void Remove(std::string id) {
    std::erase(d_.added, id);
    if (!d_.replace_all &&
        std::find(d_.removed.begin(), d_.removed.end(), id) == d_.removed.end()) {
      d_.removed.push_back(std::move(id));
    }
  }
  void Clear() {
    d_.replace_all = true;
    d_.added.clear();
    d_.removed.clear();
  }

  // A member list value: [{"value":"id",...}, ...] or a lone {"value":"id"}.
  static Result<std::vector<std::string>> Ids(const json::value& v) {
    std::vector<std::string> ids;
    auto one = [&](const json::value& e) -> Status {
      if (e.is_null()) return Ok();
      const json::value* id = e.is_object() ? FindMember(e.get_object(), "value") : nullptr;
      if (id == nullptr || !id->is_string() || id->get_string().empty()) {
        return InvalidValueError("each member must be an object with a string \"value\"");
      }
      ids.emplace_back(id->get_string());
      return Ok();
    };
    if (v.is_array()) {
      for (const auto& e : v.get_array()) RETURN_IF_ERROR(one(e));
    } else {
      RETURN_IF_ERROR(one(v));
    }
    return ids;
  }

  // `value eq "x"` or several joined by `or`.
  static bool FilterIds(const Filter& f, std::vector<std::string>& ids) {
    if (const auto* c = std::get_if<Comparison>(&f.node)) {
      if (c->op != CompareOp::kEq || c->path.attr != "value" || !c->value.is_string()) {
        return false;
      }
      ids.emplace_back(c->value.get_string());
      return true;
    }
    if (const auto* l = std::get_if<Logical>(&f.node)) {
      return l->op == LogicalOp::kOr && FilterIds(*l->lhs, ids) && FilterIds(*l->rhs, ids);
    }
    return false;
  }

 private:
  MemberDelta& d_;
};

bool IsMembers(const AttrPath& p) { return p.urn.empty() && p.attr == "members"; }

Error NeedsMembers(const PatchOperation& op) {
  return Error(Code::kNotImplemented, "member operation " + std::string(ToString(op.op)) + " " +
                                          (op.path ? ToString(*op.path) : std::string("members")) +
                                          " needs the member list; use ApplyPatch");
}

}  // namespace

Result<MemberDelta> ExtractMemberOps(std::vector<PatchOperation> operations,
                                     const ResourceType& type) {
  if (type.schema->Find("members") == nullptr) {
    return InvalidPathError("resource type " + type.id + " has no members");
  }
  MemberDelta delta;
  MemberSplitter split(delta);
  for (PatchOperation& op : operations) {
    if (!op.path) {
      if (!op.value.is_object()) {
        delta.rest.push_back(std::move(op));
        continue;
      }
      json::object others;
      for (const auto& kv : op.value.get_object()) {
        if (!IEquals(kv.key(), "members") &&
            !IEquals(kv.key(), std::string(type.schema->id) + ":members")) {
          others[kv.key()] = kv.value();
          continue;
        }
        ASSIGN_OR_RETURN(std::vector<std::string> ids, MemberSplitter::Ids(kv.value()));
        if (op.op == PatchOpType::kReplace) split.Clear();
        for (auto& id : ids) split.Add(std::move(id));
      }
      if (others.size() != op.value.get_object().size()) {
        if (others.empty()) continue;
        op.value = std::move(others);
      }
      delta.rest.push_back(std::move(op));
      continue;
    }
    const PatchPath& path = *op.path;
    if (!IsMembers(path.attr)) {
      delta.rest.push_back(std::move(op));
      continue;
    }
    if (!path.attr.sub.empty() || !path.filter_sub.empty()) return NeedsMembers(op);
    if (path.filter) {
      std::vector<std::string> ids;
      if (op.op != PatchOpType::kRemove || !MemberSplitter::FilterIds(*path.filter, ids)) {
        return NeedsMembers(op);
      }
      for (auto& id : ids) split.Remove(std::move(id));
      continue;
    }
    switch (op.op) {
      case PatchOpType::kAdd: {
        ASSIGN_OR_RETURN(std::vector<std::string> ids, MemberSplitter::Ids(op.value));
        for (auto& id : ids) split.Add(std::move(id));
        break;
      }
      case PatchOpType::kReplace: {
        ASSIGN_OR_RETURN(std::vector<std::string> ids, MemberSplitter::Ids(op.value));
        split.Clear();
        for (auto& id : ids) split.Add(std::move(id));
        break;
      }
      case PatchOpType::kRemove: {
        if (op.value.is_null()) {
          split.Clear();
          break;
        }
        ASSIGN_OR_RETURN(std::vector<std::string> ids, MemberSplitter::Ids(op.value));
        for (auto& id : ids) split.Remove(std::move(id));
        break;
      }
    }
  }
  return delta;
}

Result<MemberDelta> ExtractMemberOps(const json::value& patch_request, const ResourceType& type) {
  ASSIGN_OR_RETURN(std::vector<PatchOperation> ops, ParsePatchRequest(patch_request, type));
  return ExtractMemberOps(std::move(ops), type);
}

}  // namespace provisio::scim
