// An application as the engine uses it: its settings parsed, mappings compiled, scoping
// filter bound, assignments loaded and its connector opened. Built once per change of the
// application or its connection, shared by the workers.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "connectors/connector.h"
#include "core/result.h"
#include "mapping/mapping.h"
#include "mapping/scoping.h"
#include "provisioning/group_planner.h"
#include "provisioning/planner.h"
#include "provisioning/rate_limiter.h"
#include "store/store.h"

namespace provisio::provisioning {

struct AppContext {
  store::ApplicationRow app;
  std::optional<store::ConnectionRow> connection;
  bool provisioning = false;  // the capability is on and the application is active
  DeprovisionAction deprovision = DeprovisionAction::kDisable;
  std::string matching_attribute = "userName";  // target attribute looked up before a create
  std::shared_ptr<const mapping::ScopingFilter> scoping;  // null: everyone assigned
  std::shared_ptr<const mapping::CompiledMappings> mappings;
  std::set<std::string> assigned_users;
  std::set<std::string> assigned_groups;
  // Entitlement selections of the assignments that have any: principal id -> ids.
  std::map<std::string, std::set<std::string>, std::less<>> user_entitlements;
  std::map<std::string, std::set<std::string>, std::less<>> group_entitlements;
  // The application's imported entitlements, by id (read only when something is selected).
  std::map<std::string, connectors::Entitlement, std::less<>> entitlements;
  std::shared_ptr<connectors::Connector> connector;  // null without a connection
  int64_t deletion_threshold = 500;  // more deprovisions than this in an hour pause the app
  RateLimits limits;     // settings rate_limit_per_second, rate_limit_burst, concurrency
  GroupSettings groups;  // group push (engine_groups.cpp)
  // Where the target holds a user's manager (Engine::ResolveManager); from the template.
  std::optional<ManagerReference> manager;
};

}  // namespace provisio::provisioning
