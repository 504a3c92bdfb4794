// Default mappings per application template, as data: the starting point an administrator
// edits. Why each choice was made is in docs/mappings.md.
#pragma once

#include <vector>

#include "mapping/mapping.h"

namespace provisio::mapping {

std::vector<AttributeMapping> DefaultScimMappings();
std::vector<AttributeMapping> DefaultSalesforceMappings();
std::vector<AttributeMapping> DefaultGoogleMappings();
// The import direction: portal user attributes from an LDAP entry (inetOrgPerson).
std::vector<AttributeMapping> DefaultLdapMappings();

}  // namespace provisio::mapping
