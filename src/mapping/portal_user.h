// The portal user's resource type: SCIM User with the enterprise extension, from
// scim::SchemaRegistry::WithCoreSchemas(), built once and shared (immutable).
#pragma once

#include "scim/schema.h"

namespace provisio::mapping {

const scim::ResourceType& PortalUserType();

}  // namespace provisio::mapping
