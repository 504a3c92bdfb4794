// SCIM schemas (RFC 7643 §2, §7): attribute definitions with their characteristics, schemas
// and resource types. The same definitions drive validation, filtering, PATCH, projection and
// the /Schemas and /ResourceTypes documents.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "scim/attr_path.h"

namespace provisio::scim {

enum class AttributeType {
  kString,
  kBoolean,
  kDecimal,
  kInteger,
  kDateTime,
  kReference,
  kBinary,
  kComplex
};
enum class Mutability { kReadOnly, kReadWrite, kImmutable, kWriteOnly };
enum class Returned { kAlways, kNever, kDefault, kRequest };
enum class Uniqueness { kNone, kServer, kGlobal };

std::string_view ToString(AttributeType type);
std::string_view ToString(Mutability mutability);
std::string_view ToString(Returned returned);
std::string_view ToString(Uniqueness uniqueness);

struct Attribute {
  std::string name;
  AttributeType type = AttributeType::kString;
  bool multi_valued = false;
  std::string description;
  bool required = false;
  bool case_exact = false;
  Mutability mutability = Mutability::kReadWrite;
  Returned returned = Returned::kDefault;
  Uniqueness uniqueness = Uniqueness::kNone;
  std::vector<std::string> canonical_values;
  std::vector<std::string> reference_types;
  std::vector<Attribute> sub_attributes;

  // Case-insensitive lookup of a sub-attribute; nullptr when absent.
  const Attribute* FindSub(std::string_view name) const;
};

struct Schema {
  std::string id;  // the URN
  std::string name;
  std::string description;
  std::vector<Attribute> attributes;

  const Attribute* Find(std::string_view name) const;
};

// id, externalId, meta and schemas: defined for every resource (RFC 7643 §3.1), not listed
// in any schema's attributes.
const Schema& CommonAttributes();

struct SchemaExtension {
  const Schema* schema = nullptr;
  bool required = false;
};

// What a path names once resolved against a resource type. `schema` is the resource type's
// core schema (or CommonAttributes()) for core attributes, else the extension schema.
struct ResolvedPath {
  const Schema* schema = nullptr;
  const Attribute* attribute = nullptr;  // nullptr when the path names a whole extension
  const Attribute* sub = nullptr;        // nullptr when the path names a whole attribute
  bool extension = false;                // true when `schema` is an extension schema
};

struct ResourceType {
  std::string id;  // also its name: "User"
  std::string name;
  std::string endpoint;  // "/Users"
  std::string description;
  const Schema* schema = nullptr;
  std::vector<SchemaExtension> extensions;

  // The core schema or an extension whose URN equals `urn` (case-insensitive).
  const Schema* FindSchema(std::string_view urn) const;
  // Resolves a path: unqualified names look in common attributes then the core schema; a URN
  // must name the core schema or an extension. kInvalidPath when nothing matches.
  Result<ResolvedPath> Resolve(const AttrPath& path) const;
};

// Owns schemas and resource types; pointers it hands out stay valid for its lifetime (also
// across moves). Extensions (custom attributes) are registered at start, before serving.
class SchemaRegistry {
 public:
  SchemaRegistry() = default;
  SchemaRegistry(SchemaRegistry&&) = default;
  SchemaRegistry& operator=(SchemaRegistry&&) = default;

  // User (with the enterprise extension) and Group, as RFC 7643 defines them.
  static SchemaRegistry WithCoreSchemas();

  // kConflict when a schema with that id exists.
  Result<const Schema*> AddSchema(Schema schema);
  Result<const ResourceType*> AddResourceType(std::string id, std::string endpoint,
                                              std::string description, std::string_view schema_id);
  // Adds an extension schema (already added) to a resource type.
  Status AddExtension(std::string_view resource_type, std::string_view schema_id, bool required);

  const Schema* FindSchema(std::string_view id) const;
  const ResourceType* FindResourceType(std::string_view id) const;
  const ResourceType* FindResourceTypeByEndpoint(std::string_view endpoint) const;

  const std::vector<std::unique_ptr<Schema>>& schemas() const { return schemas_; }
  const std::vector<std::unique_ptr<ResourceType>>& resource_types() const {
    return resource_types_;
  }

 private:
  std::vector<std::unique_ptr<Schema>> schemas_;
  std::vector<std::unique_ptr<ResourceType>> resource_types_;
};

}  // namespace provisio::scim
