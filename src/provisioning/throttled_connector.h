// A forwarding Connector that spends an application's RateLimiter on every call to the
// target: it waits for a token and a free slot, and a 429 the target answers holds the whole
// application's bucket for its Retry-After. When the wait would be longer than `max_wait`
// the call is not made and answers a rate-limited error marked "throttled", so a worker
// thread is never parked for long on one busy application.
#pragma once

#include <chrono>
#include <memory>

#include "connectors/connector.h"
#include "provisioning/rate_limiter.h"

namespace provisio::provisioning {

// True for the error ThrottledConnector answers instead of calling (the target never saw it).
bool IsThrottled(const Error& error);

class ThrottledConnector final : public connectors::Connector,
                                 connectors::GroupConnector,
                                 connectors::EntitlementConnector,
                                 connectors::BatchConnector {
 public:
  ThrottledConnector(std::shared_ptr<connectors::Connector> inner,
                     std::shared_ptr<RateLimiter> limiter, const Clock& clock,
                     std::chrono::microseconds max_wait = std::chrono::seconds(5));

  connectors::Capabilities capabilities() override { return inner_->capabilities(); }
  Status Test() override;
  Result<connectors::Account> CreateUser(const boost::json::object& desired) override;
  Result<connectors::Account> GetUser(std::string_view id) override;
  Result<std::optional<connectors::Account>> FindUser(std::string_view attribute,
                                                      std::string_view value) override;
  Result<connectors::Account> ReplaceUser(std::string_view id,
                                          const boost::json::object& desired) override;
  Result<connectors::Account> PatchUser(std::string_view id, const boost::json::object& current,
                                        const boost::json::object& desired) override;
  Status DisableUser(std::string_view id) override;
  Status DeleteUser(std::string_view id) override;
  Result<connectors::Page<connectors::Account>> ListUsers(
      const connectors::PageRequest& page) override;

  connectors::GroupConnector* groups() override { return inner_->groups() ? this : nullptr; }
  connectors::EntitlementConnector* entitlements() override {
    return inner_->entitlements() ? this : nullptr;
  }
  connectors::BatchConnector* batch() override { return inner_->batch() ? this : nullptr; }

  // GroupConnector
  Result<connectors::Account> CreateGroup(const boost::json::object& desired) override;
  Result<connectors::Account> GetGroup(std::string_view id) override;
  Result<std::optional<connectors::Account>> FindGroup(std::string_view attribute,
                                                       std::string_view value) override;
  Result<connectors::Account> UpdateGroup(std::string_view id, const boost::json::object& current,
                                          const boost::json::object& desired) override;
  Status DeleteGroup(std::string_view id) override;
  Result<connectors::Page<connectors::Account>> ListGroups(
      const connectors::PageRequest& page) override;
  Status AddMembers(std::string_view group_id, std::span<const std::string> user_ids) override;
  Status RemoveMembers(std::string_view group_id, std::span<const std::string> user_ids) override;
  Result<std::optional<std::vector<std::string>>> MemberIds(std::string_view group_id) override;
  Status AddMembersWithRole(std::string_view group_id, std::span<const std::string> user_ids,
                            std::string_view role) override;

  // EntitlementConnector
  Result<connectors::Page<connectors::Entitlement>> ListEntitlements(
      const connectors::PageRequest& page) override;
  Status Grant(std::string_view user_id, const connectors::Entitlement& entitlement) override;
  Status Revoke(std::string_view user_id, const connectors::Entitlement& entitlement) override;

  // BatchConnector: one request's worth of budget per call (the connector splits them).
  std::vector<Result<connectors::Account>> ApplyBatch(
      std::span<const connectors::BatchWrite> writes) override;
  std::vector<Result<std::optional<connectors::Account>>> FindUsers(
      std::string_view attribute, std::span<const std::string> values) override;

  const std::shared_ptr<connectors::Connector>& inner() const { return inner_; }

 private:
  // Waits for a turn; an error (throttled) when it would take longer than max_wait.
  std::optional<Error> Acquire();
  // Frees the slot; a rate-limited answer holds the bucket for its Retry-After.
  void Release(const Error* error);
  template <typename R, typename F>
  R Call(F&& f);

  std::shared_ptr<connectors::Connector> inner_;
  std::shared_ptr<RateLimiter> limiter_;
  const Clock& clock_;
  std::chrono::microseconds max_wait_;
};

}  // namespace provisio::provisioning
