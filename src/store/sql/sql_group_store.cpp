#include <string>

#include "store/sql/sql_directory_stores.h"
#include "store/sql/sql_scan.h"
#include "store/sql/sql_store.h"

namespace provisio::store::sql {
namespace {

constexpr std::string_view kGroupColumns =
    "id, display_name, external_id, version, created_us, updated_us, resource";

GroupRow RowToGroup(const Statement& s) {
  GroupRow g;
  g.id = s.String(0);
  g.display_name = s.String(1);
  g.external_id = s.OptString(2);
  g.version = s.Int(3);
  g.created = FromMicros(s.Int(4));
  g.updated = FromMicros(s.Int(5));
  g.resource = s.String(6);
  return g;
}

}  // namespace

Status SqlGroupStore::Insert(Transaction& tx, const GroupRow& g) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO groups (id, display_name, external_id, version, "
                                      "created_us, updated_us, resource) VALUES (?,?,?,?,?,?,?)"));
  s.Bind(1, g.id).Bind(2, g.display_name).Bind(3, g.external_id).Bind(4, g.version);
  s.Bind(5, ToMicros(g.created)).Bind(6, ToMicros(g.updated)).Bind(7, g.resource);
  return s.Run();
}

Status SqlGroupStore::Update(Transaction& tx, const GroupRow& g) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(Statement s, c.Prepare("UPDATE groups SET display_name = ?, external_id = ?, "
                                          "version = ?, updated_us = ?, resource = ? "
                                          "WHERE id = ?"));
  s.Bind(1, g.display_name).Bind(2, g.external_id).Bind(3, g.version);
  s.Bind(4, ToMicros(g.updated)).Bind(5, g.resource).Bind(6, g.id);
  RETURN_IF_ERROR(s.Run());
  if (c.Changes() == 0) return Error::NotFound("no group " + g.id);
  return Ok();
}

Status SqlGroupStore::Delete(Transaction& tx, std::string_view id) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(Statement s, c.Prepare("DELETE FROM groups WHERE id = ?"));
  s.Bind(1, id);
  RETURN_IF_ERROR(s.Run());
  if (c.Changes() == 0) return Error::NotFound("no group " + std::string(id));
  // Its own member rows go by ON DELETE CASCADE; its rows as a member of others go here.
  ASSIGN_OR_RETURN(Statement m, c.Prepare("DELETE FROM group_members WHERE member_id = ?"));
  m.Bind(1, id);
  return m.Run();
}

Result<std::optional<GroupRow>> SqlGroupStore::Get(Transaction* tx, std::string_view id) {
  return store_.WithConn(tx, [&](Connection& c) -> Result<std::optional<GroupRow>> {
    ASSIGN_OR_RETURN(Statement s, c.Prepare("SELECT " + std::string(kGroupColumns) +
                                            " FROM groups WHERE id = ?" +
                                            std::string(tx ? store_.dialect().lock_rows : "")));
    s.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<GroupRow>();
    return std::optional<GroupRow>(RowToGroup(s));
  });
}

Status SqlGroupStore::Scan(const ScanSpec& spec, const Visitor<GroupRow>& visit) {
  return ScanTable<GroupRow>(store_, "groups", kGroupColumns, &RowToGroup, spec, false, visit);
}

Result<int64_t> SqlGroupStore::AddMembers(Transaction& tx, std::string_view group_id,
                                          const std::vector<MemberRow>& members) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(Statement s,
                   c.Prepare("INSERT INTO group_members (group_id, member_id, member_type) "
                             "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"));
  int64_t added = 0;
  for (const auto& m : members) {
    s.Reset();
    s.Bind(1, group_id).Bind(2, m.member_id).Bind(3, m.type);
    RETURN_IF_ERROR(s.Run());
    added += c.Changes();
  }
  return added;
}

Result<int64_t> SqlGroupStore::RemoveMembers(Transaction& tx, std::string_view group_id,
                                             const std::vector<std::string>& member_ids) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(Statement s,
                   c.Prepare("DELETE FROM group_members WHERE group_id = ? AND member_id = ?"));
  int64_t removed = 0;
  for (const auto& id : member_ids) {
    s.Reset();
    s.Bind(1, group_id).Bind(2, id);
    RETURN_IF_ERROR(s.Run());
    removed += c.Changes();
  }
  return removed;
}

Status SqlGroupStore::RemoveAllMembers(Transaction& tx, std::string_view group_id) {
  ASSIGN_OR_RETURN(Statement s, TxConn(tx).Prepare("DELETE FROM group_members WHERE group_id = ?"));
  s.Bind(1, group_id);
  return s.Run();
}

Status SqlGroupStore::ListMembers(Transaction* tx, std::string_view group_id,
                                  std::string_view after_id, const Visitor<MemberRow>& visit) {
  return PageByKey<MemberRow>(
      store_, tx,
      "SELECT member_id, member_type FROM group_members WHERE group_id = ? AND member_id > ? "
      "ORDER BY member_id LIMIT ?",
      {group_id}, after_id, 1024,
      [](const Statement& s) {
        return MemberRow{s.String(0), s.String(1)};
      },
      [](const MemberRow& m) { return m.member_id; }, visit);
}

Result<int64_t> SqlGroupStore::CountMembers(std::string_view group_id) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s,
                   reader->Prepare("SELECT count(*) FROM group_members WHERE group_id = ?"));
  s.Bind(1, group_id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  (void)row;
  return s.Int(0);
}

