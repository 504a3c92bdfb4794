// POST /Bulk (RFC 7644 §3.7): many operations in one request and one transaction, each in a
// savepoint of its own; "bulkId:x" references resolve to the ids created earlier in the
// request. When failOnErrors is reached nothing of the request is written.
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "scimserver/scim_resources.h"

namespace provisio::scimserver {

http::Response HandleBulk(ScimServerDeps& deps, const ResourceEndpoints& users,
                          const ResourceEndpoints& groups, http::Request& request);

}  // namespace provisio::scimserver
