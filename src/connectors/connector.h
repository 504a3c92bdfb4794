// The Connector seam: one interface for every target application or directory (ARCHITECTURE,
// "The seams"). A connector speaks its vendor's wire format and nothing else does; it
// declares its Capabilities; its errors are classified (error_class.h).
//
// Connectors are synchronous: each call blocks its calling thread until the target answered.
// The engine runs them on its worker threads, and concurrency comes from many calls in flight
// over the one shared http::Client (kept-alive connections, HTTP/2 multiplexing). Blocking
// keeps connector code straight-line and easy to test; implementations must be thread-safe.
//
// Resources are JSON objects in the target's own vocabulary (for SCIM, SCIM resources):
// the mapping module builds them, the connector only carries them.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/capabilities.h"
#include "core/result.h"

namespace provisio::connectors {

// An object as the target holds it.
struct Account {
  std::string id;                  // the target's id
  boost::json::object attributes;  // the whole representation returned
  std::string etag;                // version for optimistic concurrency, "" when none
};

struct PageRequest {
  std::string cursor;      // "" for the first page, else a Page::next_cursor
  size_t page_size = 100;  // a hint; connectors cap it at Capabilities::max_page_size
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;          // "" after the last page; resumable across restarts
  std::optional<uint64_t> total{};  // when the target says
};

// A role, profile, licence or permission set the target grants to users.
struct Entitlement {
  std::string id;
  std::string kind;  // "role", "profile", "license", "group", ...
  std::string display_name;
  boost::json::object attributes;
};

class GroupConnector {
 public:
  virtual ~GroupConnector() = default;
  virtual Result<Account> CreateGroup(const boost::json::object& desired) = 0;
  virtual Result<Account> GetGroup(std::string_view id) = 0;  // without its member list
  virtual Result<std::optional<Account>> FindGroup(std::string_view attribute,
                                                   std::string_view value) = 0;
  // Brings group `id` from `current` (as last pushed or read) to `desired`: its name,
  // description or externalId, never its members. Only what differs is sent.
  virtual Result<Account> UpdateGroup(std::string_view id, const boost::json::object& current,
                                      const boost::json::object& desired) = 0;
  virtual Status DeleteGroup(std::string_view id) = 0;
  virtual Result<Page<Account>> ListGroups(const PageRequest& page) = 0;
  // Batched: the connector chunks large lists itself. Adding a member already present and
  // removing one absent are not errors.
  virtual Status AddMembers(std::string_view group_id, std::span<const std::string> user_ids) = 0;
  virtual Status RemoveMembers(std::string_view group_id,
                               std::span<const std::string> user_ids) = 0;
  // The ids of a group's members (an import records each account's groups); nullopt when the
  // connector cannot list them.
  virtual Result<std::optional<std::vector<std::string>>> MemberIds(std::string_view group_id) {
    (void)group_id;
    return std::optional<std::vector<std::string>>();
  }
  // AddMembers with a member role, for targets that have them (Google: MEMBER, MANAGER,
  // OWNER). "" is AddMembers; a role on a target without roles is invalid.
  virtual Status AddMembersWithRole(std::string_view group_id,
                                    std::span<const std::string> user_ids, std::string_view role) {
    if (role.empty()) return AddMembers(group_id, user_ids);
    return Error::InvalidArgument("this target has no member roles (asked for " +
                                  std::string(role) + ")");
  }
};

class EntitlementConnector {
 public:
  virtual ~EntitlementConnector() = default;
  virtual Result<Page<Entitlement>> ListEntitlements(const PageRequest& page) = 0;
  virtual Status Grant(std::string_view user_id, const Entitlement& entitlement) = 0;
  virtual Status Revoke(std::string_view user_id, const Entitlement& entitlement) = 0;
};

// One write of a batch: create `desired`, bring account `id` from `current` to `desired`, or
// disable or delete account `id` (only where Capabilities::batch_deprovision says so).
struct BatchWrite {
  enum class Kind { kCreate, kUpdate, kDisable, kDelete };
  Kind kind = Kind::kCreate;
  std::string id;               // kUpdate, kDisable, kDelete: the target's id
  boost::json::object current;  // kUpdate: as last read or pushed, for a minimal update
  boost::json::object desired;
};

// Many creates, updates (and, where declared, disables and deletes) in few requests (SCIM
// /Bulk, Salesforce sObject Collections), for
// when many items of one application are ready. Never atomic: each write succeeds or fails on
// its own. The caller looks accounts up before it asks for creates, exactly as with CreateUser.
class BatchConnector {
 public:
  virtual ~BatchConnector() = default;
  // One result per write, in order. The connector splits `writes` into requests within the
  // target's limits (Capabilities::max_batch); when a request fails as a whole, each write it
  // carried gets that error (a create in it may still have happened: look up before retrying).
  virtual std::vector<Result<Account>> ApplyBatch(std::span<const BatchWrite> writes) = 0;
  // FindUser for many values of one attribute in few requests: one result per value, in
  // order, each as FindUser would answer it (nullopt: absent; kConflict: several match).
  virtual std::vector<Result<std::optional<Account>>> FindUsers(
      std::string_view attribute, std::span<const std::string> values) = 0;
};

class Connector {
 public:
  virtual ~Connector() = default;

  virtual Capabilities capabilities() = 0;
  // The connection check: credentials accepted and the target answers as expected.
  virtual Status Test() = 0;

  virtual Result<Account> CreateUser(const boost::json::object& desired) = 0;
  virtual Result<Account> GetUser(std::string_view id) = 0;
  // By the matching attribute (userName, email, ...): nullopt when absent; kConflict when
  // several match. The engine finds before it creates, so retries never duplicate.
  virtual Result<std::optional<Account>> FindUser(std::string_view attribute,
                                                  std::string_view value) = 0;
  // Full replace: the target ends up holding `desired`.
  virtual Result<Account> ReplaceUser(std::string_view id, const boost::json::object& desired) = 0;
  // Minimal update: only what differs between `current` (as last read) and `desired` is sent;
  // nothing at all when they agree. Falls back to a replace when the target cannot patch.
  virtual Result<Account> PatchUser(std::string_view id, const boost::json::object& current,
                                    const boost::json::object& desired) = 0;
  virtual Status DisableUser(std::string_view id) = 0;
  virtual Status DeleteUser(std::string_view id) = 0;
  virtual Result<Page<Account>> ListUsers(const PageRequest& page) = 0;

  // nullptr when the capability is absent.
  virtual GroupConnector* groups() { return nullptr; }
  virtual EntitlementConnector* entitlements() { return nullptr; }
  virtual BatchConnector* batch() { return nullptr; }
};

}  // namespace provisio::connectors
