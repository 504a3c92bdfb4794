#include "scim/resource.h"

#include <boost/json/array.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "scim/errors.h"
#include "scim/filter_eval.h"
#include "scim/text.h"
#include "scim/value_compare.h"

namespace provisio::scim {

namespace {

namespace json = boost::json;

std::string Quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

Result<json::value> NormalizeScalar(const json::value& v, const Attribute& attr,
                                    std::string_view name) {
  switch (attr.type) {
    case AttributeType::kBoolean:
      if (v.is_bool()) return v;
      if (v.is_string()) {
        // Entra (without aadOptscim062020) sends "True"/"False".
        if (IEquals(v.get_string(), "true")) return json::value(true);
        if (IEquals(v.get_string(), "false")) return json::value(false);
      }
      return InvalidValueError("attribute " + Quoted(name) + " must be a boolean");
    case AttributeType::kInteger:
      if (v.is_int64()) return v;
      if (v.is_uint64() && v.get_uint64() <= uint64_t(std::numeric_limits<int64_t>::max())) {
        return json::value(static_cast<int64_t>(v.get_uint64()));
      }
      if (v.is_double() && std::trunc(v.get_double()) == v.get_double() &&
          std::fabs(v.get_double()) < 9.2e18) {
        return json::value(static_cast<int64_t>(v.get_double()));
      }
      return InvalidValueError("attribute " + Quoted(name) + " must be an integer");
    case AttributeType::kDecimal:
      if (v.is_number()) return v;
      return InvalidValueError("attribute " + Quoted(name) + " must be a number");
    case AttributeType::kDateTime:
      if (v.is_string() && ParseDateTime(v.get_string())) return v;
      return InvalidValueError("attribute " + Quoted(name) +
                               " must be a dateTime such as \"2011-05-13T04:42:34Z\"");
    case AttributeType::kString:
    case AttributeType::kReference:
    case AttributeType::kBinary:
      if (v.is_string()) return v;
      return InvalidValueError("attribute " + Quoted(name) + " must be a string");
    case AttributeType::kComplex:
      break;
  }
  return InvalidValueError("attribute " + Quoted(name) + " has an unsupported type");
}

Result<json::value> NormalizeComplex(const json::value& v, const Attribute& attr,
                                     std::string_view name, bool keep_read_only,
                                     bool ignore_unknown) {
  if (!v.is_object()) {
    return InvalidValueError("attribute " + Quoted(name) + " must be an object");
  }
  json::object out;
  for (const auto& kv : v.get_object()) {
    const Attribute* sub = attr.FindSub(kv.key());
    std::string sub_name = std::string(name) + "." + std::string(kv.key());
    if (sub == nullptr) {
      if (ignore_unknown) continue;
      return InvalidValueError("unknown sub-attribute " + Quoted(sub_name));
    }
    if (sub->mutability == Mutability::kReadOnly && !keep_read_only) continue;
    ASSIGN_OR_RETURN(json::value nv, NormalizeScalar(kv.value(), *sub, sub_name));
    if (!nv.is_null()) out[sub->name] = std::move(nv);
  }
  if (out.empty()) return json::value(nullptr);
  return json::value(std::move(out));
}

Result<json::value> NormalizeElement(const json::value& v, const Attribute& attr,
                                     std::string_view name, bool keep_read_only,
                                     bool ignore_unknown) {
  if (v.is_null()) return json::value(nullptr);
  if (attr.type == AttributeType::kComplex) {
    return NormalizeComplex(v, attr, name, keep_read_only, ignore_unknown);
  }
  return NormalizeScalar(v, attr, name);
}

}  // namespace

Result<json::value> NormalizeValue(const json::value& value, const Attribute& attr,
                                   std::string_view name, bool as_element, bool keep_read_only,
                                   bool ignore_unknown) {
  if (!attr.multi_valued || as_element) {
    if (value.is_array() && !attr.multi_valued) {
      return InvalidValueError("attribute " + Quoted(name) + " is single-valued");
    }
    return NormalizeElement(value, attr, name, keep_read_only, ignore_unknown);
  }
  json::array out;
  auto add = [&](const json::value& e) -> Status {
    ASSIGN_OR_RETURN(json::value nv,
                     NormalizeElement(e, attr, name, keep_read_only, ignore_unknown));
    if (!nv.is_null()) out.push_back(std::move(nv));
    return Ok();
  };
  if (value.is_array()) {
    for (const auto& e : value.get_array()) RETURN_IF_ERROR(add(e));
  } else {
    RETURN_IF_ERROR(add(value));  // a lone value for a multi-valued attribute
  }
  if (attr.type == AttributeType::kComplex) {
    int primaries = 0;
    for (const auto& e : out) {
      const json::value* p = e.get_object().if_contains("primary");
      if (p != nullptr && p->is_bool() && p->get_bool()) ++primaries;
    }
    if (primaries > 1) {
      return InvalidValueError("attribute " + Quoted(name) +
                               " has more than one value with primary true");
    }
  }
  if (out.empty()) return json::value(nullptr);
  return json::value(std::move(out));
}

namespace {

class Normalizer {
 public:
  Normalizer(const ResourceType& type, const NormalizeOptions& options)
      : type_(type), options_(options) {}

