#include "scim/schema.h"

#include <algorithm>

#include "scim/errors.h"
#include "scim/text.h"

namespace provisio::scim {

std::string_view ToString(AttributeType type) {
  switch (type) {
    case AttributeType::kString:
      return "string";
    case AttributeType::kBoolean:
      return "boolean";
    case AttributeType::kDecimal:
      return "decimal";
    case AttributeType::kInteger:
      return "integer";
    case AttributeType::kDateTime:
      return "dateTime";
    case AttributeType::kReference:
      return "reference";
    case AttributeType::kBinary:
      return "binary";
    case AttributeType::kComplex:
      return "complex";
  }
  return "string";
}

std::string_view ToString(Mutability mutability) {
  switch (mutability) {
    case Mutability::kReadOnly:
      return "readOnly";
    case Mutability::kReadWrite:
      return "readWrite";
    case Mutability::kImmutable:
      return "immutable";
    case Mutability::kWriteOnly:
      return "writeOnly";
  }
  return "readWrite";
}

std::string_view ToString(Returned returned) {
  switch (returned) {
    case Returned::kAlways:
      return "always";
    case Returned::kNever:
      return "never";
    case Returned::kDefault:
      return "default";
    case Returned::kRequest:
      return "request";
  }
  return "default";
}

std::string_view ToString(Uniqueness uniqueness) {
  switch (uniqueness) {
    case Uniqueness::kNone:
      return "none";
    case Uniqueness::kServer:
      return "server";
    case Uniqueness::kGlobal:
      return "global";
  }
  return "none";
}

namespace {

const Attribute* FindIn(const std::vector<Attribute>& attrs, std::string_view name) {
  for (const Attribute& a : attrs) {
    if (a.name.size() == name.size() && a.name == name) return &a;
  }
  for (const Attribute& a : attrs) {
    if (IEquals(a.name, name)) return &a;
  }
  return nullptr;
}

}  // namespace

const Attribute* Attribute::FindSub(std::string_view sub) const {
  return FindIn(sub_attributes, sub);
}

const Attribute* Schema::Find(std::string_view attr) const { return FindIn(attributes, attr); }

const Schema* ResourceType::FindSchema(std::string_view urn) const {
  if (schema != nullptr && IEquals(schema->id, urn)) return schema;
  for (const SchemaExtension& ext : extensions) {
    if (IEquals(ext.schema->id, urn)) return ext.schema;
  }
  return nullptr;
}

Result<ResolvedPath> ResourceType::Resolve(const AttrPath& path) const {
  ResolvedPath out;
  if (!path.urn.empty()) {
    const Schema* s = FindSchema(path.urn);
    if (s == nullptr) {
      // The whole path may be an extension URN ("urn:...:enterprise:2.0:User").
      if (path.sub.empty()) {
        std::string whole = path.urn + ":" + path.attr;
        if (const Schema* ext = FindSchema(whole); ext != nullptr && ext != schema) {
          out.schema = ext;
          out.extension = true;
          return out;
        }
      }
      return InvalidPathError("unknown schema '" + path.urn + "' in path '" + ToString(path) + "'");
    }
    out.schema = s;
    out.extension = s != schema;
    out.attribute = s->Find(path.attr);
    if (out.attribute == nullptr && !out.extension) {
      out.attribute = CommonAttributes().Find(path.attr);
      if (out.attribute != nullptr) out.schema = &CommonAttributes();
    }
  } else {
    out.schema = &CommonAttributes();
    out.attribute = CommonAttributes().Find(path.attr);
    if (out.attribute == nullptr) {
      out.schema = schema;
      out.attribute = schema->Find(path.attr);
    }
  }
  if (out.attribute == nullptr) {
    return InvalidPathError("unknown attribute '" + ToString(path) + "' for resource type " + id);
  }
  if (!path.sub.empty()) {
    out.sub = out.attribute->FindSub(path.sub);
    if (out.sub == nullptr) {
      return InvalidPathError("unknown sub-attribute '" + ToString(path) + "' for resource type " +
                              id);
    }
  }
  return out;
}

Result<const Schema*> SchemaRegistry::AddSchema(Schema schema) {
  if (FindSchema(schema.id) != nullptr) {
    return Error::Conflict("schema " + schema.id + " is already registered");
  }
  schemas_.push_back(std::make_unique<Schema>(std::move(schema)));
  return static_cast<const Schema*>(schemas_.back().get());
}

Result<const ResourceType*> SchemaRegistry::AddResourceType(std::string id, std::string endpoint,
                                                            std::string description,
                                                            std::string_view schema_id) {
  if (FindResourceType(id) != nullptr) {
    return Error::Conflict("resource type " + id + " is already registered");
  }
  const Schema* s = FindSchema(schema_id);
  if (s == nullptr) return Error::NotFound("no schema " + std::string(schema_id));
  auto rt = std::make_unique<ResourceType>();
  rt->id = id;
  rt->name = std::move(id);
  rt->endpoint = std::move(endpoint);
  rt->description = std::move(description);
  rt->schema = s;
  resource_types_.push_back(std::move(rt));
  return static_cast<const ResourceType*>(resource_types_.back().get());
}

Status SchemaRegistry::AddExtension(std::string_view resource_type, std::string_view schema_id,
                                    bool required) {
  ResourceType* rt = nullptr;
  for (auto& r : resource_types_) {
    if (IEquals(r->id, resource_type)) rt = r.get();
  }
  if (rt == nullptr) return Error::NotFound("no resource type " + std::string(resource_type));
  const Schema* s = FindSchema(schema_id);
  if (s == nullptr) return Error::NotFound("no schema " + std::string(schema_id));
  if (rt->FindSchema(schema_id) != nullptr) {
    return Error::Conflict("schema " + s->id + " is already part of " + rt->id);
  }
  rt->extensions.push_back({s, required});
  return Ok();
}

const Schema* SchemaRegistry::FindSchema(std::string_view id) const {
  for (const auto& s : schemas_) {
    if (IEquals(s->id, id)) return s.get();
  }
  return nullptr;
}

const ResourceType* SchemaRegistry::FindResourceType(std::string_view id) const {
  for (const auto& r : resource_types_) {
    if (IEquals(r->id, id)) return r.get();
  }
  return nullptr;
}

const ResourceType* SchemaRegistry::FindResourceTypeByEndpoint(std::string_view endpoint) const {
  for (const auto& r : resource_types_) {
    if (IEquals(r->endpoint, endpoint)) return r.get();
  }
  return nullptr;
}

}  // namespace provisio::scim
