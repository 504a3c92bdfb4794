// Resources are boost::json::object values. This header validates and normalises what
// clients send (canonical attribute names, extension attributes under their schema URN,
// types checked, readOnly dropped, immutable and required enforced) and serialises what the
// server returns (RFC 7643 `returned`, RFC 7644 §3.9 attributes/excludedAttributes).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "scim/schema.h"

namespace provisio::scim {

enum class WriteMode {
  kCreate,   // POST: required attributes enforced, readOnly dropped
  kReplace,  // PUT: as create, plus immutable checked and readOnly kept from `existing`
  kStored,   // a resource as stored (PATCH input and result): readOnly kept, required checked
};

struct NormalizeOptions {
  WriteMode mode = WriteMode::kCreate;
  const boost::json::object* existing = nullptr;  // the current resource, for kReplace
  bool ignore_unknown = false;  // drop unknown attributes instead of failing with kInvalidValue
};

// Validates `input` against `type` and returns its canonical form. Errors are kInvalidValue
// (wrong type, unknown attribute, missing required attribute), kMutability (immutable
// attribute changed on replace) or kInvalidSyntax (not an object where one is needed).
Result<boost::json::object> NormalizeResource(const boost::json::object& input,
                                              const ResourceType& type,
                                              const NormalizeOptions& options = {});

// Normalises one value of `attr` (a whole multi-valued list when attr.multi_valued and
// `as_element` is false). Returns null when the value means "unassigned" (null, [], {}).
// `name` is used in error messages.
Result<boost::json::value> NormalizeValue(const boost::json::value& value, const Attribute& attr,
                                          std::string_view name, bool as_element = false,
                                          bool keep_read_only = false, bool ignore_unknown = false);

// attributes / excludedAttributes (RFC 7644 §3.9), resolved against a resource type.
struct Projection {
  bool restricted = false;  // `attributes` was given: only those (and `always`) are returned
  std::vector<ResolvedPath> attributes;
  std::vector<ResolvedPath> excluded;
};

// Comma-separated lists; names are case-insensitive and may be URN-qualified or name a
// sub-attribute. Unknown attributes are ignored (RFC 7644 does not make them an error);
// malformed ones are kInvalidPath.
Result<Projection> ParseProjection(std::string_view attributes, std::string_view excluded,
                                   const ResourceType& type);

// The representation returned to clients: `never` attributes (password) dropped, `always`
// attributes (id, schemas) kept whatever the projection, `request` ones only when asked for.
boost::json::object SerializeResource(const boost::json::object& resource, const ResourceType& type,
                                      const Projection& projection = {});

}  // namespace provisio::scim