  Result<json::object> Run(const json::object& input) {
    const json::value* schemas = FindMember(input, "schemas");
    if (schemas != nullptr) RETURN_IF_ERROR(CheckSchemas(*schemas));
    for (const auto& kv : input) {
      if (IEquals(kv.key(), "schemas")) continue;
      RETURN_IF_ERROR(Put(kv.key(), kv.value()));
    }
    if (options_.mode == WriteMode::kReplace && options_.existing != nullptr) {
      RETURN_IF_ERROR(CarryOver(*options_.existing));
    }
    RETURN_IF_ERROR(CheckRequired());
    json::object result;
    result.reserve(out_.size() + 1);
    json::array ids{json::string(type_.schema->id)};
    for (const SchemaExtension& ext : type_.extensions) {
      if (out_.contains(ext.schema->id)) ids.emplace_back(ext.schema->id);
    }
    result["schemas"] = std::move(ids);
    for (auto& kv : out_) result[kv.key()] = std::move(kv.value());
    return result;
  }

 private:
  bool keep_read_only() const { return options_.mode == WriteMode::kStored; }

  Status CheckSchemas(const json::value& schemas) {
    if (!schemas.is_array()) return InvalidValueError("'schemas' must be an array of URNs");
    for (const auto& s : schemas.get_array()) {
      if (!s.is_string()) return InvalidValueError("'schemas' must be an array of URNs");
      if (type_.FindSchema(s.get_string()) == nullptr) {
        return InvalidValueError("schema " + Quoted(s.get_string()) + " is not a schema of " +
                                 type_.id);
      }
    }
    return Ok();
  }

  Status Unknown(std::string_view key) {
    if (options_.ignore_unknown) return Ok();
    return InvalidValueError("unknown attribute " + Quoted(key) + " for resource type " + type_.id);
  }

  Status Put(std::string_view key, const json::value& value) {
    if (IStartsWith(key, "urn:")) {
      if (const Schema* s = type_.FindSchema(key)) {
        if (!value.is_object()) {
          if (value.is_null()) return Ok();
          return InvalidValueError("extension " + Quoted(s->id) + " must be an object");
        }
        for (const auto& kv : value.get_object()) {
          AttrPath p;
          auto parsed = ParseAttrPath(kv.key());
          if (!parsed.ok() || !parsed->urn.empty()) {
            RETURN_IF_ERROR(Unknown(s->id + ":" + std::string(kv.key())));
            continue;
          }
          p = std::move(parsed).value();
          p.urn = s->id;
          RETURN_IF_ERROR(PutPath(p, kv.value(), s->id + ":" + std::string(kv.key())));
        }
        return Ok();
      }
    }
    auto parsed = ParseAttrPath(key);
    if (!parsed.ok()) return Unknown(key);
    return PutPath(*parsed, value, key);
  }

  Status PutPath(const AttrPath& path, const json::value& value, std::string_view key) {
    auto r = type_.Resolve(path);
    if (!r.ok() || r->attribute == nullptr) return Unknown(key);
    const Attribute& attr = *r->attribute;
    if (&attr == CommonAttributes().Find("schemas")) return Ok();
    if (attr.mutability == Mutability::kReadOnly && !keep_read_only()) return Ok();
    json::object& container = Container(*r);
    if (r->sub == nullptr) {
      ASSIGN_OR_RETURN(json::value nv, NormalizeValue(value, attr, attr.name, false,
                                                      keep_read_only(), options_.ignore_unknown));
      if (nv.is_null()) {
        container.erase(attr.name);
      } else if (json::value* prev = container.if_contains(attr.name);
                 prev != nullptr && prev->is_object() && nv.is_object()) {
        for (auto& kv : nv.get_object()) (*prev).get_object()[kv.key()] = std::move(kv.value());
      } else {
        container[attr.name] = std::move(nv);
      }
      return Ok();
    }
    // "name.givenName": a sub-attribute of a single-valued complex attribute.
    const Attribute& sub = *r->sub;
    std::string name = attr.name + "." + sub.name;
    if (attr.multi_valued) {
      return InvalidValueError("cannot set " + Quoted(name) + " of multi-valued attribute " +
                               Quoted(attr.name) + " by a dotted key");
    }
    if (sub.mutability == Mutability::kReadOnly && !keep_read_only()) return Ok();
    ASSIGN_OR_RETURN(json::value nv, NormalizeScalar(value, sub, name));
    json::value& parent = container[attr.name];
    if (!parent.is_object()) parent = json::object();
    if (value.is_null()) {
      parent.get_object().erase(sub.name);
    } else {
      parent.get_object()[sub.name] = std::move(nv);
    }
    if (parent.get_object().empty()) container.erase(attr.name);
    return Ok();
  }

