// Backend-neutral SQL implementations of the directory's aggregates: users, groups and memberships,
// the change feed, and tokens.
#pragma once

#include "store/change_feed.h"
#include "store/group_store.h"
#include "store/token_store.h"
#include "store/user_store.h"

namespace provisio::store::sql {

class SqlStore;

class SqlUserStore final : public UserStore {
 public:
  explicit SqlUserStore(SqlStore& store) : store_(store) {}
  Status Insert(Transaction& tx, const UserRow& user) override;
  Status Update(Transaction& tx, const UserRow& user) override;
  Status Delete(Transaction& tx, std::string_view id) override;
  Result<std::optional<UserRow>> Get(Transaction* tx, std::string_view id) override;
  Status Scan(const ScanSpec& spec, const Visitor<UserRow>& visit) override;
  Result<int64_t> Count() override;

 private:
  SqlStore& store_;
};

class SqlGroupStore final : public GroupStore {
 public:
  explicit SqlGroupStore(SqlStore& store) : store_(store) {}
  Status Insert(Transaction& tx, const GroupRow& group) override;
  Status Update(Transaction& tx, const GroupRow& group) override;
  Status Delete(Transaction& tx, std::string_view id) override;
  Result<std::optional<GroupRow>> Get(Transaction* tx, std::string_view id) override;
  Status Scan(const ScanSpec& spec, const Visitor<GroupRow>& visit) override;
  Result<int64_t> AddMembers(Transaction& tx, std::string_view group_id,
                             const std::vector<MemberRow>& members) override;
  Result<int64_t> RemoveMembers(Transaction& tx, std::string_view group_id,
                                const std::vector<std::string>& member_ids) override;
  Status RemoveAllMembers(Transaction& tx, std::string_view group_id) override;
  Status ListMembers(Transaction* tx, std::string_view group_id, std::string_view after_id,
                     const Visitor<MemberRow>& visit) override;
  Result<int64_t> CountMembers(std::string_view group_id) override;
  Result<std::vector<Membership>> GroupsOf(Transaction* tx, std::string_view member_id) override;
  Result<std::vector<std::pair<std::string, Membership>>> GroupsOfUsers(
      Transaction* tx, std::string_view after_id, std::string_view upto_id) override;
  Result<bool> IsWithin(Transaction& tx, std::string_view group_id,
                        std::string_view ancestor_id) override;

 private:
  SqlStore& store_;
};

class SqlChangeFeed final : public ChangeFeed {
 public:
  explicit SqlChangeFeed(SqlStore& store) : store_(store) {}
  Result<int64_t> Append(Transaction& tx, const ChangeEvent& event) override;
  Result<std::vector<ChangeEvent>> Read(int64_t after_seq, size_t limit) override;
  Result<int64_t> LastSeq() override;
  Result<int64_t> Cursor(std::string_view consumer) override;
  Status SetCursor(Transaction& tx, std::string_view consumer, int64_t seq) override;

 private:
  SqlStore& store_;
};

class SqlTokenStore final : public TokenStore {
 public:
  explicit SqlTokenStore(SqlStore& store) : store_(store) {}
  Status Insert(Transaction& tx, const TokenRow& token) override;
  Result<std::optional<TokenRow>> FindByHash(std::string_view hash) override;
  Result<std::optional<TokenRow>> Get(std::string_view id) override;
  Result<std::vector<TokenRow>> List(std::string_view kind) override;
  Status Revoke(Transaction& tx, std::string_view id, TimePoint at) override;
  Status TouchLastUsed(Transaction& tx, std::string_view id, TimePoint at) override;

 private:
  SqlStore& store_;
};

}  // namespace provisio::store::sql
