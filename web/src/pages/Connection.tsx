// One connection: change its name, URL, authentication fields and settings; replace a secret.
// Secrets never come back from the server: each shows as "set", and its input stays empty
// unless an Admin types a replacement. Changing the authentication kind asks for all of them.
import { useState, type FormEvent } from 'react';
import { api, type Connection, type Template } from '../api';
import { FIELD_LABELS, SettingInput, fieldLabel, fileAccept, isFileField, secretSummary } from '../components/ConnectionForm';
import { ErrorMessage, Field, Link, Notice } from '../components/ui';
import { describeError, errorField } from '../errors';
import { useLoad } from '../hooks';
import { connectionPatch, editOf, isSecretSet, validateConnectionEdit, type ConnectionEdit } from '../patches';
import { canWrite, useSession } from '../session';
import type { FieldErrors } from '../validation';

export function ConnectionPage({ id }: { id: string }) {
  const conn = useLoad(() => api<Connection>('GET', `/connections/${id}`), [id]);
  const catalog = useLoad(() => api<{ items: Template[] }>('GET', '/catalog'), []);
  if (conn.error || catalog.error) return <ErrorMessage error={conn.error ?? catalog.error} />;
  if (!conn.data || !catalog.data) return <p className="loading">Loading…</p>;
  const template = catalog.data.items.find((t) => t.connection.type === conn.data!.type || t.id === conn.data!.type);
  if (!template) return <ErrorMessage error={`No catalog template for connection type ${conn.data.type}.`} />;
  return <ConnectionEditor key={conn.data.id} connection={conn.data} template={template}
    onSaved={(c) => conn.setData(c)} />;
}

function ConnectionEditor({ connection: c, template: t, onSaved }: {
  connection: Connection; template: Template; onSaved: (c: Connection) => void;
}) {
  const { role } = useSession();
  const ro = !canWrite(role);
  const kinds = t.connection.auth_kinds;
  const [e, setE] = useState<ConnectionEdit>(() => editOf(c));
  const [replacing, setReplacing] = useState<Record<string, boolean>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const kind = kinds.find((k) => k.kind === e.kind);
  const sameKind = e.kind === c.auth.kind;

  const save = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    setNotice(null);
    const v = validateConnectionEdit(c, e, kinds, t.connection.url_schemes, t.connection.settings,
      t.connection.http_loopback_only);
    setErrors(v);
    if (Object.keys(v).length) return;
    const body = connectionPatch(c, e, kinds, t.connection.settings);
    if (Object.keys(body).length === 0) {
      setNotice('Nothing changed.');
      return;
    }
    setBusy(true);
    try {
      const saved = await api<Connection>('PATCH', `/connections/${c.id}`, body);
      setE(editOf(saved));
      setReplacing({});
      onSaved(saved);
      setNotice(`Connection saved${'auth' in body ? ' (secrets kept unless replaced)' : ''}.`);
    } catch (err) {
      const f = errorField(err);
      if (f) setErrors({ [f]: describeError(err) });
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const runTest = async () => {
    setTest(null);
    try {
      setTest(await api<{ ok: boolean; message: string }>('POST', `/connections/${c.id}/test`));
    } catch (err) {
      setTest({ ok: false, message: describeError(err) });
    }
  };

  return (
    <section aria-labelledby="conn-title">
      <p className="crumbs"><Link to="/connections">Connections</Link> › {c.name}</p>
      <h1 id="conn-title">{c.name}</h1>
      <p className="muted">{t.name} · <span data-testid="secret-summary">{secretSummary(c)}</span></p>
      <ErrorMessage error={error} />
      {notice && <Notice>{notice}</Notice>}
      <form className="card" onSubmit={save} noValidate aria-label="Edit connection">
        <fieldset disabled={ro}>
          <Field label="Connection name" error={errors.name}>
            {(id, d) => <input id={id} aria-describedby={d} value={e.name} onChange={(x) => setE({ ...e, name: x.target.value })} />}
          </Field>
          <Field label="Base URL" error={errors.base_url} hint={`For example ${t.connection.base_url_example}`}>
            {(id, d) => <input id={id} aria-describedby={d} type="url" value={e.base_url} onChange={(x) => setE({ ...e, base_url: x.target.value })} />}
          </Field>
          <Field label="Authentication" error={errors.kind}
            hint={sameKind ? undefined : 'A new kind starts afresh: enter every field, secrets included.'}>
            {(id, d) => (
              <select id={id} aria-describedby={d} value={e.kind}
                onChange={(x) => setE({ ...e, kind: x.target.value, fields: x.target.value === c.auth.kind ? editOf(c).fields : {}, secrets: {} })}>
                {kinds.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
              </select>
            )}
          </Field>
          {kind?.fields.map((f) => {
            const label = fieldLabel(f.name, kind.kind) + (f.required ? '' : ' (optional)');
            const err = errors[`auth.${f.name}`];
            if (!f.secret) {
              return (
                <Field key={f.name} label={label} error={err}>
                  {(id, d) => <input id={id} aria-describedby={d} value={e.fields[f.name] ?? ''}
                    onChange={(x) => setE({ ...e, fields: { ...e.fields, [f.name]: x.target.value } })} />}
                </Field>
              );
            }
            const set = sameKind && isSecretSet(c, f.name);
            if (set && !replacing[f.name]) {
              return (
                <div key={f.name} className="field">
                  <span className="field-label">{FIELD_LABELS[f.name] ?? label}</span>
                  <div>
                    <span className="badge badge-ok" data-testid={`secret-${f.name}`}>set</span>{' '}
                    {!ro && (
                      <button type="button" onClick={() => setReplacing({ ...replacing, [f.name]: true })}
                        aria-label={`Replace ${fieldLabel(f.name, kind.kind)}`}>Replace</button>
                    )}
                  </div>
                  <div className="hint">Stored encrypted; never shown.</div>
                </div>
              );
            }
            const setSecret = (v: string) => setE({ ...e, secrets: { ...e.secrets, [f.name]: v } });
            return (
              <Field key={f.name} label={set ? `New ${label.charAt(0).toLowerCase()}${label.slice(1)}` : label} error={err}
                hint={set ? 'Leave empty to keep the stored one.' : 'Secret: stored encrypted and shown only as "set" afterwards.'}>
                {(id, d) => isFileField(f)
                  ? <input id={id} aria-describedby={d} type="file"
                      accept={fileAccept(f)}
                      onChange={async (x) => { const file = x.target.files?.[0]; if (file) setSecret(await file.text()); }} />
                  : <input id={id} aria-describedby={d} type="password" autoComplete="new-password"
                      value={e.secrets[f.name] ?? ''} onChange={(x) => setSecret(x.target.value)} />}
              </Field>
            );
          })}
          {t.connection.settings.map((s) => (
            <SettingInput key={s.name} field={s} value={e.settings[s.name] ?? ''} error={errors[`settings.${s.name}`]}
              onChange={(v) => setE({ ...e, settings: { ...e.settings, [s.name]: v } })} />
          ))}
        </fieldset>
        {!ro && (
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : 'Save connection'}</button>
            <button type="button" onClick={runTest}>Test connection</button>
          </div>
        )}
        {test && (
          <div className={`message ${test.ok ? 'message-ok' : 'message-error'}`} role="status" data-testid="test-result">
            {test.ok ? `Connection works: ${test.message}` : `Connection failed: ${test.message}`}
          </div>
        )}
      </form>
    </section>
  );
}
