// SCIM PATCH (RFC 7644 §3.5.2): parsing a PatchOp request and applying it to a resource, with
// the shapes Microsoft Entra ID and Okta send (capitalised op names, "True"/"False", dotted and
// URN-qualified keys in a path-less value, member removal by value list). ExtractMemberOps lets
// the directory apply member changes to a large group without materialising its member list.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "scim/filter.h"
#include "scim/schema.h"

namespace provisio::scim {

enum class PatchOpType { kAdd, kRemove, kReplace };

std::string_view ToString(PatchOpType op);

// `attr[.sub]`, `attr[filter]` or `attr[filter].sub`, bound to a resource type (canonical names,
// core URN removed, extension URN canonical).
struct PatchPath {
  AttrPath attr;                 // attr.sub is set for "name.givenName"
  std::optional<Filter> filter;  // the value selection filter, names relative to attr
  std::string filter_sub;        // the sub-attribute after "]", or empty
};

// Parses and binds a path; kInvalidPath (bad syntax, unknown attribute) or kInvalidFilter.
Result<PatchPath> ParsePatchPath(std::string_view text, const ResourceType& type);
std::string ToString(const PatchPath& path);

struct PatchOperation {
  PatchOpType op = PatchOpType::kAdd;
  std::optional<PatchPath> path;
  boost::json::value value;  // null for remove without value
};

// Validates the PatchOp envelope: schemas must name the PatchOp message, "Operations" a
// non-empty array, each op add/remove/replace in any case (kInvalidSyntax otherwise); add and
// replace need a value (kInvalidSyntax), remove needs a path (kNoTarget).
Result<std::vector<PatchOperation>> ParsePatchRequest(const boost::json::value& request,
                                                      const ResourceType& type);

// Applies the operations atomically to a copy of `resource` (stored form) and returns the new
// resource, normalised. Errors: kNoTarget, kInvalidPath, kInvalidFilter, kMutability (readOnly,
// immutable, removing a required attribute), kInvalidValue, kInvalidSyntax.
Result<boost::json::object> ApplyPatch(const boost::json::object& resource,
                                       std::span<const PatchOperation> operations,
                                       const ResourceType& type);
Result<boost::json::object> ApplyPatch(const boost::json::object& resource,
                                       const boost::json::value& patch_request,
                                       const ResourceType& type);

// Member changes of a PATCH on a resource with a `members` attribute, as ids, apart from the
// other operations. Apply in this order: clear all members when `replace_all`, remove
// `removed`, add `added`; then ApplyPatch `rest` to the resource without its members.
struct MemberDelta {
  bool replace_all = false;
  std::vector<std::string> added;    // in request order, without duplicates
  std::vector<std::string> removed;  // ids not currently members can be ignored by the caller
  std::vector<PatchOperation> rest;  // everything that does not touch members, in order
  bool empty() const { return !replace_all && added.empty() && removed.empty(); }
};

// kNotImplemented for member operations that cannot be expressed as ids without the member
// list (a filter other than `value eq "..."` joined by `or`, a sub-attribute path such as
// members.display): fall back to ApplyPatch with the full resource.
Result<MemberDelta> ExtractMemberOps(std::vector<PatchOperation> operations,
                                     const ResourceType& type);
Result<MemberDelta> ExtractMemberOps(const boost::json::value& patch_request,
                                     const ResourceType& type);

}  // namespace provisio::scim
