#include "store/sql/sql_provisioning_stores.h"

#include "store/sql/sql_scan.h"
#include "store/sql/sql_store.h"

namespace provisio::store::sql {
namespace {

constexpr std::string_view kLinkColumns =
    "application_id, subject_type, subject_id, target_id, state, desired_hash, desired, "
    "last_error, updated_us";

AccountLinkRow RowToLink(const Statement& s) {
  return {s.String(0), s.String(1), s.String(2), s.String(3),         s.String(4),
          s.String(5), s.String(6), s.String(7), FromMicros(s.Int(8))};
}

constexpr std::string_view kItemColumns =
    "application_id, subject_type, subject_id, mode, attempts, generation, not_before_us, "
    "enqueued_us, last_error, lease_until_us";

WorkItem RowToItem(const Statement& s) {
  WorkItem w;
  w.key = {s.String(0), s.String(1), s.String(2)};
  w.mode = s.String(3);
  w.attempts = s.Int(4);
  w.generation = s.Int(5);
  w.not_before = FromMicros(s.Int(6));
  w.enqueued = FromMicros(s.Int(7));
  w.last_error = s.String(8);
  w.lease_until = FromMicros(s.Int(9));
  return w;
}

// Hands a leased item back to the queue while the lease is still this one: not before
// `not_before`, with `text` as its last error and `attempts_spent` more attempts.
Status Postpone(Connection& c, const WorkItem& item, TimePoint not_before, std::string_view text,
                int64_t attempts_spent) {
  ASSIGN_OR_RETURN(Statement s,
                   c.Prepare("UPDATE work_items SET attempts = attempts + ?, not_before_us = ?, "
                             "lease_until_us = 0, lease_owner = '', last_error = ? WHERE "
                             "application_id = ? AND subject_type = ? AND subject_id = ? AND "
                             "lease_until_us = ?"));
  s.Bind(1, attempts_spent).Bind(2, ToMicros(not_before)).Bind(3, text);
  s.Bind(4, item.key.application_id).Bind(5, item.key.subject_type).Bind(6, item.key.subject_id);
  s.Bind(7, ToMicros(item.lease_until));
  return s.Run();
}

// An item re-marked while it was worked on: its lease is released (while still this one) so
// the newer state runs at once. When the lease is no longer ours, whoever holds it (or the
// next lease) runs the newer state.
Status ReleaseRemarked(Connection& c, const WorkItem& item) {
  ASSIGN_OR_RETURN(Statement rel, c.Prepare("UPDATE work_items SET lease_until_us = 0, "
                                            "lease_owner = '' WHERE application_id = ? AND "
                                            "subject_type = ? AND subject_id = ? AND "
                                            "lease_until_us = ?"));
  rel.Bind(1, item.key.application_id).Bind(2, item.key.subject_type).Bind(3, item.key.subject_id);
  rel.Bind(4, ToMicros(item.lease_until));
  return rel.Run();
}

}  // namespace

Status SqlAccountLinkStore::Upsert(Transaction& tx, const AccountLinkRow& l) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO account_links (application_id, subject_type, "
                                      "subject_id, target_id, state, desired_hash, desired, "
                                      "last_error, updated_us) VALUES (?,?,?,?,?,?,?,?,?) "
                                      "ON CONFLICT (application_id, subject_type, subject_id) DO "
                                      "UPDATE SET target_id = excluded.target_id, state = "
                                      "excluded.state, desired_hash = excluded.desired_hash, "
                                      "desired = excluded.desired, last_error = "
                                      "excluded.last_error, updated_us = excluded.updated_us"));
  s.Bind(1, l.application_id).Bind(2, l.subject_type).Bind(3, l.subject_id).Bind(4, l.target_id);
  s.Bind(5, l.state).Bind(6, l.desired_hash).Bind(7, l.desired).Bind(8, l.last_error);
  s.Bind(9, ToMicros(l.updated));
  return s.Run();
}

Status SqlAccountLinkStore::Delete(Transaction& tx, std::string_view app, std::string_view type,
                                   std::string_view id) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("DELETE FROM account_links WHERE application_id = ? AND "
                                      "subject_type = ? AND subject_id = ?"));
  s.Bind(1, app).Bind(2, type).Bind(3, id);
  return s.Run();
}

