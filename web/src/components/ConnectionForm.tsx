// Create Connection, in place: the auth fields the template's kinds need, secrets as
// password inputs or file uploads, never shown back once saved.
import { useState, type FormEvent } from 'react';
import type { ReactNode } from 'react';
import { api, type AuthField, type Connection, type SettingField, type Template } from '../api';
import { describeError, errorField } from '../errors';
import { typedSettings, validateConnection, type ConnectionDraft, type FieldErrors } from '../validation';
import { ErrorMessage, Field } from './ui';

export const FIELD_LABELS: Record<string, string> = {
  token: 'Bearer token',
  username: 'Username',
  password: 'Password',
  header: 'Header name',
  value: 'API key',
  token_url: 'Token URL',
  client_id: 'Client ID',
  client_secret: 'Client secret',
  scope: 'Scope',
  login_url: 'Login URL',
  private_key: 'Private key (PEM file)',
  service_account_json: 'Service account JSON (key file)',
  admin_email: 'Admin email to impersonate',
  customer_id: 'Customer ID',
  base_dn: 'Base DN',
  user_filter: 'User filter',
  group_filter: 'Group filter',
  deprovision: 'When unassigned',
  default_profile: 'Default profile',
  api_version: 'API version',
  time_zone: 'Time zone of new users',
  locale: 'Locale of new users',
  language: 'Language of new users',
  email_encoding: 'Email encoding of new users',
  collection_size: 'Users per collection call',
  page_size: 'Page size',
  group_page_size: 'Group page size',
  limit_reserve_percent: 'Daily API reserve (%)',
  limit_pause_s: 'Pause at the reserve (s)',
  timeout_ms: 'Request timeout (ms)',
  member_role: 'Group member role',
  bulk: 'Use /Bulk',
  bulk_max_operations: 'Operations per /Bulk request',
  start_tls: 'StartTLS',
};

const FILE_FIELDS = new Set(['private_key', 'service_account_json']);

// Whether an auth field takes a file's content (the catalog says so; older servers did not).
export function isFileField(f: AuthField): boolean {
  return !!f.file || FILE_FIELDS.has(f.name);
}

export function fileAccept(f: AuthField): string {
  return f.file === 'json' || f.name === 'service_account_json' ? 'application/json,.json' : '.pem,.key,.txt';
}

