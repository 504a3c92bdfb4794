#include "scim/list_response.h"

#include "scim/schema_urns.h"

namespace provisio::scim {

boost::json::object ListResponseBody(boost::json::array resources, uint64_t total_results,
                                     int64_t start_index) {
  boost::json::object body;
  body["schemas"] = boost::json::array{boost::json::string(kListResponseSchema)};
  body["totalResults"] = total_results;
  body["startIndex"] = start_index;
  body["itemsPerPage"] = resources.size();
  body["Resources"] = std::move(resources);
  return body;
}

}  // namespace provisio::scim
