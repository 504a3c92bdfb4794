// The ListResponse message (RFC 7644 §3.4.2): totalResults, startIndex, itemsPerPage, Resources.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>

namespace provisio::scim {

// `resources` is the page already projected; itemsPerPage is its size.
boost::json::object ListResponseBody(boost::json::array resources, uint64_t total_results,
                                     int64_t start_index);

}  // namespace provisio::scim
