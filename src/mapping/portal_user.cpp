#include "mapping/portal_user.h"

namespace provisio::mapping {

const scim::ResourceType& PortalUserType() {
  static const scim::SchemaRegistry kRegistry = scim::SchemaRegistry::WithCoreSchemas();
  static const scim::ResourceType& kUser = *kRegistry.FindResourceType("User");
  return kUser;
}

}  // namespace provisio::mapping
