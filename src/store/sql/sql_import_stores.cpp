#include "store/sql/sql_import_stores.h"

#include "store/sql/sql_scan.h"
#include "store/sql/sql_store.h"

namespace provisio::store::sql {
namespace {

constexpr std::string_view kRunColumns =
    "id, application_id, state, mode, dry_run, options, phase, cursor, high_water, since, "
    "counts, errors, message, created_us, started_us, finished_us";

std::optional<TimePoint> OptTime(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return FromMicros(s.Int(col));
}

ImportRunRow RowToRun(const Statement& s) {
  ImportRunRow r;
  r.id = s.String(0);
  r.application_id = s.String(1);
  r.state = s.String(2);
  r.mode = s.String(3);
  r.dry_run = s.Int(4) != 0;
  r.options = s.String(5);
  r.phase = s.String(6);
  r.cursor = s.String(7);
  r.high_water = s.String(8);
  r.since = s.String(9);
  r.counts = s.String(10);
  r.errors = s.String(11);
  r.message = s.String(12);
  r.created = FromMicros(s.Int(13));
  r.started = OptTime(s, 14);
  r.finished = OptTime(s, 15);
  return r;
}

void BindRun(Statement& s, const ImportRunRow& r) {
  s.Bind(1, r.id).Bind(2, r.application_id).Bind(3, r.state).Bind(4, r.mode).Bind(5, r.dry_run);
  s.Bind(6, r.options).Bind(7, r.phase).Bind(8, r.cursor).Bind(9, r.high_water).Bind(10, r.since);
  s.Bind(11, r.counts).Bind(12, r.errors).Bind(13, r.message).Bind(14, ToMicros(r.created));
  if (r.started) {
    s.Bind(15, ToMicros(*r.started));
  } else {
    s.BindNull(15);
  }
  if (r.finished) {
    s.Bind(16, ToMicros(*r.finished));
  } else {
    s.BindNull(16);
  }
}

Result<std::vector<ImportRunRow>> Runs(Statement& s) {
  std::vector<ImportRunRow> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back(RowToRun(s));
  }
}

constexpr std::string_view kLinkColumns =
    "application_id, kind, source_id, source_name, subject_id, state, hash, seen_run, detail, "
    "updated_us";

SourceLinkRow RowToLink(const Statement& s) {
  return {s.String(0), s.String(1), s.String(2), s.String(3), s.String(4),
          s.String(5), s.String(6), s.String(7), s.String(8), FromMicros(s.Int(9))};
}

}  // namespace

Status SqlImportRunStore::Insert(Transaction& tx, const ImportRunRow& run) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("INSERT INTO import_runs (" + std::string(kRunColumns) +
                                      ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  BindRun(s, run);
  return s.Run();
}

Status SqlImportRunStore::Update(Transaction& tx, const ImportRunRow& run) {
  ASSIGN_OR_RETURN(
      Statement s,
      TxConn(tx).Prepare("UPDATE import_runs SET application_id = ?2, state = ?3, mode = ?4, "
                         "dry_run = ?5, options = ?6, phase = ?7, cursor = ?8, high_water = ?9, "
                         "since = ?10, counts = ?11, errors = ?12, message = ?13, created_us = "
                         "?14, started_us = ?15, finished_us = ?16 WHERE id = ?1"));
  BindRun(s, run);
  RETURN_IF_ERROR(s.Run());
  if (TxConn(tx).Changes() == 0) return Error::NotFound("no import run " + run.id);
  return Ok();
}

Result<std::optional<ImportRunRow>> SqlImportRunStore::Get(Transaction* tx, std::string_view id) {
  return store_.WithConn(tx, [&](Connection& c) -> Result<std::optional<ImportRunRow>> {
    ASSIGN_OR_RETURN(Statement s, c.Prepare("SELECT " + std::string(kRunColumns) +
                                            " FROM import_runs WHERE id = ?"));
    s.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<ImportRunRow>();
    return std::optional<ImportRunRow>(RowToRun(s));
  });
}

