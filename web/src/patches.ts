// Request bodies built from what an admin changed in a form: SCIM PatchOps for users and
// group members, and a connection PATCH that keeps secrets unless they are replaced.
import type { AuthKind, Connection, SettingField } from './api';
import { settingError, typedSettings, validateUrl, type FieldErrors } from './validation';

export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}
export interface PatchBody {
  schemas: string[];
  Operations: PatchOp[];
}

export function patchBody(ops: PatchOp[]): PatchBody {
  return { schemas: [PATCH_SCHEMA], Operations: ops };
}

// The user fields the console edits.
export interface UserDraft {
  userName: string;
  displayName: string;
  givenName: string;
  familyName: string;
  email: string;
  title: string;
  active: boolean;
}

// A SCIM User as the directory returns it (only what the form reads).
export interface ScimUser {
  id: string;
  userName: string;
  displayName?: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  emails?: { value: string; type?: string; primary?: boolean }[];
  title?: string;
  active?: boolean;
  externalId?: string;
  groups?: { value: string; display?: string; type?: string }[];
  meta?: { created?: string; lastModified?: string };
}

export function primaryEmail(u: ScimUser): string {
  const emails = u.emails ?? [];
  return (emails.find((e) => e.primary) ?? emails[0])?.value ?? '';
}

export function draftOf(u: ScimUser): UserDraft {
  return {
    userName: u.userName,
    displayName: u.displayName ?? '',
    givenName: u.name?.givenName ?? '',
    familyName: u.name?.familyName ?? '',
    email: primaryEmail(u),
    title: u.title ?? '',
    active: u.active !== false,
  };
}

export const emptyUser: UserDraft = {
  userName: '', displayName: '', givenName: '', familyName: '', email: '', title: '', active: true,
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateUser(d: UserDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (!d.userName.trim()) errors.userName = 'Enter a user name.';
  else if (d.userName.length > 256) errors.userName = 'Use at most 256 characters.';
  if (d.email.trim() && !EMAIL.test(d.email.trim())) errors.email = 'Enter an email address such as ada@example.com.';
  return errors;
}

// The body of POST /users: a SCIM User with only the fields given.
export function newUserBody(d: UserDraft): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [USER_SCHEMA], userName: d.userName.trim(), active: d.active };
  if (d.displayName.trim()) body.displayName = d.displayName.trim();
  if (d.givenName.trim() || d.familyName.trim()) {
    const name: Record<string, string> = {};
    if (d.givenName.trim()) name.givenName = d.givenName.trim();
    if (d.familyName.trim()) name.familyName = d.familyName.trim();
    body.name = name;
  }
  if (d.email.trim()) body.emails = [{ value: d.email.trim(), type: 'work', primary: true }];
  if (d.title.trim()) body.title = d.title.trim();
  return body;
}

// One operation per changed field: "replace" with a value, "remove" when it was emptied.
// The email replaces the whole emails list with one primary work address.
export function userPatch(before: UserDraft, after: UserDraft): PatchOp[] {
  const ops: PatchOp[] = [];
  const text = (path: string, a: string, b: string) => {
    const x = a.trim();
    const y = b.trim();
    if (x === y) return;
    ops.push(y ? { op: 'replace', path, value: y } : { op: 'remove', path });
  };
  text('userName', before.userName, after.userName);
  text('displayName', before.displayName, after.displayName);
  text('name.givenName', before.givenName, after.givenName);
  text('name.familyName', before.familyName, after.familyName);
  if (before.email.trim() !== after.email.trim()) {
    ops.push(after.email.trim()
      ? { op: 'replace', path: 'emails', value: [{ value: after.email.trim(), type: 'work', primary: true }] }
      : { op: 'remove', path: 'emails' });
  }
  text('title', before.title, after.title);
  if (before.active !== after.active) ops.push({ op: 'replace', path: 'active', value: after.active });
  return ops;
}

