// Binding a parsed filter to a resource type and matching it against resources. Semantics per
// attribute type are those of value_compare.h; a multi-valued attribute matches when any of
// its values matches; `pr` is false for null, "", [] and {}.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "core/result.h"
#include "scim/filter.h"
#include "scim/filter_parser.h"
#include "scim/schema.h"

namespace provisio::scim {

// Checks a filter against a resource type and rewrites it in canonical form: attribute names
// in the schema's case, core-schema URN prefixes removed, extension URNs in canonical case, a
// complex attribute compared without a sub-attribute rewritten to its "value" sub-attribute.
// kInvalidFilter for unknown attributes, operators the type does not support (gt on a
// boolean, co on a number, ...) and values of the wrong type.
Status BindFilter(Filter& filter, const ResourceType& type);

// ParseFilter + BindFilter.
Result<Filter> ParseFilter(std::string_view text, const ResourceType& type,
                           const FilterLimits& limits = {});

// True when `resource` (as stored: canonical attribute names, extension attributes under
// their schema URN) matches. Paths are looked up case-insensitively, so an unbound filter
// works too; comparisons a bound filter would reject simply do not match.
bool Matches(const Filter& filter, const boost::json::object& resource, const ResourceType& type);

// Matches `filter` against one element of a multi-valued complex attribute `attr` (used by PATCH
// value-path selection: `emails[type eq "work"]`).
bool MatchesElement(const Filter& filter, const boost::json::value& element, const Attribute& attr);

// Case-insensitive member lookup (exact match tried first).
const boost::json::value* FindMember(const boost::json::object& obj, std::string_view key);

}  // namespace provisio::scim
