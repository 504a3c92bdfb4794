// List and search parameters (RFC 7644 §3.4.2, §3.4.3): parsed from URL query parameters or a
// SearchRequest body, with paging clamped as SCIM clients expect; sorting per attribute type;
// the ListResponse built from a page of resources.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "scim/filter.h"
#include "scim/filter_parser.h"
#include "scim/resource.h"
#include "scim/schema.h"

namespace provisio::scim {

enum class SortOrder { kAscending, kDescending };

struct ListLimits {
  int64_t default_count = 100;  // when `count` is absent
  int64_t max_count = 1000;     // larger counts are clamped to this
  FilterLimits filter;
};

struct ListQuery {
  std::optional<Filter> filter;     // bound to the resource type (canonical names)
  std::optional<AttrPath> sort_by;  // canonical
  SortOrder sort_order = SortOrder::kAscending;
  int64_t start_index = 1;  // 1-based, >= 1
  int64_t count = 100;      // 0..max_count
  Projection projection;
};

using QueryParam = std::pair<std::string_view, std::string_view>;

// Parameters already percent-decoded; names case-insensitive; unknown names ignored.
// startIndex < 1 becomes 1, count < 0 becomes 0, count > max becomes max. Errors:
// kInvalidFilter, kInvalidValue (non-numeric paging, bad sortOrder, unknown sortBy),
// kInvalidPath (malformed attribute lists).
Result<ListQuery> ParseListQuery(std::span<const QueryParam> params, const ResourceType& type,
                                 const ListLimits& limits = {});

// The body of POST /.search: {"schemas":["urn:...:SearchRequest"], "filter", "sortBy",
// "sortOrder", "startIndex", "count", "attributes":[...], "excludedAttributes":[...]}.
// kInvalidSyntax when the envelope is wrong, otherwise as ParseListQuery.
Result<ListQuery> ParseSearchRequest(const boost::json::value& body, const ResourceType& type,
                                     const ListLimits& limits = {});

// Orders two resources by `sort_by` under the attribute's type (value_compare.h). A
// multi-valued attribute sorts by its primary value, else its first. Unassigned values sort
// last ascending and first descending (they compare greater than any value).
int CompareForSort(const boost::json::object& a, const boost::json::object& b,
                   const AttrPath& sort_by, const ResourceType& type);

// Stable sort by the query's sortBy/sortOrder; no-op without sortBy.
void SortResources(std::vector<boost::json::object>& resources, const ListQuery& query,
                   const ResourceType& type);

// [begin, end) of the page within `total` matching resources.
std::pair<size_t, size_t> PageRange(size_t total, const ListQuery& query);

// A ListResponse whose Resources are `page` serialised with the query's projection.
boost::json::object BuildListResponse(std::span<const boost::json::object> page,
                                      uint64_t total_results, const ListQuery& query,
                                      const ResourceType& type);

}  // namespace provisio::scim