// Group members added and removed by id; the directory touches only those named.
export function memberOps(add: string[], remove: string[]): PatchOp[] {
  const ops: PatchOp[] = [];
  const adding = [...new Set(add)].filter((id) => !remove.includes(id));
  if (adding.length) ops.push({ op: 'add', path: 'members', value: adding.map((value) => ({ value })) });
  for (const id of new Set(remove)) {
    if (add.includes(id)) continue;
    ops.push({ op: 'remove', path: `members[value eq "${id.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]` });
  }
  return ops;
}

// Editing a connection. Secrets are never sent back by the server (it says {"set":true}); an
// empty secret input means "keep it". Changing the authentication kind starts afresh, so
// then every required field, secrets included, must be given.
export interface ConnectionEdit {
  name: string;
  base_url: string;
  kind: string;
  fields: Record<string, string>;  // non-secret auth fields, prefilled
  secrets: Record<string, string>; // replacements; "" keeps the stored secret
  settings: Record<string, string>;
}

export function editOf(c: Connection): ConnectionEdit {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.auth)) {
    if (k !== 'kind' && typeof v === 'string') fields[k] = v;
  }
  return { name: c.name, base_url: c.base_url, kind: c.auth.kind, fields, secrets: {}, settings: settingTexts(c) };
}

// A connection's stored settings (numbers and booleans included) as form texts.
export function settingTexts(c: Connection): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.settings ?? {})) out[k] = String(v);
  return out;
}

export function isSecretSet(c: Connection, field: string): boolean {
  const v = c.auth[field];
  return !!v && typeof v === 'object' && (v as { set?: boolean }).set === true;
}

export function validateConnectionEdit(
  c: Connection, e: ConnectionEdit, kinds: AuthKind[], schemes: string[], settings: SettingField[],
  httpLoopback = false,
): FieldErrors {
  const errors: FieldErrors = {};
  if (!e.name.trim()) errors.name = 'Enter a name for the connection.';
  const u = validateUrl(e.base_url, schemes, httpLoopback);
  if (u) errors.base_url = u;
  const kind = kinds.find((k) => k.kind === e.kind);
  if (!kind) {
    errors.kind = 'Choose how Provisio authenticates.';
    return errors;
  }
  const sameKind = e.kind === c.auth.kind;
  for (const f of kind.fields) {
    const v = (f.secret ? e.secrets[f.name] : e.fields[f.name]) ?? '';
    const kept = f.secret && sameKind && isSecretSet(c, f.name);
    if (f.required && !v.trim() && !kept) errors[`auth.${f.name}`] = 'Required.';
    else if (f.max_length && v.length > f.max_length) errors[`auth.${f.name}`] = `Use at most ${f.max_length} characters.`;
  }
  for (const s of settings) {
    const problem = settingError(s, e.settings[s.name] ?? '');
    if (problem) errors[`settings.${s.name}`] = problem;
  }
  return errors;
}

// Only what changed. Within auth: every non-secret field of the kind (the server keeps omitted
// ones, so sending them is harmless) and only the secrets typed in.
export function connectionPatch(
  c: Connection, e: ConnectionEdit, kinds: AuthKind[], settings: SettingField[] = [],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (e.name.trim() !== c.name) body.name = e.name.trim();
  if (e.base_url.trim() !== c.base_url) body.base_url = e.base_url.trim();
  const kind = kinds.find((k) => k.kind === e.kind);
  const auth: Record<string, string> = {};
  let authChanged = e.kind !== c.auth.kind;
  for (const f of kind?.fields ?? []) {
    if (f.secret) {
      if (e.secrets[f.name]) { auth[f.name] = e.secrets[f.name]; authChanged = true; }
    } else {
      const v = e.fields[f.name] ?? '';
      const old = typeof c.auth[f.name] === 'string' ? (c.auth[f.name] as string) : '';
      if (v !== old) authChanged = true;
      if (v) auth[f.name] = v;
    }
  }
  if (authChanged) body.auth = { kind: e.kind, ...auth };
  const oldSettings = settingTexts(c);
  const keys = new Set([...Object.keys(oldSettings), ...Object.keys(e.settings)]);
  if ([...keys].some((k) => (oldSettings[k] ?? '') !== (e.settings[k] ?? ''))) {
    body.settings = settings.length ? typedSettings(settings, e.settings, true) : e.settings;
  }
  return body;
}