Result<std::vector<ImportRunRow>> SqlImportRunStore::ListByApplication(std::string_view app,
                                                                       size_t limit) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s,
                   reader->Prepare("SELECT " + std::string(kRunColumns) +
                                   " FROM import_runs WHERE application_id = ? ORDER BY "
                                   "created_us DESC, id DESC LIMIT ?"));
  s.Bind(1, app).Bind(2, static_cast<int64_t>(limit));
  return Runs(s);
}

Result<std::vector<ImportRunRow>> SqlImportRunStore::ListByState(std::string_view state) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare("SELECT " + std::string(kRunColumns) +
                                                " FROM import_runs WHERE state = ? ORDER BY "
                                                "created_us, id"));
  s.Bind(1, state);
  return Runs(s);
}

Result<std::optional<ImportRunRow>> SqlImportRunStore::LastSucceeded(std::string_view app) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s,
                   reader->Prepare("SELECT " + std::string(kRunColumns) +
                                   " FROM import_runs WHERE application_id = ? AND state = "
                                   "'succeeded' AND dry_run = 0 ORDER BY created_us DESC, id "
                                   "DESC LIMIT 1"));
  s.Bind(1, app);
  ASSIGN_OR_RETURN(auto runs, Runs(s));
  if (runs.empty()) return std::optional<ImportRunRow>();
  return std::optional<ImportRunRow>(std::move(runs.front()));
}

Status SqlImportRunStore::DeleteAll(Transaction& tx, std::string_view app) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("DELETE FROM import_runs WHERE application_id = ?"));
  s.Bind(1, app);
  return s.Run();
}

Status SqlSourceLinkStore::Upsert(Transaction& tx, const SourceLinkRow& l) {
  ASSIGN_OR_RETURN(
      Statement s,
      TxConn(tx).Prepare("INSERT INTO source_links (" + std::string(kLinkColumns) +
                         ") VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (application_id, kind, "
                         "source_id) DO UPDATE SET source_name = excluded.source_name, "
                         "subject_id = excluded.subject_id, state = excluded.state, hash = "
                         "excluded.hash, seen_run = excluded.seen_run, detail = excluded.detail, "
                         "updated_us = excluded.updated_us"));
  s.Bind(1, l.application_id).Bind(2, l.kind).Bind(3, l.source_id).Bind(4, l.source_name);
  s.Bind(5, l.subject_id).Bind(6, l.state).Bind(7, l.hash).Bind(8, l.seen_run);
  s.Bind(9, l.detail.empty() ? std::string("{}") : l.detail).Bind(10, ToMicros(l.updated));
  return s.Run();
}

Status SqlSourceLinkStore::Delete(Transaction& tx, std::string_view app, std::string_view kind,
                                  std::string_view source_id) {
  ASSIGN_OR_RETURN(Statement s, TxConn(tx).Prepare("DELETE FROM source_links WHERE "
                                                   "application_id = ? AND kind = ? AND "
                                                   "source_id = ?"));
  s.Bind(1, app).Bind(2, kind).Bind(3, source_id);
  return s.Run();
}

Result<std::optional<SourceLinkRow>> SqlSourceLinkStore::One(Transaction* tx,
                                                             std::string_view where,
                                                             std::string_view app,
                                                             std::string_view kind,
                                                             std::string_view value) {
  return store_.WithConn(tx, [&](Connection& c) -> Result<std::optional<SourceLinkRow>> {
    ASSIGN_OR_RETURN(Statement s, c.Prepare("SELECT " + std::string(kLinkColumns) +
                                            " FROM source_links WHERE application_id = ? AND "
                                            "kind = ? AND " +
                                            std::string(where) + " LIMIT 1"));
    s.Bind(1, app).Bind(2, kind).Bind(3, value);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<SourceLinkRow>();
    return std::optional<SourceLinkRow>(RowToLink(s));
  });
}

Result<std::optional<SourceLinkRow>> SqlSourceLinkStore::Get(Transaction* tx, std::string_view app,
                                                             std::string_view kind,
                                                             std::string_view source_id) {
  return One(tx, "source_id = ?", app, kind, source_id);
}