Result<std::optional<AccountLinkRow>> SqlAccountLinkStore::Get(Transaction* tx,
                                                               std::string_view app,
                                                               std::string_view type,
                                                               std::string_view id) {
  return store_.WithConn(tx, [&](Connection& c) -> Result<std::optional<AccountLinkRow>> {
    ASSIGN_OR_RETURN(Statement s, c.Prepare("SELECT " + std::string(kLinkColumns) +
                                            " FROM account_links WHERE application_id = ? AND "
                                            "subject_type = ? AND subject_id = ?"));
    s.Bind(1, app).Bind(2, type).Bind(3, id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<AccountLinkRow>();
    return std::optional<AccountLinkRow>(RowToLink(s));
  });
}

Status SqlAccountLinkStore::Scan(std::string_view app, std::string_view type,
                                 std::string_view after, const Visitor<AccountLinkRow>& visit) {
  return PageByKey<AccountLinkRow>(
      store_, nullptr,
      "SELECT " + std::string(kLinkColumns) +
          " FROM account_links WHERE application_id = ? AND subject_type = ? AND subject_id > ? "
          "ORDER BY subject_id LIMIT ?",
      {app, type}, after, 512, &RowToLink, [](const AccountLinkRow& l) { return l.subject_id; },
      visit);
}

Status SqlAccountLinkStore::ScanRange(std::string_view app, std::string_view type,
                                      std::string_view after, std::string_view upto,
                                      const Visitor<AccountLinkRow>& visit) {
  return PageByKey<AccountLinkRow>(
      store_, nullptr,
      "SELECT " + std::string(kLinkColumns) +
          " FROM account_links WHERE application_id = ? AND subject_type = ? AND subject_id <= ? "
          "AND subject_id > ? ORDER BY subject_id LIMIT ?",
      {app, type, upto}, after, 512, &RowToLink,
      [](const AccountLinkRow& l) { return l.subject_id; }, visit);
}

Result<std::vector<std::string>> SqlAccountLinkStore::WithHashSuffix(std::string_view app,
                                                                     std::string_view type,
                                                                     std::string_view suffix) {
  std::string pattern = "%";
  for (char c : suffix) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare("SELECT subject_id FROM account_links WHERE "
                                                "application_id = ? AND subject_type = ? AND "
                                                "desired_hash LIKE ? ESCAPE '\\' ORDER BY "
                                                "subject_id"));
  s.Bind(1, app).Bind(2, type).Bind(3, pattern);
  std::vector<std::string> ids;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ids.push_back(s.String(0));
  }
  return ids;
}

Status SqlAccountLinkStore::DeleteAll(Transaction& tx, std::string_view app) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("DELETE FROM account_links WHERE application_id = ?"));
  s.Bind(1, app);
  return s.Run();
}

Status SqlWorkQueue::Enqueue(Transaction& tx, const std::vector<WorkKey>& keys,
                             std::string_view mode, TimePoint now) {
  ASSIGN_OR_RETURN(
      Statement s,
      TxConn(tx).Prepare(
          "INSERT INTO work_items (application_id, subject_type, subject_id, mode, attempts, "
          "generation, not_before_us, enqueued_us, state) VALUES (?1, ?2, ?3, ?4, 0, 1, ?5, ?5, "
          "'queued') ON CONFLICT (application_id, subject_type, subject_id) DO UPDATE SET "
          "generation = work_items.generation + 1, state = 'queued', attempts = 0, "
          "mode = CASE WHEN work_items.mode = 'full' OR excluded.mode = 'full' THEN 'full' "
          "ELSE 'incremental' END, "
          "not_before_us = CASE WHEN excluded.not_before_us < work_items.not_before_us "
          "THEN excluded.not_before_us ELSE work_items.not_before_us END"));
  for (const auto& k : keys) {
    s.Reset();
    s.Bind(1, k.application_id).Bind(2, k.subject_type).Bind(3, k.subject_id).Bind(4, mode);
    s.Bind(5, ToMicros(now));
    RETURN_IF_ERROR(s.Run());
  }
  // Other nodes' idle workers hear of it when the transaction commits.
  if (!keys.empty() && !store_.dialect().notify_work.empty()) {
    RETURN_IF_ERROR(TxConn(tx).Exec(store_.dialect().notify_work));
  }
  return Ok();
}

Result<int64_t> SqlWorkQueue::EnqueueAbsent(Transaction& tx, const std::vector<WorkKey>& keys,
                                            std::string_view mode, TimePoint now) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(
      Statement s,
      c.Prepare("INSERT INTO work_items (application_id, subject_type, subject_id, mode, attempts, "
                "generation, not_before_us, enqueued_us, state) VALUES (?1, ?2, ?3, ?4, 0, 1, "
                "?5, ?5, 'queued') ON CONFLICT (application_id, subject_type, subject_id) DO "
                "NOTHING"));
  int64_t added = 0;
  for (const auto& k : keys) {
    s.Reset();
    s.Bind(1, k.application_id).Bind(2, k.subject_type).Bind(3, k.subject_id).Bind(4, mode);
    s.Bind(5, ToMicros(now));
    RETURN_IF_ERROR(s.Run());
    added += c.Changes();
  }
  if (added > 0 && !store_.dialect().notify_work.empty()) {
    RETURN_IF_ERROR(c.Exec(store_.dialect().notify_work));
  }
  return added;
}

