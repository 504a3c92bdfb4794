// The Salesforce connector (REST API): users through sobjects/User and SOQL, profiles, roles
// and permission sets as entitlements. Salesforce users cannot be deleted, so DeleteUser
// deactivates (IsActive=false) and capabilities say delete_users=false. Resources are User
// records in Salesforce's field names (Username, LastName, ProfileId, ...); required fields a
// mapping leaves out are filled from the settings on create. Batches go through the sObject
// Collections API (composite/sobjects, up to 200 records a call, allOrNone=false).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "connectors/auth/authorized_client.h"
#include "connectors/connector.h"
#include "connectors/registry.h"
#include "connectors/salesforce/salesforce_settings.h"

namespace provisio::connectors::salesforce {

class SalesforceConnector final : public Connector,
                                  public EntitlementConnector,
                                  public BatchConnector {
 public:
  SalesforceConnector(SalesforceSettings settings, AuthorizedClient client, const Clock& clock);

  Capabilities capabilities() override;
  Status Test() override;

  Result<Account> CreateUser(const boost::json::object& desired) override;
  Result<Account> GetUser(std::string_view id) override;
  Result<std::optional<Account>> FindUser(std::string_view attribute,
                                          std::string_view value) override;
  // PATCH of every differing field, fields Salesforce lets us clear set to null.
  Result<Account> ReplaceUser(std::string_view id, const boost::json::object& desired) override;
  Result<Account> PatchUser(std::string_view id, const boost::json::object& current,
                            const boost::json::object& desired) override;
  // Per settings.deprovision: IsActive=false, UserLogin.IsFrozen=true, or both (frozen
  // first, so the user cannot log in while being deactivated).
  Status DisableUser(std::string_view id) override;
  Status DeleteUser(std::string_view id) override;  // as DisableUser: Salesforce cannot delete
  Result<Page<Account>> ListUsers(const PageRequest& page) override;

  EntitlementConnector* entitlements() override { return this; }
  // Profiles, then UserRoles (attributes.ParentRoleId: the hierarchy), then permission sets
  // not owned by a profile. Kinds "profile", "role", "permission_set"; ids are Salesforce ids.
  Result<Page<Entitlement>> ListEntitlements(const PageRequest& page) override;
  // profile/role: PATCH the user's ProfileId/UserRoleId; permission_set: a
  // PermissionSetAssignment. Granting twice and revoking what is not granted are not errors;
  // revoking a profile is a no-op (a user always has exactly one).
  Status Grant(std::string_view user_id, const Entitlement& entitlement) override;
  Status Revoke(std::string_view user_id, const Entitlement& entitlement) override;

  BatchConnector* batch() override { return settings_.collection_size > 1 ? this : nullptr; }
  // Creates go to POST composite/sobjects and updates to PATCH, settings.collection_size
  // records a call; per-record errors (`statusCode`) are classified like REST ones.
  std::vector<Result<Account>> ApplyBatch(std::span<const BatchWrite> writes) override;
  // SOQL `WHERE field IN (...)`, 100 values a query.
  std::vector<Result<std::optional<Account>>> FindUsers(
      std::string_view attribute, std::span<const std::string> values) override;

 private:
  Result<http::HttpResponse> Send(std::string_view method, const std::string& path,
                                  const boost::json::value* body, bool query_options = false,
                                  size_t batch = 0);
  Result<boost::json::object> Query(const std::string& soql, size_t batch = 0);
  Result<boost::json::object> QueryMore(const std::string& next_records_url);
  Result<std::string> DefaultProfileId();
  Status Patch(std::string_view id, const boost::json::object& changes);
  // The user's UserLogin (one per user): its IsFrozen, and setting it.
  Result<bool> IsFrozen(std::string_view user_id);
  Status SetFrozen(std::string_view user_id, bool frozen);
  // The record a create sends: read-only fields dropped, required ones filled from settings.
  Result<boost::json::object> CreateBody(const boost::json::object& desired);
  // The fields of `desired` that differ from `current` (read-only fields never).
  static boost::json::object Changes(const boost::json::object& current,
                                     const boost::json::object& desired);
  // One collection call; results aligned with `records`.
  std::vector<Result<Account>> SendCollection(std::string_view method,
                                              std::span<const boost::json::object> records);
  std::string Api() const { return "/services/data/" + settings_.api_version; }

  SalesforceSettings settings_;
  AuthorizedClient client_;
  const Clock& clock_;
  std::mutex mu_;
  std::optional<std::string> default_profile_id_;  // guarded by mu_
  std::atomic<int64_t> paused_until_us_{0};        // daily-limit slowdown
};

// The registry's factory for type "salesforce". `auth.kind`: salesforce_jwt_bearer
// {login_url?, client_id, username, private_key, audience?}; oauth2_client_credentials
// {token_url?, client_id, client_secret}; salesforce_username_password {login_url?,
// client_id, client_secret, username, password}. login_url defaults to base_url.
Result<std::unique_ptr<Connector>> OpenSalesforceConnector(const ConnectorConfig& config,
                                                           const ConnectorEnv& env);

// A SOQL string literal's body: backslash escapes for ' " \ and control characters.
std::string EscapeSoql(std::string_view value);

}  // namespace provisio::connectors::salesforce
