// Scoping filters: which portal users an application provisions, as a SCIM filter over the
// portal user (`active eq true and emails[type eq "work"].value ew "@example.com"`). An empty
// filter puts everyone in scope.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "scim/filter.h"
#include "scim/schema.h"

namespace provisio::mapping {

class ScopingFilter {
 public:
  ScopingFilter() = default;  // everyone
  ScopingFilter(scim::Filter filter, const scim::ResourceType& type)
      : filter_(std::move(filter)), type_(&type) {}

  bool everyone() const { return !filter_.has_value(); }
  const scim::Filter* filter() const { return filter_ ? &*filter_ : nullptr; }
  const scim::ResourceType* type() const { return type_; }

 private:
  std::optional<scim::Filter> filter_;
  const scim::ResourceType* type_ = nullptr;
};

// Parsed and bound to the core User type (with the enterprise extension). kInvalidFilter naming
// the position or the unknown attribute.
Result<ScopingFilter> ParseScopingFilter(std::string_view text);
// Bound to `type` (the portal's User type with registered extensions), which must outlive it.
Result<ScopingFilter> ParseScopingFilter(std::string_view text, const scim::ResourceType& type);

bool InScope(const ScopingFilter& filter, const boost::json::object& user);

// The filter's canonical text ("" for everyone), for storing and showing.
std::string ToString(const ScopingFilter& filter);

}  // namespace provisio::mapping
