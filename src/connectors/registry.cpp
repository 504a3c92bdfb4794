#include "connectors/registry.h"

#include <map>

#include "connectors/google/google_connector.h"
#include "connectors/ldap/ldap_connector.h"
#include "connectors/salesforce/salesforce_connector.h"
#include "connectors/scim2/scim_connector.h"

namespace provisio::connectors {
namespace {

// Every connector type, by the name connections use. Nothing registers itself.
const std::map<std::string_view, ConnectorFactory>& Factories() {
  static const std::map<std::string_view, ConnectorFactory> kFactories = {
      {"google-workspace", &google::OpenGoogleConnector},
      {"ldap", &ldap::OpenLdapConnector},
      {"salesforce", &salesforce::OpenSalesforceConnector},
      {"scim2", &scim2::OpenScimConnector},
  };
  return kFactories;
}

}  // namespace

Result<std::unique_ptr<Connector>> OpenConnector(const ConnectorConfig& config,
                                                 const ConnectorEnv& env) {
  auto it = Factories().find(config.type);
  if (it == Factories().end()) {
    return Error::InvalidArgument("unknown connector type \"" + config.type + "\"");
  }
  return it->second(config, env);
}

std::vector<std::string_view> ConnectorTypes() {
  std::vector<std::string_view> out;
  for (const auto& [name, factory] : Factories()) out.push_back(name);
  return out;
}

}  // namespace provisio::connectors