Result<std::vector<WorkItem>> SqlWorkQueue::Lease(std::string_view owner, size_t max, TimePoint now,
                                                  std::chrono::milliseconds lease) {
  ASSIGN_OR_RETURN(auto tx, store_.Begin());
  std::vector<WorkItem> items;
  {
    // The statement is finalised here, before the commit hands the writer connection to the
    // next transaction: finalising it afterwards raced with that transaction on a connection
    // SQLite does not serialise, and corrupted its statement list (provisio crashed).
    ASSIGN_OR_RETURN(
        Statement s,
        TxConn(*tx).Prepare(
            "UPDATE work_items SET lease_owner = ?1, lease_until_us = ?2 WHERE "
            "(application_id, subject_type, subject_id) IN (SELECT application_id, subject_type, "
            "subject_id FROM work_items WHERE state = 'queued' AND not_before_us <= ?3 AND "
            "lease_until_us <= ?3 ORDER BY not_before_us LIMIT ?4" +
            std::string(store_.dialect().skip_locked) + ") RETURNING " +
            std::string(kItemColumns)));
    s.Bind(1, owner).Bind(2, ToMicros(now) + lease.count() * 1000).Bind(3, ToMicros(now));
    s.Bind(4, static_cast<int64_t>(max));
    for (;;) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      items.push_back(RowToItem(s));
    }
  }
  RETURN_IF_ERROR(tx->Commit());
  return items;
}

Status SqlWorkQueue::Complete(Transaction& tx, const WorkItem& item) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(Statement del, c.Prepare("DELETE FROM work_items WHERE application_id = ? AND "
                                            "subject_type = ? AND subject_id = ? AND "
                                            "generation = ? AND lease_until_us = ?"));
  del.Bind(1, item.key.application_id).Bind(2, item.key.subject_type);
  del.Bind(3, item.key.subject_id).Bind(4, item.generation).Bind(5, ToMicros(item.lease_until));
  RETURN_IF_ERROR(del.Run());
  if (c.Changes() > 0) return Ok();
  return ReleaseRemarked(c, item);  // re-marked while we worked on it
}

Status SqlWorkQueue::Retry(Transaction& tx, const WorkItem& item, TimePoint not_before,
                           std::string_view error) {
  return Postpone(TxConn(tx), item, not_before, error, 1);
}

Status SqlWorkQueue::Defer(Transaction& tx, const WorkItem& item, TimePoint not_before,
                           std::string_view reason) {
  return Postpone(TxConn(tx), item, not_before, reason, 0);
}

Result<int64_t> SqlWorkQueue::ReleaseLeases(Transaction& tx, std::string_view owner) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(Statement s,
                   c.Prepare("UPDATE work_items SET lease_until_us = 0, lease_owner = '' WHERE "
                             "lease_until_us > 0 AND (?1 = '' OR lease_owner = ?1)"));
  s.Bind(1, owner);
  RETURN_IF_ERROR(s.Run());
  return static_cast<int64_t>(c.Changes());
}

Status SqlWorkQueue::Bury(Transaction& tx, const WorkItem& item, std::string_view error) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("UPDATE work_items SET state = 'dead', attempts = attempts "
                                      "+ 1, lease_until_us = 0, lease_owner = '', last_error = ? "
                                      "WHERE application_id = ? AND subject_type = ? AND "
                                      "subject_id = ? AND generation = ? AND lease_until_us = ?"));
  s.Bind(1, error).Bind(2, item.key.application_id).Bind(3, item.key.subject_type);
  s.Bind(4, item.key.subject_id).Bind(5, item.generation).Bind(6, ToMicros(item.lease_until));
  RETURN_IF_ERROR(s.Run());
  Connection& c = TxConn(tx);
  if (c.Changes() > 0) return Ok();
  // Re-marked while we worked on it: the newer change gets its own attempts, at once.
  return ReleaseRemarked(c, item);
}

