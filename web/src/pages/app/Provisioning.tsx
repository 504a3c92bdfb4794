import { useRef, useState } from 'react';
import { api, type AppStatus, type Application, type Step } from '../../api';
import { DirectoryPicker, principalName } from '../../components/DirectoryPicker';
import { ErrorMessage } from '../../components/ui';
import { describeError } from '../../errors';
import { canWrite, useSession } from '../../session';
import { DeadLetters } from './DeadLetters';
import { ImportCard } from './ImportCard';

const show = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

// A step's detail: a sentence, attribute values as "target = value" lines, or key: value pairs.
export function StepDetail({ detail }: { detail: unknown }) {
  if (detail === null || detail === undefined || detail === '') return null;
  if (typeof detail !== 'object') return <div className="muted">{String(detail)}</div>;
  const entries = Array.isArray(detail) ? detail.map((v, i) => [String(i), v] as const) : Object.entries(detail as Record<string, unknown>);
  return (
    <ul className="detail-list">
      {entries.map(([k, v]) => {
        if (v && typeof v === 'object' && 'target' in (v as object)) {
          const m = v as { target: string; value?: unknown; applied?: boolean };
          return <li key={k}><code>{m.target}</code> = {show(m.value ?? null)}{m.applied === false ? ' (not applied)' : ''}</li>;
        }
        return <li key={k}>{k.replace(/_/g, ' ')}: {show(v)}</li>;
      })}
    </ul>
  );
}

interface Change { userName?: string; user_id?: string; action?: string; reason?: string }

function Report({ value }: { value: unknown }) {
  if (!value || typeof value !== 'object') return <p>{String(value)}</p>;
  const { changes, ...rest } = value as Record<string, unknown> & { changes?: Change[] };
  return (
    <>
      <dl className="report">
        {Object.entries(rest).map(([k, v]) => (
          <div key={k}><dt>{k.replace(/_/g, ' ')}</dt><dd>{show(v)}</dd></div>
        ))}
      </dl>
      {Array.isArray(changes) && changes.length > 0 && (
        <table className="compact">
          <thead><tr><th scope="col">User</th><th scope="col">Action</th><th scope="col">Reason</th></tr></thead>
          <tbody>
            {changes.map((c, i) => (
              <tr key={i}><td>{c.userName ?? c.user_id}</td><td>{c.action}</td><td>{c.reason}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ProvisioningTab({ app, status }: { app: Application; status?: AppStatus }) {
  const { role } = useSession();
  const provisions = app.capabilities.includes('provisioning');
  const [mode, setMode] = useState<'incremental' | 'full'>('incremental');
  const [dryRun, setDryRun] = useState(false);
  const [syncing, setSyncing] = useState(false);
  const [report, setReport] = useState<unknown>(null);
  const [steps, setSteps] = useState<{ who: string; ok: boolean; steps: Step[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const base = useRef<number | null>(null);

  const sync = async () => {
    setSyncing(true);
    setError(null);
    setReport(null);
    base.current = status ? status.succeeded + status.failed : 0;
    try {
      setReport(await api('POST', `/applications/${app.id}/sync`, { mode, dry_run: dryRun }));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setSyncing(false);
    }
  };

  const done = status && base.current !== null ? status.succeeded + status.failed - base.current : 0;
  const pending = status ? status.queue_depth + status.in_flight : 0;
  const total = done + pending;

  return (
    <div className="grid2">
      <div className="card">
        <h2>Engine status</h2>
        <p className="muted">Refreshed every 2 seconds.</p>
        {status ? (
          <>
            <dl className="stats" aria-live="polite">
              <div><dt>Queued</dt><dd data-testid="queue-depth">{status.queue_depth}</dd></div>
              <div><dt>In flight</dt><dd>{status.in_flight}</dd></div>
              <div><dt>Succeeded</dt><dd>{status.succeeded}</dd></div>
              <div><dt>Failed</dt><dd>{status.failed}</dd></div>
              <div><dt>Dead letters</dt><dd>{status.dead_letters}</dd></div>
            </dl>
            <DeadLetters appId={app.id} count={status.dead_letters} canRetry={canWrite(role) && provisions} />
            {base.current !== null && total > 0 && (
              <label className="stack">
                Progress since the last Sync now: {done} of {total}
                <progress max={total} value={done} />
              </label>
            )}
          </>
        ) : (
          <p className="muted">No status yet.</p>
        )}
        {canWrite(role) && !provisions && (
          <p className="muted">This application only imports: there is nothing to sync to it or provision.</p>
        )}
        {canWrite(role) && provisions && (
          <>
            <h2>Sync now</h2>
            <fieldset className="inline-radios">
              <legend>Mode</legend>
              <label><input type="radio" name="mode" checked={mode === 'incremental'} onChange={() => setMode('incremental')} /> Incremental (changes since the last sync)</label>
              <label><input type="radio" name="mode" checked={mode === 'full'} onChange={() => setMode('full')} /> Full (every assigned user)</label>
            </fieldset>
            <label className="check">
              <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
              <span>Dry run: plan only, change nothing in the application</span>
            </label>
            <div className="actions">
              <button type="button" className="primary" onClick={sync} disabled={syncing}>
                {syncing ? 'Syncing…' : dryRun ? 'Plan sync (dry run)' : 'Sync now'}
              </button>
            </div>
            <ErrorMessage error={error} />
            {report !== null && (
              <div role="status" data-testid="sync-report">
                <h3>{dryRun ? 'Dry-run plan' : 'Sync started'}</h3>
                <Report value={report} />
              </div>
            )}
          </>
        )}
        {canWrite(role) && app.capabilities.includes('import_sync') && <ImportCard app={app} />}
      </div>
      {canWrite(role) && provisions && (
        <div className="card">
          <h2>Provision on demand</h2>
          <p className="muted">Provision one user now and see each step the engine takes.</p>
          <DirectoryPicker kinds={['user']} label="Search users" actionLabel="Provision"
            onPick={async (p) => {
              setError(null);
              setSteps(null);
              try {
                const r = await api<{ ok: boolean; steps: Step[] }>('POST', `/applications/${app.id}/provision`, { user_id: p.item.id });
                setSteps({ who: principalName(p), ok: r.ok, steps: r.steps });
              } catch (e) {
                setError(describeError(e));
              }
            }} />
          {steps && (
            <div role="status" data-testid="provision-steps">
              <h3>{steps.ok ? `Provisioned ${steps.who}` : `Provisioning ${steps.who} failed`}</h3>
              <ol className="steps">
                {steps.steps.map((s, i) => (
                  <li key={i} className={`step step-${s.status}`}>
                    <strong>{s.step}</strong> <span className={`badge badge-${s.status}`}>{s.status}</span>
                    <StepDetail detail={s.detail} />
                  </li>
                ))}
              </ol>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