Result<std::vector<Membership>> SqlGroupStore::GroupsOf(Transaction* tx,
                                                        std::string_view member_id) {
  return store_.WithConn(tx, [&](Connection& c) -> Result<std::vector<Membership>> {
    // UNION (not UNION ALL) stops at groups already seen, so even a cycle would end.
    ASSIGN_OR_RETURN(Statement s, c.Prepare(R"sql(
WITH RECURSIVE up(id, direct) AS (
  SELECT group_id, 1 FROM group_members WHERE member_id = ?1
  UNION
  SELECT m.group_id, 0 FROM group_members m JOIN up ON m.member_id = up.id
)
SELECT up.id, max(up.direct), g.display_name FROM up JOIN groups g ON g.id = up.id
GROUP BY up.id, g.display_name ORDER BY g.display_name COLLATE NOCASE, up.id)sql"));
    s.Bind(1, member_id);
    std::vector<Membership> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back({s.String(0), s.String(2), s.Int(1) != 0});
    }
    return out;
  });
}

Result<std::vector<std::pair<std::string, Membership>>> SqlGroupStore::GroupsOfUsers(
    Transaction* tx, std::string_view after_id, std::string_view upto_id) {
  using Rows = std::vector<std::pair<std::string, Membership>>;
  return store_.WithConn(tx, [&](Connection& c) -> Result<Rows> {
    // GroupsOf for a range of users at once: the same walk up, carrying the user along.
    ASSIGN_OR_RETURN(Statement s, c.Prepare(R"sql(
WITH RECURSIVE up(member, id, direct) AS (
  SELECT member_id, group_id, 1 FROM group_members
  WHERE member_id > ?1 AND member_id <= ?2 AND member_type = 'User'
  UNION
  SELECT up.member, m.group_id, 0 FROM group_members m JOIN up ON m.member_id = up.id
)
SELECT up.member, up.id, max(up.direct), g.display_name FROM up JOIN groups g ON g.id = up.id
GROUP BY up.member, up.id, g.display_name
ORDER BY up.member, g.display_name COLLATE NOCASE, up.id)sql"));
    s.Bind(1, after_id).Bind(2, upto_id);
    Rows out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.emplace_back(s.String(0), Membership{s.String(1), s.String(3), s.Int(2) != 0});
    }
    return out;
  });
}

Result<bool> SqlGroupStore::IsWithin(Transaction& tx, std::string_view group_id,
                                     std::string_view ancestor_id) {
  ASSIGN_OR_RETURN(Statement s, TxConn(tx).Prepare(R"sql(
WITH RECURSIVE down(id) AS (
  SELECT CAST(?1 AS TEXT)
  UNION
  SELECT m.member_id FROM group_members m JOIN down ON m.group_id = down.id
  WHERE m.member_type = 'Group'
)
SELECT 1 FROM down WHERE id = ?2 LIMIT 1)sql"));
  s.Bind(1, ancestor_id).Bind(2, group_id);
  return s.Step();
}

Result<int64_t> SqlChangeFeed::Append(Transaction& tx, const ChangeEvent& e) {
  Connection& c = TxConn(tx);
  // Where writers run in parallel (several nodes), a sequence number taken now could become
  // visible after a later one, and a consumer that already moved past it would miss it.
  if (!store_.dialect().serialize_feed.empty())
    RETURN_IF_ERROR(c.Exec(store_.dialect().serialize_feed));
  ASSIGN_OR_RETURN(Statement s, c.Prepare("INSERT INTO changes (resource_type, resource_id, op, "
                                          "version, at_us, detail) VALUES (?,?,?,?,?,?) "
                                          "RETURNING seq"));
  s.Bind(1, e.resource_type).Bind(2, e.resource_id).Bind(3, e.op).Bind(4, e.version);
  s.Bind(5, ToMicros(e.at)).Bind(6, e.detail.empty() ? std::string("{}") : e.detail);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Error::Internal("the change feed gave no sequence number");
  int64_t seq = s.Int(0);
  RETURN_IF_ERROR(s.Run());
  return seq;
}

Result<std::vector<ChangeEvent>> SqlChangeFeed::Read(int64_t after_seq, size_t limit) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s,
                   reader->Prepare("SELECT seq, resource_type, resource_id, op, version, at_us, "
                                   "detail FROM changes WHERE seq > ? ORDER BY seq LIMIT ?"));
  s.Bind(1, after_seq).Bind(2, static_cast<int64_t>(limit));
  std::vector<ChangeEvent> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.Int(0), s.String(1), s.String(2), s.String(3), s.Int(4), FromMicros(s.Int(5)),
                   s.String(6)});
  }
  return out;
}

Result<int64_t> SqlChangeFeed::LastSeq() {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare("SELECT coalesce(max(seq), 0) FROM changes"));
  ASSIGN_OR_RETURN(bool row, s.Step());
  (void)row;
  return s.Int(0);
}

Result<int64_t> SqlChangeFeed::Cursor(std::string_view consumer) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s,
                   reader->Prepare("SELECT seq FROM change_cursors WHERE consumer = ?"));
  s.Bind(1, consumer);
  ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Status SqlChangeFeed::SetCursor(Transaction& tx, std::string_view consumer, int64_t seq) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO change_cursors (consumer, seq) VALUES (?, ?) "
                                      "ON CONFLICT (consumer) DO UPDATE SET seq = CASE WHEN "
                                      "excluded.seq > change_cursors.seq THEN excluded.seq "
                                      "ELSE change_cursors.seq END"));
  s.Bind(1, consumer).Bind(2, seq);
  return s.Run();
}

}  // namespace provisio::store::sql
