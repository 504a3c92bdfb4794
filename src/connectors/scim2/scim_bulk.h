// SCIM /Bulk (RFC 7644 §3.7) for the connector's batches: the requests a batch becomes, within
// the target's maxOperations and maxPayloadSize, and each operation's result mapped to an
// Account or a classified Error. Pure (no I/O), so both sides are tested with values alone.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "core/clock.h"
#include "core/result.h"

namespace provisio::connectors::scim2 {

struct BulkLimits {
  size_t max_operations = 0;     // per request (ServiceProviderConfig bulk.maxOperations)
  size_t max_payload_bytes = 0;  // per request body (bulk.maxPayloadSize); 0: no limit
};

struct BulkOperation {
  std::string method;   // "POST" | "PUT" | "PATCH" | "DELETE"
  std::string path;     // "/Users" or "/Users/{id}"
  std::string bulk_id;  // POST: how its result is found
  std::string id;       // PUT/PATCH/DELETE: the target id
  std::string version;  // sent as the operation's "version" (its If-Match); "" none
  boost::json::object data;
  boost::json::object expected;  // the account after success, when the result carries none
};

struct BulkRequest {
  std::string body;                // a serialized BulkRequest, failOnErrors unset
  std::vector<size_t> operations;  // indexes of the operations it carries, in order
};

struct BulkPlan {
  std::vector<BulkRequest> requests;
  std::vector<size_t> too_large;  // operations over maxPayloadSize on their own
};

// Packs the operations, in order, into as few requests as the limits allow.
BulkPlan PlanBulkRequests(std::span<const BulkOperation> operations, const BulkLimits& limits);

// The results of one request's operations (aligned with `carried`) from its BulkResponse.
// Results are matched by bulkId, then by the id in `location`, then by position; an operation
// the response says nothing about is retryable.
std::vector<Result<Account>> MapBulkResponse(const boost::json::object& response,
                                             std::span<const BulkOperation> operations,
                                             std::span<const size_t> carried, TimePoint now);

}  // namespace provisio::connectors::scim2
