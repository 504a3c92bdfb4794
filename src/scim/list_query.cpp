#include "scim/list_query.h"

#include <algorithm>
#include <charconv>

#include "scim/errors.h"
#include "scim/filter_eval.h"
#include "scim/list_response.h"
#include "scim/schema_urns.h"
#include "scim/text.h"
#include "scim/value_compare.h"

namespace provisio::scim {

namespace json = boost::json;

namespace {

Result<int64_t> ParseInteger(std::string_view name, std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return InvalidValueError("'" + std::string(name) + "' must be an integer, not '" +
                             std::string(text) + "'");
  }
  return v;
}

struct RawQuery {
  std::optional<std::string> filter, sort_by, sort_order, attributes, excluded;
  std::optional<int64_t> start_index, count;
};

Result<ListQuery> Build(const RawQuery& raw, const ResourceType& type, const ListLimits& limits) {
  ListQuery q;
  q.count = std::min(limits.default_count, limits.max_count);
  if (raw.filter && !raw.filter->empty()) {
    ASSIGN_OR_RETURN(q.filter, ParseFilter(*raw.filter, type, limits.filter));
  }
  if (raw.sort_by && !raw.sort_by->empty()) {
    auto path = ParseAttrPath(*raw.sort_by);
    if (!path.ok()) return InvalidValueError("invalid sortBy '" + *raw.sort_by + "'");
    auto r = type.Resolve(*path);
    if (!r.ok() || r->attribute == nullptr) {
      return InvalidValueError("sortBy names unknown attribute '" + *raw.sort_by + "'");
    }
    AttrPath canonical{r->extension ? r->schema->id : "", r->attribute->name,
                       r->sub != nullptr ? r->sub->name : ""};
    q.sort_by = std::move(canonical);
  }
  if (raw.sort_order && !raw.sort_order->empty()) {
    if (IEquals(*raw.sort_order, "ascending")) {
      q.sort_order = SortOrder::kAscending;
    } else if (IEquals(*raw.sort_order, "descending")) {
      q.sort_order = SortOrder::kDescending;
    } else {
      return InvalidValueError("sortOrder must be 'ascending' or 'descending', not '" +
                               *raw.sort_order + "'");
    }
  }
  if (raw.start_index) q.start_index = std::max<int64_t>(1, *raw.start_index);
  if (raw.count) q.count = std::clamp<int64_t>(*raw.count, 0, limits.max_count);
  ASSIGN_OR_RETURN(q.projection,
                   ParseProjection(raw.attributes.value_or(""), raw.excluded.value_or(""), type));
  return q;
}

// SearchRequest lists attributes as an array of strings; a string is accepted too.
Result<std::optional<std::string>> AttributeList(const json::object& body, std::string_view key) {
  const json::value* v = FindMember(body, key);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (v->is_string()) return std::optional<std::string>(std::string(v->get_string()));
  if (!v->is_array()) {
    return InvalidSyntaxError("'" + std::string(key) + "' must be an array of attribute names");
  }
  std::string joined;
  for (const auto& e : v->get_array()) {
    if (!e.is_string()) {
      return InvalidSyntaxError("'" + std::string(key) + "' must be an array of attribute names");
    }
    if (!joined.empty()) joined += ',';
    joined += e.get_string();
  }
  return std::optional<std::string>(std::move(joined));
}

Result<std::optional<std::string>> StringMember(const json::object& body, std::string_view key) {
  const json::value* v = FindMember(body, key);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return InvalidSyntaxError("'" + std::string(key) + "' must be a string");
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<std::optional<int64_t>> IntMember(const json::object& body, std::string_view key) {
  const json::value* v = FindMember(body, key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->get_int64());
  if (v->is_uint64()) return std::optional<int64_t>(INT64_MAX);
  if (v->is_string()) {
    ASSIGN_OR_RETURN(int64_t i, ParseInteger(key, v->get_string()));
    return std::optional<int64_t>(i);
  }
  return InvalidValueError("'" + std::string(key) + "' must be an integer");
}

// The value a resource sorts by: the sub-attribute (or "value") of the primary element of a
// multi-valued attribute, else of its first element.
const json::value* SortKey(const json::object& resource, const ResolvedPath& r) {
  const json::object* container = &resource;
  if (r.extension) {
    const json::value* ext = FindMember(resource, r.schema->id);
    if (ext == nullptr || !ext->is_object()) return nullptr;
    container = &ext->get_object();
  }
  const json::value* v = FindMember(*container, r.attribute->name);
  if (v == nullptr) return nullptr;
  const Attribute* sub = r.sub;
  if (sub == nullptr && r.attribute->type == AttributeType::kComplex) {
    sub = r.attribute->FindSub("value");
  }
  if (v->is_array()) {
    const json::array& arr = v->get_array();
    if (arr.empty()) return nullptr;
    const json::value* pick = &arr[0];
    for (const auto& e : arr) {
      if (e.is_object()) {
        const json::value* p = e.get_object().if_contains("primary");
        if (p != nullptr && p->is_bool() && p->get_bool()) {
          pick = &e;
          break;
        }
      }
    }
    v = pick;
  }
  if (sub != nullptr) {
    if (!v->is_object()) return nullptr;
    v = FindMember(v->get_object(), sub->name);
  }
  if (v != nullptr && v->is_null()) return nullptr;
  return v;
}

}  // namespace

Result<ListQuery> ParseListQuery(std::span<const QueryParam> params, const ResourceType& type,
                                 const ListLimits& limits) {
  RawQuery raw;
  for (const auto& [name, value] : params) {
    if (IEquals(name, "filter")) {
      raw.filter = std::string(value);
    } else if (IEquals(name, "sortBy")) {
      raw.sort_by = std::string(value);
    } else if (IEquals(name, "sortOrder")) {
      raw.sort_order = std::string(value);
    } else if (IEquals(name, "attributes")) {
      raw.attributes = std::string(value);
    } else if (IEquals(name, "excludedAttributes")) {
      raw.excluded = std::string(value);
    } else if (IEquals(name, "startIndex")) {
      ASSIGN_OR_RETURN(raw.start_index, ParseInteger("startIndex", value));
    } else if (IEquals(name, "count")) {
      ASSIGN_OR_RETURN(raw.count, ParseInteger("count", value));
    }
  }
  return Build(raw, type, limits);
}

Result<ListQuery> ParseSearchRequest(const json::value& body, const ResourceType& type,
                                     const ListLimits& limits) {
  if (!body.is_object()) return InvalidSyntaxError("a SearchRequest must be a JSON object");
  const json::object& o = body.get_object();
  const json::value* schemas = FindMember(o, "schemas");
  bool ok = false;
  if (schemas != nullptr && schemas->is_array()) {
    for (const auto& s : schemas->get_array()) {
      ok = ok || (s.is_string() && IEquals(s.get_string(), kSearchRequestSchema));
    }
  }
  if (!ok) {
    return InvalidSyntaxError("a SearchRequest must have \"schemas\": [\"" +
                              std::string(kSearchRequestSchema) + "\"]");
  }
  RawQuery raw;
  ASSIGN_OR_RETURN(raw.filter, StringMember(o, "filter"));
  ASSIGN_OR_RETURN(raw.sort_by, StringMember(o, "sortBy"));
  ASSIGN_OR_RETURN(raw.sort_order, StringMember(o, "sortOrder"));
  ASSIGN_OR_RETURN(raw.attributes, AttributeList(o, "attributes"));
  ASSIGN_OR_RETURN(raw.excluded, AttributeList(o, "excludedAttributes"));
  ASSIGN_OR_RETURN(raw.start_index, IntMember(o, "startIndex"));
  ASSIGN_OR_RETURN(raw.count, IntMember(o, "count"));
  return Build(raw, type, limits);
}

int CompareForSort(const json::object& a, const json::object& b, const AttrPath& sort_by,
                   const ResourceType& type) {
  auto r = type.Resolve(sort_by);
  if (!r.ok() || r->attribute == nullptr) return 0;
  const json::value* x = SortKey(a, *r);
  const json::value* y = SortKey(b, *r);
  if (x == nullptr || y == nullptr) return x == y ? 0 : (x == nullptr ? 1 : -1);
  const Attribute* leaf = r->sub;
  if (leaf == nullptr && r->attribute->type == AttributeType::kComplex) {
    leaf = r->attribute->FindSub("value");
  }
  if (leaf == nullptr) leaf = r->attribute;
  auto c = CompareValues(*x, *y, *leaf);
  if (c) return *c;
  // Different JSON kinds: order by kind so the sort stays a strict weak ordering.
  return static_cast<int>(x->kind()) < static_cast<int>(y->kind()) ? -1 : 1;
}

void SortResources(std::vector<json::object>& resources, const ListQuery& query,
                   const ResourceType& type) {
  if (!query.sort_by) return;
  bool descending = query.sort_order == SortOrder::kDescending;
  std::stable_sort(resources.begin(), resources.end(),
                   [&](const json::object& a, const json::object& b) {
                     int c = CompareForSort(a, b, *query.sort_by, type);
                     return descending ? c > 0 : c < 0;
                   });
}

std::pair<size_t, size_t> PageRange(size_t total, const ListQuery& query) {
  size_t begin = std::min<size_t>(total, static_cast<size_t>(query.start_index - 1));
  size_t end = std::min<size_t>(total, begin + static_cast<size_t>(query.count));
  return {begin, end};
}

json::object BuildListResponse(std::span<const json::object> page, uint64_t total_results,
                               const ListQuery& query, const ResourceType& type) {
  json::array resources;
  resources.reserve(page.size());
  for (const json::object& r : page) {
    resources.push_back(SerializeResource(r, type, query.projection));
  }
  return ListResponseBody(std::move(resources), total_results, query.start_index);
}

}  // namespace provisio::scim