Result<std::vector<WorkItem>> SqlWorkQueue::ListDead(std::string_view app,
                                                     const std::optional<WorkKey>& after,
                                                     size_t limit) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s,
                   reader->Prepare("SELECT " + std::string(kItemColumns) +
                                   " FROM work_items WHERE application_id = ?1 AND state = 'dead' "
                                   "AND (subject_type > ?2 OR (subject_type = ?2 AND subject_id > "
                                   "?3)) ORDER BY subject_type, subject_id LIMIT ?4"));
  s.Bind(1, app).Bind(2, after ? after->subject_type : "").Bind(3, after ? after->subject_id : "");
  s.Bind(4, static_cast<int64_t>(limit));
  std::vector<WorkItem> items;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    items.push_back(RowToItem(s));
  }
  return items;
}

Result<int64_t> SqlWorkQueue::Revive(Transaction& tx, std::string_view app, TimePoint now) {
  Connection& c = TxConn(tx);
  ASSIGN_OR_RETURN(Statement s, c.Prepare("UPDATE work_items SET state = 'queued', attempts = 0, "
                                          "generation = generation + 1, not_before_us = ? WHERE "
                                          "application_id = ? AND state = 'dead'"));
  s.Bind(1, ToMicros(now)).Bind(2, app);
  RETURN_IF_ERROR(s.Run());
  int64_t revived = c.Changes();
  if (revived > 0 && !store_.dialect().notify_work.empty()) {
    RETURN_IF_ERROR(c.Exec(store_.dialect().notify_work));
  }
  return revived;
}

Result<std::vector<QueueCounts>> SqlWorkQueue::Counts(TimePoint now) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s,
                   reader->Prepare("SELECT application_id, "
                                   "sum(CASE WHEN state = 'queued' AND lease_until_us <= ?1 "
                                   "THEN 1 ELSE 0 END), "
                                   "sum(CASE WHEN state = 'queued' AND lease_until_us > ?1 "
                                   "THEN 1 ELSE 0 END), "
                                   "sum(CASE WHEN state = 'dead' THEN 1 ELSE 0 END) FROM "
                                   "work_items GROUP BY application_id"));
  s.Bind(1, ToMicros(now));
  std::vector<QueueCounts> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.String(0), s.Int(1), s.Int(2), s.Int(3)});
  }
  return out;
}

Status SqlWorkQueue::DeleteAll(Transaction& tx, std::string_view app) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("DELETE FROM work_items WHERE application_id = ?"));
  s.Bind(1, app);
  return s.Run();
}

Status SqlProvisioningLogStore::Append(Transaction& tx, const ProvisioningLogEntry& e) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO provisioning_log (at_us, application_id, "
                                      "subject_type, subject_id, action, status, target_id, "
                                      "attempts, duration_us, error, detail, node) VALUES "
                                      "(?,?,?,?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, ToMicros(e.at)).Bind(2, e.application_id).Bind(3, e.subject_type);
  s.Bind(4, e.subject_id).Bind(5, e.action).Bind(6, e.status).Bind(7, e.target_id);
  s.Bind(8, e.attempts).Bind(9, e.duration_us).Bind(10, e.error);
  s.Bind(11, e.detail.empty() ? std::string("{}") : e.detail).Bind(12, e.node);
  return s.Run();
}

Result<std::vector<ProvisioningLogEntry>> SqlProvisioningLogStore::Query(const LogQuery& q) {
  std::string sql =
      "SELECT id, at_us, application_id, subject_type, subject_id, action, status, target_id, "
      "attempts, duration_us, error, detail, node FROM provisioning_log WHERE 1=1";
  std::vector<std::string> binds;
  if (!q.application_id.empty()) {
    sql += " AND application_id = ?";
    binds.push_back(q.application_id);
  }
  if (!q.subject_id.empty()) {
    sql += " AND subject_id = ?";
    binds.push_back(q.subject_id);
  }
  if (!q.status.empty()) {
    sql += " AND status = ?";
    binds.push_back(q.status);
  }
  if (!q.action.empty()) {
    sql += " AND action = ?";
    binds.push_back(q.action);
  }
  // Numbers bound too, so each combination of filters is one statement, whatever the page.
  if (q.before_id > 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare(sql));
  int n = 0;
  for (const auto& b : binds) s.Bind(++n, b);
  if (q.before_id > 0) s.Bind(++n, q.before_id);
  s.Bind(++n, static_cast<int64_t>(std::min<size_t>(q.limit, 1000)));
  std::vector<ProvisioningLogEntry> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.Int(0), FromMicros(s.Int(1)), s.String(2), s.String(3), s.String(4),
                   s.String(5), s.String(6), s.String(7), s.Int(8), s.Int(9), s.String(10),
                   s.String(11), s.String(12)});
  }
  return out;
}

}  // namespace provisio::store::sql
