// Portal groups and their memberships. Members are rows of their own, so adding or removing
// one member of a 100,000-member group touches one row, never the whole list.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/user_store.h"

namespace provisio::store {

struct GroupRow {
  std::string id;
  std::string display_name;
  std::optional<std::string> external_id;
  int64_t version = 1;
  TimePoint created;
  TimePoint updated;
  std::string resource;  // SCIM JSON without id, meta and members
};

struct MemberRow {
  std::string member_id;
  std::string type;  // "User" or "Group"
};

// A group a user belongs to, directly or through nested groups.
struct Membership {
  std::string group_id;
  std::string display_name;
  bool direct = true;
};

class GroupStore {
 public:
  virtual ~GroupStore() = default;
  virtual Status Insert(Transaction& tx, const GroupRow& group) = 0;
  virtual Status Update(Transaction& tx, const GroupRow& group) = 0;
  // Also removes its memberships, both as a group and as a member of other groups.
  virtual Status Delete(Transaction& tx, std::string_view id) = 0;
  virtual Result<std::optional<GroupRow>> Get(Transaction* tx, std::string_view id) = 0;
  // Only kId, kExternalId and kDisplayName lookups narrow a group scan.
  virtual Status Scan(const ScanSpec& spec, const Visitor<GroupRow>& visit) = 0;

  // Adds members that are not members yet; returns how many were added.
  virtual Result<int64_t> AddMembers(Transaction& tx, std::string_view group_id,
                                     const std::vector<MemberRow>& members) = 0;
  // Removes the listed members that are members; returns how many were removed.
  virtual Result<int64_t> RemoveMembers(Transaction& tx, std::string_view group_id,
                                        const std::vector<std::string>& member_ids) = 0;
  virtual Status RemoveAllMembers(Transaction& tx, std::string_view group_id) = 0;
  // Members in member-id order, resuming after `after_id`.
  virtual Status ListMembers(Transaction* tx, std::string_view group_id, std::string_view after_id,
                             const Visitor<MemberRow>& visit) = 0;
  virtual Result<int64_t> CountMembers(std::string_view group_id) = 0;
  // Groups containing `member_id`, directly and through nested groups (no duplicates).
  virtual Result<std::vector<Membership>> GroupsOf(Transaction* tx, std::string_view member_id) = 0;
  // GroupsOf for every user whose id is after `after_id` and at most `upto_id` (in the order
  // of UserStore::Scan), in one query: (user id, membership) in user-id order, each user's
  // memberships in GroupsOf's order. Users without a group have no row.
  virtual Result<std::vector<std::pair<std::string, Membership>>> GroupsOfUsers(
      Transaction* tx, std::string_view after_id, std::string_view upto_id) = 0;
  // True when `group_id` is `ancestor_id` or nested (transitively) inside it: adding
  // ancestor as a member of group would then make a cycle.
  virtual Result<bool> IsWithin(Transaction& tx, std::string_view group_id,
                                std::string_view ancestor_id) = 0;
};

}  // namespace provisio::store