// One connection setting, as its type says: a list for booleans and choices (empty: the
// default), a number field for integers, text otherwise.
export function SettingInput(props: {
  field: SettingField; value: string; error?: string; disabled?: boolean; onChange: (v: string) => void;
}): ReactNode {
  const s = props.field;
  const label = fieldLabel(s.name) + (s.required ? '' : ' (optional)');
  const hint = s.description + (s.default ? ` Default: ${s.default}.` : '');
  const options = s.type === 'boolean' ? ['true', 'false'] : s.type === 'choice' ? s.choices ?? [] : null;
  return (
    <Field label={label} error={props.error} hint={hint}>
      {(id, d) => options ? (
        <select id={id} aria-describedby={d} value={props.value} disabled={props.disabled}
          onChange={(e) => props.onChange(e.target.value)}>
          <option value="">{s.default ? `Default (${s.default})` : 'Default'}</option>
          {options.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      ) : (
        <input id={id} aria-describedby={d} value={props.value} disabled={props.disabled}
          type={s.type === 'integer' ? 'number' : 'text'} min={s.min} max={s.max} step={s.type === 'integer' ? 1 : undefined}
          placeholder={s.default ?? ''} onChange={(e) => props.onChange(e.target.value)} />
      )}
    </Field>
  );
}

export function fieldLabel(name: string, kind?: string): string {
  if (kind === 'basic' && name === 'username') return 'Username (bind DN for LDAP)';
  return FIELD_LABELS[name] ?? name.replace(/_/g, ' ');
}

// "token: set" for each secret the API reports as {"set":true}.
export function secretSummary(c: Connection): string {
  const parts = [c.auth.kind];
  for (const [k, v] of Object.entries(c.auth)) {
    if (k === 'kind') continue;
    if (v && typeof v === 'object' && 'set' in (v as object)) {
      parts.push(`${fieldLabel(k)}: ${(v as { set: boolean }).set ? 'set' : 'not set'}`);
    } else if (typeof v === 'string' && v) {
      parts.push(`${fieldLabel(k)}: ${v}`);
    }
  }
  return parts.join(' · ');
}

export function ConnectionForm(props: {
  template: Template;
  defaultName: string;
  onCreated: (c: Connection) => void;
  onCancel?: () => void;
}) {
  const t = props.template;
  const kinds = t.connection.auth_kinds;
  const [draft, setDraft] = useState<ConnectionDraft>({
    name: props.defaultName,
    base_url: '',
    kind: kinds[0]?.kind ?? '',
    auth: {},
    settings: {},
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [files, setFiles] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const kind = kinds.find((k) => k.kind === draft.kind);

  const setAuth = (name: string, value: string) =>
    setDraft((d) => ({ ...d, auth: { ...d.auth, [name]: value } }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    const v = validateConnection(draft, kinds, t.connection.settings, t.connection.url_schemes,
      t.connection.http_loopback_only);
    setErrors(v);
    if (Object.keys(v).length) return;
    setBusy(true);
    setError(null);
    const auth: Record<string, string> = { kind: draft.kind };
    for (const f of kind?.fields ?? []) {
      if (draft.auth[f.name]) auth[f.name] = draft.auth[f.name];
    }
    const body: Record<string, unknown> = {
      name: draft.name,
      type: t.connection.type,
      base_url: draft.base_url,
      auth,
    };
    if (t.connection.settings.length) body.settings = typedSettings(t.connection.settings, draft.settings);
    try {
      const c = await api<Connection>('POST', '/connections', body);
      props.onCreated(c);
    } catch (err) {
      const f = errorField(err);
      if (f) setErrors({ [f]: describeError(err) });
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="subform" onSubmit={submit} aria-label="Create Connection" noValidate>
      <h3>Create Connection</h3>
      <ErrorMessage error={error} />
      <Field label="Connection name" error={errors.name}>
        {(id, d) => <input id={id} aria-describedby={d} value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })} />}
      </Field>
      <Field label="Base URL" error={errors.base_url} hint={`For example ${t.connection.base_url_example}`}>
        {(id, d) => <input id={id} aria-describedby={d} type="url" value={draft.base_url}
          placeholder={t.connection.base_url_example}
          onChange={(e) => setDraft({ ...draft, base_url: e.target.value })} />}
      </Field>
      <Field label="Authentication" error={errors.kind}>
        {(id, d) => (
          <select id={id} aria-describedby={d} value={draft.kind}
            onChange={(e) => setDraft({ ...draft, kind: e.target.value, auth: {} })}>
            {kinds.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
          </select>
        )}
      </Field>
      {kind?.fields.map((f) => {
        const label = fieldLabel(f.name, kind.kind) + (f.required ? '' : ' (optional)');
        const err = errors[`auth.${f.name}`] ?? errors[`auth.${f.name}`.replace('auth.', '')];
        if (isFileField(f)) {
          return (
            <Field key={f.name} label={label} error={err}
              hint={files[f.name] ? `Loaded ${files[f.name]} — kept secret, never shown again.` : `${f.description ? `${f.description}. ` : ''}Choose the file; its content is sent once and stored encrypted.`}>
              {(id, d) => <input id={id} aria-describedby={d} type="file"
                accept={fileAccept(f)}
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  setAuth(f.name, await file.text());
                  setFiles((x) => ({ ...x, [f.name]: `${file.name} (${file.size} bytes)` }));
                }} />}
            </Field>
          );
        }
        return (
          <Field key={f.name} label={label} error={err}
            hint={[f.description, f.secret ? 'Secret: stored encrypted and shown only as "set" afterwards.' : '']
              .filter(Boolean).join(' — ') || undefined}>
            {(id, d) => <input id={id} aria-describedby={d} type={f.secret ? 'password' : 'text'}
              autoComplete={f.secret ? 'new-password' : 'off'} value={draft.auth[f.name] ?? ''}
              onChange={(e) => setAuth(f.name, e.target.value)} />}
          </Field>
        );
      })}
      {t.connection.settings.map((s) => (
        <SettingInput key={s.name} field={s} value={draft.settings[s.name] ?? ''} error={errors[`settings.${s.name}`]}
          onChange={(v) => setDraft({ ...draft, settings: { ...draft.settings, [s.name]: v } })} />
      ))}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Creating…' : 'Create connection'}</button>
        {props.onCancel && <button type="button" onClick={props.onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
