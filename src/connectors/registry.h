// Opening a connector by type name. registry.cpp holds the one explicit map from type to
// factory (Dex style): adding a connector is a folder, its Open function and one line there.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/connector.h"
#include "core/clock.h"
#include "core/result.h"
#include "http/client.h"

namespace provisio::connectors {

// A connection as the admin API stores it (INTERFACES, `connections`), secrets decrypted.
struct ConnectorConfig {
  std::string type;  // "scim2", ...
  std::string base_url;
  boost::json::object auth;      // {"kind":"bearer","token":"..."}; see auth/auth_provider.h
  boost::json::object settings;  // per-type; unknown keys are an error
};

// What connectors share with the rest of the process.
struct ConnectorEnv {
  http::Client& http;
  const Clock& clock;
};

using ConnectorFactory = Result<std::unique_ptr<Connector>> (*)(const ConnectorConfig&,
                                                                const ConnectorEnv&);

// kInvalidArgument for an unknown type or a bad config. Opening does no I/O.
Result<std::unique_ptr<Connector>> OpenConnector(const ConnectorConfig& config,
                                                 const ConnectorEnv& env);

std::vector<std::string_view> ConnectorTypes();

}  // namespace provisio::connectors
