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
// The import direction for applications whose accounts are not SCIM resources: portal user
// attributes from a Salesforce User record and from a Google Directory user. The manager's
// reference they map (ManagerId; the manager relation's address) names the manager's account
// in the source; the importer replaces it with her portal id.
std::vector<AttributeMapping> DefaultSalesforceImportMappings();
std::vector<AttributeMapping> DefaultGoogleImportMappings();

}  // namespace provisio::mapping
