// Applications → Application Integration → Create New Application: catalog, General
// Settings, Choose Capabilities, Integration Settings (connection, test), Save.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type Application, type Connection, type Template } from '../api';
import { ConnectionForm, secretSummary } from '../components/ConnectionForm';
import { ErrorMessage, Field, Link } from '../components/ui';
import { describeError } from '../errors';
import { useLoad } from '../hooks';
import { navigate } from '../router';
import { canWrite, useSession } from '../session';
import { effectiveCapabilities, validateGeneral, type FieldErrors } from '../validation';

const STEPS = ['Catalog', 'General Settings', 'Choose Capabilities', 'Integration Settings'];

export const PROVISIONING_REASON =
  'Provisioning needs Import/Sync: Provisio reads the accounts already in the application to match and update them, so Import/Sync is on whenever Provisioning is.';

export function NewApplicationPage() {
  const { role } = useSession();
  const catalog = useLoad(() => api<{ items: Template[] }>('GET', '/catalog'), []);
  const connections = useLoad(() => api<{ items: Connection[] }>('GET', '/connections'), []);
  const [step, setStep] = useState(0);
  const [template, setTemplate] = useState<Template | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [generalErrors, setGeneralErrors] = useState<FieldErrors>({});
  const [provisioning, setProvisioning] = useState(true);
  const [importSync, setImportSync] = useState(true);
  const [connMode, setConnMode] = useState<'existing' | 'new'>('existing');
  const [connectionId, setConnectionId] = useState('');
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);
  const [testing, setTesting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  if (!canWrite(role)) {
    return <ErrorMessage error="Your role cannot create applications." />;
  }

  const matching = (connections.data?.items ?? []).filter(
    (c) => template && c.type === template.connection.type,
  );
  const selected = matching.find((c) => c.id === connectionId) ?? null;

  const next = (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    if (step === 0 && !template) {
      setError('Choose an application from the catalog.');
      return;
    }
    if (step === 1) {
      const v = validateGeneral(name, description);
      setGeneralErrors(v);
      if (Object.keys(v).length) return;
    }
    if (step === 3) return;
    if (step === 2 && matching.length === 0) setConnMode('new');
    setStep(step + 1);
  };

  const testConnection = async () => {
    if (!selected) return;
    setTesting(true);
    setTest(null);
    try {
      setTest(await api<{ ok: boolean; message: string }>('POST', `/connections/${selected.id}/test`));
    } catch (e) {
      setTest({ ok: false, message: describeError(e) });
    } finally {
      setTesting(false);
    }
  };

  const save = async () => {
    if (!template) return;
    setSaving(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {
        template: template.id,
        name,
        description,
        capabilities: effectiveCapabilities(provisioning, importSync),
      };
      if (selected) body.connection_id = selected.id;
      const app = await api<Application>('POST', '/applications', body);
      navigate(`/applications/${app.id}`);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-labelledby="wizard-title" className="wizard">
      <p className="crumbs">
        <Link to="/applications">Applications</Link> › Application Integration › Create New Application
      </p>
      <h1 id="wizard-title">Create New Application</h1>
      <ol className="stepper" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : undefined}>
            <span className="num">{i + 1}</span> {s}
          </li>
        ))}
      </ol>
      <ErrorMessage error={error ?? catalog.error ?? connections.error} />

      {step === 0 && (
        <form onSubmit={next} className="card">
          <h2 ref={headingRef} tabIndex={-1}>Choose from the catalog</h2>
          <fieldset className="catalog">
            <legend className="sr-only">Application type</legend>
            {catalog.data?.items.map((t) => (
              <label key={t.id} className={`tile${template?.id === t.id ? ' tile-selected' : ''}`}>
                <input type="radio" name="template" value={t.id} checked={template?.id === t.id}
                  onChange={() => {
                    setTemplate(t);
                    if (!name) setName(t.name);
                    setProvisioning(t.supports.provisioning);
                    setImportSync(t.supports.import_sync);
                    setConnectionId('');
                  }} />
                <span className="tile-name">{t.name}</span>
                <span className="tile-desc">{t.description}</span>
              </label>
            ))}
          </fieldset>
          <div className="actions">
            <button type="submit" className="primary">Next</button>
          </div>
        </form>
      )}

      {step === 1 && (
        <form onSubmit={next} className="card" noValidate>
          <h2 ref={headingRef} tabIndex={-1}>General Settings</h2>
          <Field label="Name" error={generalErrors.name}>
            {(id, d) => <input id={id} aria-describedby={d} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label="Description (optional)" error={generalErrors.description}>
            {(id, d) => <textarea id={id} aria-describedby={d} rows={3} value={description}
              onChange={(e) => setDescription(e.target.value)} />}
          </Field>
          <div className="actions">
            <button type="button" onClick={() => setStep(0)}>Back</button>
            <button type="submit" className="primary">Next</button>
          </div>
        </form>
      )}

      {step === 2 && template && (
        <form onSubmit={next} className="card">
          <h2 ref={headingRef} tabIndex={-1}>Choose Capabilities</h2>
          <fieldset>
            <legend className="sr-only">Capabilities</legend>
            <label className="check">
              <input type="checkbox" checked={provisioning} disabled={!template.supports.provisioning}
                onChange={(e) => setProvisioning(e.target.checked)} />
              <span>
                <strong>Provisioning</strong>
                <span className="muted"> — create, update and deactivate accounts in {template.name} for assigned users.</span>
              </span>
            </label>
            <label className="check">
              <input type="checkbox" checked={provisioning || importSync}
                disabled={provisioning || !template.supports.import_sync}
                aria-describedby={provisioning ? 'import-lock-reason' : undefined}
                onChange={(e) => setImportSync(e.target.checked)} />
              <span>
                <strong>Import/Sync</strong>
                <span className="muted"> — read accounts, roles and groups from {template.name}.</span>
              </span>
            </label>
            {provisioning && (
              <p className="hint lock-reason" id="import-lock-reason">
                <strong>Import/Sync is locked on. </strong>{PROVISIONING_REASON}
              </p>
            )}
          </fieldset>
          <div className="actions">
            <button type="button" onClick={() => setStep(1)}>Back</button>
            <button type="submit" className="primary">Next</button>
          </div>
        </form>
      )}

      {step === 3 && template && (
        <div className="card">
          <h2 ref={headingRef} tabIndex={-1}>Integration Settings</h2>
          <h3>Application Connection</h3>
          <fieldset className="inline-radios">
            <legend className="sr-only">Connection</legend>
            <label>
              <input type="radio" name="connmode" checked={connMode === 'existing'}
                disabled={matching.length === 0} onChange={() => setConnMode('existing')} />
              Use an existing connection{matching.length === 0 ? ' (none yet)' : ''}
            </label>
            <label>
              <input type="radio" name="connmode" checked={connMode === 'new'} onChange={() => setConnMode('new')} />
              Create Connection
            </label>
          </fieldset>
          {connMode === 'existing' && matching.length > 0 && (
            <Field label="Connection">
              {(id) => (
                <select id={id} value={connectionId} onChange={(e) => { setConnectionId(e.target.value); setTest(null); }}>
                  <option value="">Choose a connection…</option>
                  {matching.map((c) => <option key={c.id} value={c.id}>{c.name} — {c.base_url}</option>)}
                </select>
              )}
            </Field>
          )}
          {connMode === 'new' && (
            <ConnectionForm template={template} defaultName={`${name} connection`}
              onCreated={(c) => {
                connections.setData({ items: [...(connections.data?.items ?? []), c] });
                setConnectionId(c.id);
                setConnMode('existing');
                setTest(null);
              }} />
          )}
          {selected && connMode === 'existing' && (
            <div className="conn-summary" aria-label="Selected connection">
              <dl>
                <dt>Connection</dt><dd>{selected.name}</dd>
                <dt>Base URL</dt><dd><code>{selected.base_url}</code></dd>
                <dt>Authentication</dt><dd data-testid="secret-summary">{secretSummary(selected)}</dd>
              </dl>
              <button type="button" onClick={testConnection} disabled={testing}>
                {testing ? 'Testing…' : 'Test connection'}
              </button>
              {test && (
                <div className={`message ${test.ok ? 'message-ok' : 'message-error'}`} role="status" data-testid="test-result">
                  {test.ok ? `Connection works: ${test.message}` : `Connection failed: ${test.message}`}
                </div>
              )}
            </div>
          )}
          {!selected && connMode === 'existing' && (
            <p className="hint">Without a connection the application is saved as a draft.</p>
          )}
          <div className="actions">
            <button type="button" onClick={() => setStep(2)}>Back</button>
            <button type="button" className="primary" onClick={save} disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