Result<std::optional<SourceLinkRow>> SqlSourceLinkStore::FindByName(Transaction* tx,
                                                                    std::string_view app,
                                                                    std::string_view kind,
                                                                    std::string_view name) {
  if (name.empty()) return std::optional<SourceLinkRow>();
  return One(tx, "source_name = ? COLLATE NOCASE", app, kind, name);
}

Result<std::optional<SourceLinkRow>> SqlSourceLinkStore::FindBySubject(
    Transaction* tx, std::string_view app, std::string_view kind, std::string_view subject_id) {
  if (subject_id.empty()) return std::optional<SourceLinkRow>();
  return One(tx, "subject_id = ? AND state = 'active'", app, kind, subject_id);
}

Status SqlSourceLinkStore::Scan(std::string_view app, std::string_view kind, std::string_view after,
                                const Visitor<SourceLinkRow>& visit) {
  return PageByKey<SourceLinkRow>(
      store_, nullptr,
      "SELECT " + std::string(kLinkColumns) +
          " FROM source_links WHERE application_id = ? AND kind = ? AND source_id > ? "
          "ORDER BY source_id LIMIT ?",
      {app, kind}, after, 512, &RowToLink, [](const SourceLinkRow& l) { return l.source_id; },
      visit);
}

Status SqlSourceLinkStore::DeleteAll(Transaction& tx, std::string_view app) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("DELETE FROM source_links WHERE application_id = ?"));
  s.Bind(1, app);
  return s.Run();
}

Status SqlEntitlementStore::Upsert(Transaction& tx, const EntitlementRow& e) {
  ASSIGN_OR_RETURN(
      Statement s,
      TxConn(tx).Prepare("INSERT INTO entitlements (application_id, entitlement_id, kind, "
                         "display_name, attributes, seen_run, updated_us) VALUES (?,?,?,?,?,?,?) "
                         "ON CONFLICT (application_id, kind, entitlement_id) DO UPDATE SET "
                         "display_name = excluded.display_name, attributes = "
                         "excluded.attributes, seen_run = excluded.seen_run, updated_us = "
                         "excluded.updated_us"));
  s.Bind(1, e.application_id).Bind(2, e.entitlement_id).Bind(3, e.kind).Bind(4, e.display_name);
  s.Bind(5, e.attributes.empty() ? std::string("{}") : e.attributes).Bind(6, e.seen_run);
  s.Bind(7, ToMicros(e.updated));
  return s.Run();
}

Status SqlEntitlementStore::DeleteUnseen(Transaction& tx, std::string_view app,
                                         std::string_view kind, std::string_view run_id) {
  ASSIGN_OR_RETURN(Statement s, TxConn(tx).Prepare("DELETE FROM entitlements WHERE "
                                                   "application_id = ? AND kind = ? AND "
                                                   "seen_run <> ?"));
  s.Bind(1, app).Bind(2, kind).Bind(3, run_id);
  return s.Run();
}

Result<std::vector<EntitlementRow>> SqlEntitlementStore::List(std::string_view app) {
  auto reader = store_.Read();
  ASSIGN_OR_RETURN(Statement s, reader->Prepare("SELECT application_id, entitlement_id, kind, "
                                                "display_name, attributes, seen_run, updated_us "
                                                "FROM entitlements WHERE application_id = ? "
                                                "ORDER BY kind, entitlement_id"));
  s.Bind(1, app);
  std::vector<EntitlementRow> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    out.push_back({s.String(0), s.String(1), s.String(2), s.String(3), s.String(4), s.String(5),
                   FromMicros(s.Int(6))});
  }
}

Status SqlEntitlementStore::DeleteAll(Transaction& tx, std::string_view app) {
  ASSIGN_OR_RETURN(Statement s,
                   TxConn(tx).Prepare("DELETE FROM entitlements WHERE application_id = ?"));
  s.Bind(1, app);
  return s.Run();
}

}  // namespace provisio::store::sql
