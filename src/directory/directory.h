// The portal directory: users and groups as SCIM resources, stored through the store,
// validated by the SCIM core. Every write bumps the resource's version and appends a
// change event in the same transaction, so the change feed never misses or invents a write.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "scim/list_query.h"
#include "scim/schema.h"
#include "store/store.h"

namespace provisio::directory {

struct Resource {
  boost::json::object body;  // schemas, id, attributes, meta (without location), groups/members
  int64_t version = 0;
};

// W/"<version>": the weak ETag of a version.
std::string ETag(int64_t version);
// True when an If-Match/If-None-Match value ("*" or a list of ETags, weak or strong)
// names `version`.
bool ETagMatches(std::string_view header_value, int64_t version);

// If-Match from the request, checked against the current version before a write.
// "*" matches any existing resource; otherwise a comma-separated list of ETags.
struct Precondition {
  std::optional<std::string> if_match;
};

// Derived parts of a resource that cost a query: user.groups and group.members. Readers
// that will not return them (excludedAttributes=members) skip them.
struct ReadOptions {
  bool groups = true;
  bool members = true;
};

struct ListResult {
  std::vector<boost::json::object> page;  // full representations, not yet projected
  uint64_t total = 0;
};

struct DirectoryLimits {
  size_t max_sorted_results = 100'000;  // sortBy over more matches than this is tooMany
};

class Directory {
 public:
  Directory(store::Store& store, const scim::SchemaRegistry& registry, const Clock& clock,
            DirectoryLimits limits = {});

  const scim::ResourceType& user_type() const { return *user_type_; }
  const scim::ResourceType& group_type() const { return *group_type_; }
  store::Store& store() { return store_; }

  // Writes take an optional outer transaction (SCIM Bulk runs many in one); without one
  // each write commits on its own.
  Result<Resource> CreateUser(const boost::json::object& input, store::Transaction* tx = nullptr);
  Result<Resource> GetUser(std::string_view id, const ReadOptions& options = {});
  Result<Resource> ReplaceUser(std::string_view id, const boost::json::object& input,
                               const Precondition& pre = {}, store::Transaction* tx = nullptr);
  Result<Resource> PatchUser(std::string_view id, const boost::json::value& patch,
                             const Precondition& pre = {}, store::Transaction* tx = nullptr);
  Status DeleteUser(std::string_view id, const Precondition& pre = {},
                    store::Transaction* tx = nullptr);
  Result<ListResult> ListUsers(const scim::ListQuery& query, const ReadOptions& options = {});

  Result<Resource> CreateGroup(const boost::json::object& input, store::Transaction* tx = nullptr);
  Result<Resource> GetGroup(std::string_view id, const ReadOptions& options = {});
  Result<Resource> ReplaceGroup(std::string_view id, const boost::json::object& input,
                                const Precondition& pre = {}, store::Transaction* tx = nullptr);
  // Member adds and removes touch only the members named, however large the group.
  Result<Resource> PatchGroup(std::string_view id, const boost::json::value& patch,
                              const Precondition& pre = {}, const ReadOptions& options = {},
                              store::Transaction* tx = nullptr);
  Status DeleteGroup(std::string_view id, const Precondition& pre = {},
                     store::Transaction* tx = nullptr);
  Result<ListResult> ListGroups(const scim::ListQuery& query, const ReadOptions& options = {});

  // A user as GetUser reads it with its groups, from its row and its memberships (GroupsOf's,
  // or GroupsOfUsers' for that user), for readers that load a page of users at once.
  Result<Resource> UserWithGroups(const store::UserRow& row,
                                  const std::vector<store::Membership>& memberships) const;

 private:
  Result<Resource> UserFromRow(store::Transaction* tx, const store::UserRow& row,
                               const ReadOptions& options);
  Result<Resource> GroupFromRow(store::Transaction* tx, const store::GroupRow& row,
                                const ReadOptions& options);
  // Add the derived attribute of a resource read without it: a user's groups, a group's
  // members. A listing adds them to the page it returns, not to every row it evaluates.
  Status AddGroups(store::Transaction* tx, std::string_view user_id, boost::json::object& body);
  Status AddMembers(store::Transaction* tx, std::string_view group_id, boost::json::object& body);
  Result<store::UserRow> StoreUser(store::Transaction& tx, const boost::json::object& normalized,
                                   const store::UserRow* existing);
  // Validates members (they exist; no cycle) and returns their rows.
  Result<std::vector<store::MemberRow>> ResolveMembers(store::Transaction& tx,
                                                       std::string_view group_id,
                                                       const std::vector<std::string>& ids);
  Status AppendChange(store::Transaction& tx, std::string_view type, std::string_view id,
                      std::string_view op, int64_t version, boost::json::object detail = {});

  store::Store& store_;
  const scim::ResourceType* user_type_;
  const scim::ResourceType* group_type_;
  const Clock& clock_;
  DirectoryLimits limits_;
};

}  // namespace provisio::directory
