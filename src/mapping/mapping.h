// Attribute mappings of an application: `target ← expression` pairs that turn a portal user
// into the representation the application wants. Compile validates them when they are saved;
// Apply builds the desired target object; Explain shows each value for a preview.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "mapping/expression.h"
#include "mapping/expression_parser.h"
#include "mapping/path.h"
#include "scim/schema.h"

namespace provisio::mapping {

struct AttributeMapping {
  enum class Apply {
    kAlways,        // on create and on every update
    kOnCreateOnly,  // initial values the application may then own (Salesforce TimeZoneSidKey)
  };
  std::string target;      // a SCIM-style path in the target's names: "name.givenName"
  std::string expression;  // "Join(\" \", [name.givenName], [name.familyName])"
  Apply apply = Apply::kAlways;

  friend bool operator==(const AttributeMapping&, const AttributeMapping&) = default;
};

struct CompiledMapping {
  AttributeMapping source;
  AttributePath target;  // a value-path target names a sub-attribute and `eq` terms only
  Expression expression;
};

// Validated mappings, only made by Compile. Move-only; share with std::shared_ptr<const ...>.
class CompiledMappings {
 public:
  std::span<const CompiledMapping> mappings() const { return mappings_; }
  size_t size() const { return mappings_.size(); }

 private:
  friend struct CompiledMappingsAccess;
  std::vector<CompiledMapping> mappings_;
};

struct CompileOptions {
  // When set, attribute references must name attributes of this type (the portal's User type
  // with its registered extensions); nullptr checks syntax only.
  const scim::ResourceType* source_type = nullptr;
  ExpressionLimits limits = {};
};

// kInvalidArgument for the first bad mapping, its message starting "mapping 2 (target
// 'Alias'): ..." and details {"mapping": 2, "target": "Alias", "field": "expression" |
// "target", "position": N}. Targets must not repeat or overlap (`name` and `name.givenName`).
Result<CompiledMappings> Compile(std::span<const AttributeMapping> mappings,
                                 const CompileOptions& options = {});

// The desired target object: each value written at its target path (a value-path target
// creates or joins the element its `eq` terms describe); null values are omitted; kOnCreateOnly
// mappings apply only when `creating`. Errors are evaluation errors, prefixed like Compile's.
Result<boost::json::object> Apply(const CompiledMappings& mappings, const boost::json::object& user,
                                  bool creating);

// Writes `value` at `target` in `out` as Apply does: containers are made as needed, and a value
// path's element is the one its `eq` terms describe (made when missing).
void WriteAt(boost::json::object& out, const AttributePath& target, boost::json::value value);
// Removes what `target` names from `out`: the attribute or sub-attribute, or every element a
// value path selects. An extension, complex attribute or array left empty goes too.
void EraseAt(boost::json::object& out, const AttributePath& target);

// One row per mapping, in order: {"target", "expression", "apply": "always"|"on_create_only",
// "applied": bool, "value"} and, when evaluation fails, "error" (the message) with a null
// value, so a preview shows every row rather than the first failure.
Result<boost::json::array> Explain(const CompiledMappings& mappings,
                                   const boost::json::object& user, bool creating);

}  // namespace provisio::mapping
