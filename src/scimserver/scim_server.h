// The inbound SCIM 2.0 service provider under /scim/v2 (RFC 7644): Users, Groups, Bulk,
// .search and the discovery documents, over the portal directory. HR systems and identity
// providers (Entra ID, Okta, OneLogin) push users here.
#pragma once

#include <string>

#include "core/clock.h"
#include "directory/directory.h"
#include "http/router.h"
#include "scim/discovery.h"
#include "scim/list_query.h"
#include "scim/schema.h"
#include "store/store.h"

namespace provisio::scimserver {

struct ScimServerOptions {
  std::string prefix = "/scim/v2";
  scim::ListLimits list;  // default and maximum `count`
  size_t bulk_max_operations = 1000;
  size_t bulk_max_payload_bytes = 4 << 20;
};

struct ScimServerDeps {
  directory::Directory& directory;
  store::Store& store;
  const scim::SchemaRegistry& registry;
  const Clock& clock;
  ScimServerOptions options;
};

// Registers every /scim/v2 route. `deps` must outlive the router.
void RegisterScimRoutes(http::Router& router, ScimServerDeps& deps);

// What /ServiceProviderConfig advertises for these options.
scim::ServiceProviderFeatures Features(const ScimServerOptions& options);

}  // namespace provisio::scimserver