  json::object& Container(const ResolvedPath& r) {
    if (!r.extension) return out_;
    json::value& ext = out_[r.schema->id];
    if (!ext.is_object()) ext = json::object();
    return ext.get_object();
  }

  // kReplace: readOnly attributes come from the existing resource; immutable ones must match.
  Status CarryOver(const json::object& existing) {
    auto visit = [&](const Schema& schema, const json::object* old_obj,
                     json::object& now) -> Status {
      if (old_obj == nullptr) return Ok();
      for (const Attribute& a : schema.attributes) {
        const json::value* old = FindMember(*old_obj, a.name);
        if (old == nullptr) continue;
        if (a.mutability == Mutability::kReadOnly) {
          now[a.name] = *old;
        } else if (a.mutability == Mutability::kImmutable) {
          const json::value* v = now.if_contains(a.name);
          if (v == nullptr) {
            now[a.name] = *old;
          } else if (!ValuesEqual(*v, *old, a)) {
            return MutabilityError("attribute " + Quoted(a.name) + " is immutable");
          }
        }
      }
      return Ok();
    };
    RETURN_IF_ERROR(visit(CommonAttributes(), &existing, out_));
    RETURN_IF_ERROR(visit(*type_.schema, &existing, out_));
    for (const SchemaExtension& e : type_.extensions) {
      const json::value* old = FindMember(existing, e.schema->id);
      if (old == nullptr || !old->is_object()) continue;
      json::value& now = out_[e.schema->id];
      if (!now.is_object()) now = json::object();
      RETURN_IF_ERROR(visit(*e.schema, &old->get_object(), now.get_object()));
      if (now.get_object().empty()) out_.erase(e.schema->id);
    }
    out_.erase("schemas");
    return Ok();
  }

  Status CheckRequired() {
    for (const Attribute& a : type_.schema->attributes) {
      if (a.required && !out_.contains(a.name)) {
        return InvalidValueError("required attribute " + Quoted(a.name) + " is missing");
      }
    }
    for (const SchemaExtension& e : type_.extensions) {
      const json::value* ext = out_.if_contains(e.schema->id);
      if (e.required && ext == nullptr) {
        return InvalidValueError("required extension " + Quoted(e.schema->id) + " is missing");
      }
      if (ext == nullptr) continue;
      for (const Attribute& a : e.schema->attributes) {
        if (a.required && !ext->get_object().contains(a.name)) {
          return InvalidValueError("required attribute " + Quoted(e.schema->id + ":" + a.name) +
                                   " is missing");
        }
      }
    }
    return Ok();
  }

  const ResourceType& type_;
  const NormalizeOptions& options_;
  json::object out_;
};

// ---- serialisation --------------------------------------------------------------------------

class Serializer {
 public:
  Serializer(const ResourceType& type, const Projection& projection)
      : type_(type), projection_(projection) {}

  json::object Run(const json::object& resource) {
    json::object out;
    out.reserve(resource.size());
    for (const auto& kv : resource) {
      if (kv.key() == "schemas") {
        out[kv.key()] = kv.value();
        continue;
      }
      if (const Schema* ext = ExtensionSchema(kv.key())) {
        if (!kv.value().is_object()) continue;
        json::object sub_out;
        for (const auto& e : kv.value().get_object()) {
          const Attribute* a = ext->Find(e.key());
          if (a == nullptr) continue;
          json::value v;
          if (Emit(ext, *a, e.value(), v)) sub_out[a->name] = std::move(v);
        }
        if (!sub_out.empty()) out[ext->id] = std::move(sub_out);
        continue;
      }
      const Schema* schema = &CommonAttributes();
      const Attribute* a = schema->Find(kv.key());
      if (a == nullptr) {
        schema = type_.schema;
        a = schema->Find(kv.key());
      }
      if (a == nullptr) continue;  // not part of the resource type: never leaks out
      json::value v;
      if (Emit(schema, *a, kv.value(), v)) out[a->name] = std::move(v);
    }
    return out;
  }

