#include "store/sqlite/migrations.h"

namespace provisio::store::sqlite {
namespace {

constexpr Migration kMigrations[] = {
    {1, "settings and admins", R"sql(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE TABLE admins (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('super-admin', 'admin', 'operator')),
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_us    INTEGER NOT NULL,
  updated_us    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX admins_email ON admins (email COLLATE NOCASE);
)sql"},
    {2, "directory: users, groups, memberships, change feed, tokens", R"sql(
CREATE TABLE users (
  id           TEXT PRIMARY KEY,
  user_name    TEXT NOT NULL,
  external_id  TEXT,
  display_name TEXT NOT NULL DEFAULT '',
  active       INTEGER NOT NULL DEFAULT 1,
  version      INTEGER NOT NULL,
  created_us   INTEGER NOT NULL,
  updated_us   INTEGER NOT NULL,
  resource     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX users_user_name ON users (user_name COLLATE NOCASE);
CREATE INDEX users_external_id ON users (external_id);
CREATE INDEX users_display_name ON users (display_name COLLATE NOCASE);
CREATE INDEX users_updated ON users (updated_us);
CREATE TABLE user_emails (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  value   TEXT NOT NULL
) STRICT;
CREATE INDEX user_emails_value ON user_emails (value COLLATE NOCASE);
CREATE INDEX user_emails_user ON user_emails (user_id);
CREATE TABLE groups (
  id           TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  external_id  TEXT,
  version      INTEGER NOT NULL,
  created_us   INTEGER NOT NULL,
  updated_us   INTEGER NOT NULL,
  resource     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX groups_display_name ON groups (display_name COLLATE NOCASE);
CREATE INDEX groups_external_id ON groups (external_id);
CREATE INDEX groups_updated ON groups (updated_us);
CREATE TABLE group_members (
  group_id    TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  member_id   TEXT NOT NULL,
  member_type TEXT NOT NULL CHECK (member_type IN ('User', 'Group')),
  PRIMARY KEY (group_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_members_member ON group_members (member_id);
CREATE TABLE changes (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  resource_type TEXT NOT NULL,
  resource_id   TEXT NOT NULL,
  op            TEXT NOT NULL,
  version       INTEGER NOT NULL,
  at_us         INTEGER NOT NULL,
  detail        TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE TABLE change_cursors (
  consumer TEXT PRIMARY KEY,
  seq      INTEGER NOT NULL
) STRICT;
CREATE TABLE tokens (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('api', 'scim')),
  name         TEXT NOT NULL,
  role         TEXT NOT NULL DEFAULT '',
  hash         TEXT NOT NULL UNIQUE,
  created_by   TEXT NOT NULL DEFAULT '',
  created_us   INTEGER NOT NULL,
  last_used_us INTEGER,
  revoked_us   INTEGER
) STRICT;
)sql"},
    {3, "admin api: sessions, connections, applications, assignments, mappings, audit log",
     R"sql(
CREATE TABLE sessions (
  id_hash        TEXT PRIMARY KEY,
  admin_id       TEXT NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
  csrf_hash      TEXT NOT NULL,
  source_address TEXT NOT NULL DEFAULT '',
  created_us     INTEGER NOT NULL,
  last_seen_us   INTEGER NOT NULL,
  expires_us     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_admin ON sessions (admin_id);
CREATE TABLE connections (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  type        TEXT NOT NULL,
  base_url    TEXT NOT NULL,
  auth_kind   TEXT NOT NULL,
  auth_fields TEXT NOT NULL DEFAULT '{}',
  secrets     TEXT NOT NULL DEFAULT '',
  settings    TEXT NOT NULL DEFAULT '{}',
  created_us  INTEGER NOT NULL,
  updated_us  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX connections_name ON connections (name COLLATE NOCASE);
CREATE TABLE applications (
  id            TEXT PRIMARY KEY,
  template      TEXT NOT NULL,
  name          TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  capabilities  TEXT NOT NULL DEFAULT '[]',
  connection_id TEXT REFERENCES connections (id),
  settings      TEXT NOT NULL DEFAULT '{}',
  mappings      TEXT NOT NULL DEFAULT '[]',
  state         TEXT NOT NULL CHECK (state IN ('draft', 'active', 'paused', 'quarantined')),
  created_us    INTEGER NOT NULL,
  updated_us    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX applications_name ON applications (name COLLATE NOCASE);
CREATE INDEX applications_connection ON applications (connection_id);
CREATE TABLE assignments (
  id             TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'group')),
  principal_id   TEXT NOT NULL,
  entitlements   TEXT NOT NULL DEFAULT '[]',
  created_us     INTEGER NOT NULL,
  updated_us     INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX assignments_principal
  ON assignments (application_id, principal_type, principal_id);
CREATE INDEX assignments_principal_id ON assignments (principal_id);
CREATE TABLE audit_log (
  id             INTEGER PRIMARY KEY,
  at_us          INTEGER NOT NULL,
  actor_kind     TEXT NOT NULL,
  actor_id       TEXT NOT NULL,
  actor_name     TEXT NOT NULL,
  source_address TEXT NOT NULL,
  action         TEXT NOT NULL,
  object_type    TEXT NOT NULL,
  object_id      TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  before_json    TEXT,
  after_json     TEXT,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_object ON audit_log (object_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql"},
    {4, "provisioning: account links, work queue, provisioning log", R"sql(
CREATE TABLE account_links (
  application_id TEXT NOT NULL,
  subject_type   TEXT NOT NULL CHECK (subject_type IN ('user', 'group')),
  subject_id     TEXT NOT NULL,
  target_id      TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL,
  desired_hash   TEXT NOT NULL DEFAULT '',
  desired        TEXT NOT NULL DEFAULT '{}',
  last_error     TEXT NOT NULL DEFAULT '',
  updated_us     INTEGER NOT NULL,
  PRIMARY KEY (application_id, subject_type, subject_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE work_items (
  application_id TEXT NOT NULL,
  subject_type   TEXT NOT NULL,
  subject_id     TEXT NOT NULL,
  mode           TEXT NOT NULL DEFAULT 'incremental',
  attempts       INTEGER NOT NULL DEFAULT 0,
  generation     INTEGER NOT NULL DEFAULT 1,
  not_before_us  INTEGER NOT NULL,
  enqueued_us    INTEGER NOT NULL,
  lease_owner    TEXT NOT NULL DEFAULT '',
  lease_until_us INTEGER NOT NULL DEFAULT 0,
  state          TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'dead')),
  last_error     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (application_id, subject_type, subject_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX work_items_ready ON work_items (state, not_before_us);
CREATE TABLE provisioning_log (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  at_us          INTEGER NOT NULL,
  application_id TEXT NOT NULL,
  subject_type   TEXT NOT NULL,
  subject_id     TEXT NOT NULL,
  action         TEXT NOT NULL,
  status         TEXT NOT NULL,
  target_id      TEXT NOT NULL DEFAULT '',
  attempts       INTEGER NOT NULL DEFAULT 1,
  duration_us    INTEGER NOT NULL DEFAULT 0,
  error          TEXT NOT NULL DEFAULT '',
  detail         TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX provisioning_log_app ON provisioning_log (application_id, id);
CREATE INDEX provisioning_log_subject ON provisioning_log (subject_id, id);
)sql"},
    {5, "import runs and source links", R"sql(
CREATE TABLE import_runs (
  id             TEXT PRIMARY KEY,
  application_id TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  mode           TEXT NOT NULL DEFAULT 'full',
  dry_run        INTEGER NOT NULL DEFAULT 0,
  options        TEXT NOT NULL DEFAULT '{}',
  phase          TEXT NOT NULL DEFAULT 'users',
  cursor         TEXT NOT NULL DEFAULT '',
  high_water     TEXT NOT NULL DEFAULT '',
  since          TEXT NOT NULL DEFAULT '',
  counts         TEXT NOT NULL DEFAULT '{}',
  errors         TEXT NOT NULL DEFAULT '[]',
  message        TEXT NOT NULL DEFAULT '',
  created_us     INTEGER NOT NULL,
  started_us     INTEGER,
  finished_us    INTEGER
) STRICT;
CREATE INDEX import_runs_app ON import_runs (application_id, created_us);
CREATE INDEX import_runs_state ON import_runs (state, created_us);
CREATE TABLE source_links (
  application_id TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('user', 'group')),
  source_id      TEXT NOT NULL,
  source_name    TEXT NOT NULL DEFAULT '',
  subject_id     TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL,
  hash           TEXT NOT NULL DEFAULT '',
  seen_run       TEXT NOT NULL DEFAULT '',
  detail         TEXT NOT NULL DEFAULT '{}',
  updated_us     INTEGER NOT NULL,
  PRIMARY KEY (application_id, kind, source_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX source_links_name ON source_links (application_id, kind, source_name COLLATE NOCASE);
CREATE INDEX source_links_subject ON source_links (application_id, kind, subject_id);
CREATE TABLE entitlements (
  application_id TEXT NOT NULL,
  entitlement_id TEXT NOT NULL,
  kind           TEXT NOT NULL,
  display_name   TEXT NOT NULL DEFAULT '',
  attributes     TEXT NOT NULL DEFAULT '{}',
  seen_run       TEXT NOT NULL DEFAULT '',
  updated_us     INTEGER NOT NULL,
  PRIMARY KEY (application_id, kind, entitlement_id)
) STRICT, WITHOUT ROWID;
)sql"},
    {6, "the node in the provisioning log", R"sql(
ALTER TABLE provisioning_log ADD COLUMN node TEXT NOT NULL DEFAULT '';
)sql"},
    // Leasing skips the items other workers hold: with lease_until_us in the index it does so
    // without reading each of their rows (leasing cost grew with the items in flight).
    {7, "the work queue's ready index covers the lease", R"sql(
DROP INDEX work_items_ready;
CREATE INDEX work_items_ready ON work_items (state, not_before_us, lease_until_us);
)sql"},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace provisio::store::sqlite
