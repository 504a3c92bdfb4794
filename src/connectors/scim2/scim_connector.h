// The generic SCIM 2.0 connector (RFC 7644) for any SCIM service provider. It reads
// /ServiceProviderConfig once and adapts: PUT when PATCH is unsupported, listing and matching
// on this side when filters are, paging on this side when `count` or `startIndex` is ignored.
// Lookups send `filter=<attr> eq "<value>"`; updates send minimal PATCH operations; group
// members change by PATCH add / remove in chunks (remove by `members[value eq ...]`, never a
// bare "members" path that some servers read as "remove all"). With etag support it sends the
// user's version as If-Match (RFC 7644 §3.14) when it knows it; with bulk support, batches go
// to /Bulk (scim_bulk.h).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "connectors/auth/authorized_client.h"
#include "connectors/connector.h"
#include "connectors/registry.h"
#include "connectors/scim2/scim_settings.h"

namespace provisio::connectors::scim2 {

// What /ServiceProviderConfig said (defaults: what RFC 7644 makes mandatory).
struct ScimFeatures {
  bool patch = true;
  bool filter = true;
  size_t filter_max_results = 0;  // 0: not stated
  bool bulk = false;
  size_t bulk_max_operations = 0;
  size_t bulk_max_payload_bytes = 0;  // 0: not stated
  bool etag = false;
};

class ScimConnector final : public Connector, public GroupConnector, public BatchConnector {
 public:
  ScimConnector(std::string base_url, ScimSettings settings, AuthorizedClient client,
                const Clock& clock);

  Capabilities capabilities() override;
  Status Test() override;

  Result<Account> CreateUser(const boost::json::object& desired) override;
  Result<Account> GetUser(std::string_view id) override;
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
  Result<std::optional<Account>> FindGroup(std::string_view attribute,
                                           std::string_view value) override;
  Result<Account> UpdateGroup(std::string_view id, const boost::json::object& current,
                              const boost::json::object& desired) override;
  Status DeleteGroup(std::string_view id) override;
  Result<Page<Account>> ListGroups(const PageRequest& page) override;
  Status AddMembers(std::string_view group_id, std::span<const std::string> user_ids) override;
  Status RemoveMembers(std::string_view group_id, std::span<const std::string> user_ids) override;
  // GET /Groups/{id}?attributes=members.
  Result<std::optional<std::vector<std::string>>> MemberIds(std::string_view group_id) override;

  // Non-null when the target offers /Bulk and the settings allow it.
  BatchConnector* batch() override;
  std::vector<Result<Account>> ApplyBatch(std::span<const BatchWrite> writes) override;
  // `attr eq "a" or attr eq "b" ...`, 50 values a request, for a top-level attribute; other
  // paths, and targets without filters, go value by value.
  std::vector<Result<std::optional<Account>>> FindUsers(
      std::string_view attribute, std::span<const std::string> values) override;

  // Discovery result (runs discovery on first use).
  Result<ScimFeatures> Features();

 private:
  struct Call;
  Result<http::HttpResponse> Send(std::string_view method, std::string_view path_and_query,
                                  const boost::json::value* body, std::string_view if_match = {});
  Result<http::HttpResponse> SendText(std::string_view method, std::string_view path_and_query,
                                      std::optional<std::string> body, std::string_view if_match);
  Result<Account> Create(std::string_view endpoint, std::string_view schema,
                         const boost::json::object& desired);
  Result<Account> Get(std::string_view endpoint, std::string_view id, std::string_view query);
  Result<std::optional<Account>> Find(std::string_view endpoint, std::string_view attribute,
                                      std::string_view value, std::string_view extra_query);
  Result<Account> Replace(std::string_view endpoint, std::string_view id,
                          const boost::json::object& body, std::string_view version = {});
  Result<Account> Patch(std::string_view endpoint, std::string_view id,
                        boost::json::array operations, const boost::json::object& fallback,
                        std::string_view version = {});
  Status Delete(std::string_view endpoint, std::string_view id);
  Result<Page<Account>> List(std::string_view endpoint, const PageRequest& page,
                             std::string_view extra_query);
  size_t PageSize(size_t hint);
  // User versions (ETags): what `current` carries (meta.version), else the last one this
  // connector saw for the id; "" when unknown or the target has no etag support.
  std::string VersionFor(std::string_view id, const boost::json::object* current);
  void Remember(const Account& account);
  void Forget(std::string_view id);

  std::string base_url_;
  ScimSettings settings_;
  AuthorizedClient client_;
  const Clock& clock_;
  std::mutex discovery_mu_;
  std::optional<ScimFeatures> features_;  // guarded by discovery_mu_
  std::mutex versions_mu_;
  std::unordered_map<std::string, std::string> versions_;  // user id -> ETag; bounded
};

// The registry's factory for type "scim2".
Result<std::unique_ptr<Connector>> OpenScimConnector(const ConnectorConfig& config,
                                                     const ConnectorEnv& env);

}  // namespace provisio::connectors::scim2