 private:
  const Schema* ExtensionSchema(std::string_view key) const {
    if (!IStartsWith(key, "urn:")) return nullptr;
    for (const SchemaExtension& e : type_.extensions) {
      if (IEquals(e.schema->id, key)) return e.schema;
    }
    return nullptr;
  }

  static bool Matches(const ResolvedPath& p, const Schema* schema, const Attribute& a) {
    return p.attribute == &a && p.schema == schema;
  }

  // Decides whether attribute `a` is returned and with which sub-attributes.
  bool Emit(const Schema* schema, const Attribute& a, const json::value& value, json::value& out) {
    if (a.returned == Returned::kNever) return false;
    if (a.returned == Returned::kAlways) {
      out = value;
      return true;
    }
    std::vector<const Attribute*> only_subs;  // from attributes=a.sub
    bool whole = false;
    if (projection_.restricted) {
      for (const ResolvedPath& p : projection_.attributes) {
        if (!Matches(p, schema, a)) continue;
        if (p.sub == nullptr) {
          whole = true;
        } else {
          only_subs.push_back(p.sub);
        }
      }
      if (!whole && only_subs.empty()) return false;
    } else {
      if (a.returned == Returned::kRequest) return false;
      whole = true;
    }
    std::vector<const Attribute*> excluded_subs;
    for (const ResolvedPath& p : projection_.excluded) {
      if (!Matches(p, schema, a)) continue;
      if (p.sub == nullptr) {
        if (!projection_.restricted) return false;
      } else {
        excluded_subs.push_back(p.sub);
      }
    }
    if (a.type != AttributeType::kComplex) {
      out = value;
      return true;
    }
    auto keep_sub = [&](const Attribute* sub) {
      if (sub == nullptr) return false;  // unknown sub-attribute stored: do not leak
      if (sub->returned == Returned::kNever) return false;
      if (sub->returned == Returned::kAlways) return true;
      if (!whole) {
        bool named = false;
        for (const Attribute* s : only_subs) named = named || s == sub;
        if (!named) return false;
      } else if (sub->returned == Returned::kRequest) {
        bool named = false;
        for (const Attribute* s : only_subs) named = named || s == sub;
        if (!named) return false;
      }
      for (const Attribute* s : excluded_subs) {
        if (s == sub) return false;
      }
      return true;
    };
    auto filter_obj = [&](const json::object& o) {
      json::object r;
      for (const auto& kv : o) {
        if (keep_sub(a.FindSub(kv.key()))) r[kv.key()] = kv.value();
      }
      return r;
    };
    if (value.is_array()) {
      json::array arr;
      for (const auto& e : value.get_array()) {
        if (!e.is_object()) continue;
        json::object r = filter_obj(e.get_object());
        if (!r.empty()) arr.push_back(std::move(r));
      }
      if (arr.empty()) return false;
      out = std::move(arr);
      return true;
    }
    if (!value.is_object()) return false;
    json::object r = filter_obj(value.get_object());
    if (r.empty()) return false;
    out = std::move(r);
    return true;
  }

  const ResourceType& type_;
  const Projection& projection_;
};

Result<std::vector<ResolvedPath>> ParseList(std::string_view list, const ResourceType& type) {
  std::vector<ResolvedPath> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string_view item = list.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      auto path = ParseAttrPath(item);
      if (!path.ok()) {
        return InvalidPathError("invalid attribute '" + std::string(item) + "' in projection");
      }
      auto r = type.Resolve(*path);
      if (r.ok()) {
        if (r->attribute == nullptr) {
          // A whole extension: every attribute of it.
          for (const Attribute& a : r->schema->attributes) {
            out.push_back({r->schema, &a, nullptr, true});
          }
        } else {
          out.push_back(*r);
        }
      }
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

Result<json::object> NormalizeResource(const json::object& input, const ResourceType& type,
                                       const NormalizeOptions& options) {
  try {
    return Normalizer(type, options).Run(input);
  } catch (const std::exception& e) {
    return InvalidValueError(std::string("invalid resource: ") + e.what());
  }
}

Result<Projection> ParseProjection(std::string_view attributes, std::string_view excluded,
                                   const ResourceType& type) {
  Projection p;
  ASSIGN_OR_RETURN(p.attributes, ParseList(attributes, type));
  p.restricted = attributes.find_first_not_of(" ,") != std::string_view::npos;
  ASSIGN_OR_RETURN(p.excluded, ParseList(excluded, type));
  return p;
}

json::object SerializeResource(const json::object& resource, const ResourceType& type,
                               const Projection& projection) {
  return Serializer(type, projection).Run(resource);
}

}  // namespace provisio::scim
