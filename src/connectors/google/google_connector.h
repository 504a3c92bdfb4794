// Google Workspace through the Admin SDK Directory API (admin.googleapis.com/admin/directory/v1):
// users (insert, get, patch with a minimal diff, update as a full replace, suspend, delete,
// list by customer with maxResults/pageToken), groups and members (roles MEMBER, MANAGER,
// OWNER), and entitlements: org units (granted by moving the user) and admin roles (granted
// by role assignments). Auth is a service account with domain-wide delegation (google_auth.h);
// every error answer is classified by ClassifyGoogleResponse. Resources are Google's own JSON.
#pragma once

#include <memory>
#include <string>

#include "connectors/auth/authorized_client.h"
#include "connectors/connector.h"
#include "connectors/google/google_settings.h"
#include "connectors/registry.h"

namespace provisio::connectors::google {

class GoogleConnector final : public Connector, public GroupConnector, public EntitlementConnector {
 public:
  // `base_url`: "https://admin.googleapis.com" (a trailing /admin/directory/v1 is accepted);
  // `customer`: "my_customer" or the customer id.
  GoogleConnector(std::string base_url, std::string customer, GoogleSettings settings,
                  AuthorizedClient client, const Clock& clock);

  Capabilities capabilities() override;
  Status Test() override;

  Result<Account> CreateUser(const boost::json::object& desired) override;
  Result<Account> GetUser(std::string_view id) override;
  // attribute: "primaryEmail" (default; also "email"), "id", or "externalId".
  Result<std::optional<Account>> FindUser(std::string_view attribute,
                                          std::string_view value) override;
  Result<Account> ReplaceUser(std::string_view id, const boost::json::object& desired) override;
  Result<Account> PatchUser(std::string_view id, const boost::json::object& current,
                            const boost::json::object& desired) override;
  Status DisableUser(std::string_view id) override;
  Status DeleteUser(std::string_view id) override;
  Result<Page<Account>> ListUsers(const PageRequest& page) override;

  GroupConnector* groups() override { return this; }
  Result<Account> CreateGroup(const boost::json::object& desired) override;
  Result<Account> GetGroup(std::string_view id) override;
  // attribute: "email" (default), "id", or "name".
  Result<std::optional<Account>> FindGroup(std::string_view attribute,
                                           std::string_view value) override;
  Result<Account> UpdateGroup(std::string_view id, const boost::json::object& current,
                              const boost::json::object& desired) override;
  Status DeleteGroup(std::string_view id) override;
  Result<Page<Account>> ListGroups(const PageRequest& page) override;
  Status AddMembers(std::string_view group_id, std::span<const std::string> user_ids) override;
  Status RemoveMembers(std::string_view group_id, std::span<const std::string> user_ids) override;
  // members.list, every page: the members' ids (users and nested groups alike).
  Result<std::optional<std::vector<std::string>>> MemberIds(std::string_view group_id) override;
  // AddMembers with an explicit role: MEMBER, MANAGER or OWNER ("": the configured one).
  Status AddMembersWithRole(std::string_view group_id, std::span<const std::string> user_ids,
                            std::string_view role) override;

  // Entitlements: kind "org_unit" (id: the orgUnitPath, "/" included) on the first page,
  // then kind "role" (id: the roleId).
  EntitlementConnector* entitlements() override { return this; }
  Result<Page<Entitlement>> ListEntitlements(const PageRequest& page) override;
  Status Grant(std::string_view user_id, const Entitlement& entitlement) override;
  Status Revoke(std::string_view user_id, const Entitlement& entitlement) override;

 private:
  // `path` is below /admin/directory/v1 ("users?customer=..."); non-2xx answers are Errors.
  Result<http::HttpResponse> Send(std::string_view method, std::string_view path,
                                  const boost::json::object* body, std::string_view if_match = "");
  Result<boost::json::object> SendForObject(std::string_view method, std::string_view path,
                                            const boost::json::object* body,
                                            std::string_view if_match = "");
  Result<std::optional<Account>> GetIfExists(std::string_view collection, std::string_view key);
  Result<std::vector<Account>> ListMatching(std::string_view collection, std::string_view query);
  std::string CustomerPath() const;

  std::string base_url_;
  std::string customer_;
  GoogleSettings settings_;
  AuthorizedClient client_;
  const Clock& clock_;
};

// The registry's factory for type "google-workspace".
Result<std::unique_ptr<Connector>> OpenGoogleConnector(const ConnectorConfig& config,
                                                       const ConnectorEnv& env);

}  // namespace provisio::connectors::google
