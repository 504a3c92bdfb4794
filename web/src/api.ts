// The one way the console talks to the server: same-origin fetch to /api/v1 with the session
// cookie, the CSRF token on every state-changing request, and errors as ApiError values
// carrying the API's precise code.

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    this.details = body.details ?? {};
  }
}

const CSRF_KEY = 'provisio.csrf';

export function setCsrf(token: string | null): void {
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = sessionStorage.getItem(CSRF_KEY);
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { code: 'network_error', message: 'The server cannot be reached.' });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: ErrorBody } | undefined)?.error ?? {
      code: `http_${res.status}`,
      message: `The server answered ${res.status}.`,
    };
    const e = new ApiError(res.status, err);
    if (res.status === 401 && path !== '/session') onUnauthenticated();
    throw e;
  }
  return json as T;
}

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// Types of the resources the console shows (only the fields it uses).
export type Role = 'super-admin' | 'admin' | 'operator';
export interface Admin {
  id: string;
  email: string;
  role: Role;
  disabled?: boolean;
}
export interface AuthField {
  name: string;
  secret: boolean;
  required: boolean;
  max_length: number;
  description?: string;
  file?: string; // "pem" | "json": the field takes a file's content
}
export interface AuthKind {
  kind: string;
  label: string;
  fields: AuthField[];
}
export interface SettingField {
  name: string;
  required: boolean;
  description: string;
  type?: 'string' | 'integer' | 'boolean' | 'choice';
  min?: number;
  max?: number;
  choices?: string[];
  default?: string;
}
export interface Template {
  id: string;
  name: string;
  description: string;
  supports: { provisioning: boolean; import_sync: boolean; groups: boolean; entitlements: boolean };
  connection: {
    type: string;
    url_schemes: string[];
    http_loopback_only?: boolean; // http:// only to 127.0.0.1, ::1 or localhost
    base_url_example: string;
    auth_kinds: AuthKind[];
    settings: SettingField[];
  };
  // Source → portal, for templates that also provision (absent for LDAP, whose mappings are
  // its import mappings); [] for SCIM, whose resources pass straight through.
  default_import_mappings?: Mapping[];
}
export interface Connection {
  id: string;
  name: string;
  type: string;
  base_url: string;
  auth: Record<string, unknown> & { kind: string };
  settings?: Record<string, string | number | boolean>;
}
export interface AppSettings {
  deprovisioning_action: 'disable' | 'delete' | 'none';
  matching_attribute: string;
  scoping_filter: string;
  sync_schedule: string;
  deletion_threshold: number;
  rate_limit_per_second?: number; // 0 or absent: no limit
  rate_limit_burst?: number;
  concurrency?: number; // 0 or absent: no cap
  push_groups?: boolean; // absent: on where the connector has groups
  group_member_role?: '' | 'MEMBER' | 'MANAGER' | 'OWNER';
  group_email_domain?: string;
  import_mappings?: Mapping[]; // absent: the template's default_import_mappings
}
export interface Application {
  id: string;
  template: string;
  name: string;
  description: string;
  capabilities: string[];
  connection_id: string | null;
  settings: AppSettings;
  state: 'draft' | 'active' | 'paused' | 'quarantined';
}
export interface Mapping {
  target: string;
  source: string;
  strength: 'strong' | 'normal' | 'weak';
}
// POST /applications/{id}/mappings/preview: one row per mapping, with its value or its error.
export interface PreviewRow {
  target: string;
  expression: string;
  apply: 'always' | 'on_create_only';
  applied: boolean;
  value: unknown;
  error?: string;
}
export interface MappingPreview {
  application_id: string;
  user: { id: string; userName: string; displayName: string };
  mappings: 'saved' | 'unsaved';
  assigned: boolean;
  in_scope: boolean;
  errors: number;
  on_create: Record<string, unknown> | null;
  on_update: Record<string, unknown> | null;
  // The user's manager as the engine sends her: her account in this application, or none yet.
  manager?: { user_id: string; attribute: string; value: string | null } | null;
  attributes: PreviewRow[];
}
// GET /applications/{id}/held: what imports held for an admin.
export interface HeldUser { id: string; userName?: string; displayName?: string; missing?: boolean }
export interface HeldItem {
  source_id: string;
  source_name: string;
  kind: 'record' | 'change';
  reason: 'unmatched' | 'ambiguous' | 'already_linked' | 'attribute_change';
  message: string;
  record: Record<string, unknown> | null;
  source?: Record<string, unknown> | null;
  candidates?: HeldUser[];
  rule?: string;
  linked_source_id?: string;
  user?: HeldUser;
  changes?: { path: string; before: unknown; after: unknown }[];
  run_id: string;
  updated: string;
}
export interface Assignment {
  id: string;
  user_id?: string;
  group_id?: string;
  entitlements: string[];
  created: string;
}
export interface DirUser {
  id: string;
  userName: string;
  displayName: string;
  email: string;
  active: boolean;
}
export interface DirGroup {
  id: string;
  displayName: string;
}
export interface Page<T> {
  items: T[];
  total_results: number;
  start_index: number;
  count: number;
}
export interface Account {
  user_id: string;
  target_id: string;
  state: string;
  last_error: string;
  updated: string;
}
export interface LogEntry {
  id: number;
  at: string;
  application_id: string;
  subject_type?: 'user' | 'group' | 'application'; // application: a quarantine lifted
  user_id?: string; // user entries
  group_id?: string; // group push entries
  action: string;
  status: string;
  target_id: string;
  attempts: number;
  duration_ms: number;
  error: string;
  detail: unknown;
}
export interface AppStatus {
  id: string;
  name: string;
  state: string;
  queue_depth: number;
  leased: number;
  in_flight: number;
  dead_letters: number;
  succeeded: number;
  failed: number;
  reason?: string;
}
export interface DeadLetter {
  user_id?: string;
  group_id?: string;
  userName?: string;
  displayName?: string;
  attempts: number;
  last_error: string;
  enqueued: string;
}
export interface EngineStatus {
  running: boolean;
  queue_depth: number;
  in_flight: number;
  dead_letters: number;
  applications: AppStatus[];
}
export interface Step {
  step: string;
  status: string;
  detail: unknown;
}
export interface UserApplication {
  id: string;
  name: string;
  state: Application['state'];
  assigned_via: { type: 'user' | 'group'; id: string }[];
  entitlements: string[];
  account: { target_id: string; state: string; last_error: string; updated: string } | null;
}
export interface GroupMember {
  id: string;
  type: 'User' | 'Group';
  userName?: string;
  displayName?: string;
  email?: string;
  active?: boolean;
}
export interface Token {
  id: string;
  name: string;
  role: string;
  created_by: string;
  created: string;
  last_used: string | null;
  revoked: string | null;
  token?: string; // only in the answer to the create request
}
export interface AuditEntry {
  id: number;
  at: string;
  actor: { kind: string; id: string; name: string };
  source_address: string;
  action: string;
  object: { type: string; id: string };
  outcome: string;
  before: unknown;
  after: unknown;
}
