// Import now: start an import run and follow it (GET /imports/{id}) until it ends.
import { useEffect, useState } from 'react';
import { api, type Application } from '../../api';
import { ErrorMessage } from '../../components/ui';
import { describeError } from '../../errors';

interface ImportRun {
  id: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  phase?: string;
  counts: Record<string, number>;
  message?: string;
  dry_run: boolean;
}

export function ImportCard({ app }: { app: Application }) {
  const [mode, setMode] = useState<'full' | 'incremental'>('full');
  const [dryRun, setDryRun] = useState(false);
  const [run, setRun] = useState<ImportRun | null>(null);
  const [error, setError] = useState<string | null>(null);
  const active = run && (run.state === 'queued' || run.state === 'running');

  useEffect(() => {
    if (!run || !active) return;
    const h = setTimeout(async () => {
      try {
        setRun(await api<ImportRun>('GET', `/imports/${run.id}`));
      } catch (e) {
        setError(describeError(e));
      }
    }, 1000);
    return () => clearTimeout(h);
  }, [run, active]);

  const start = async () => {
    setError(null);
    try {
      setRun(await api<ImportRun>('POST', `/applications/${app.id}/imports`, { mode, dry_run: dryRun }));
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <>
      <h2>Import now</h2>
      <p className="muted">Read accounts, roles and groups from {app.name} and link them to users.</p>
      <div className="filters">
        <label>Import mode
          <select value={mode} onChange={(e) => setMode(e.target.value as 'full' | 'incremental')}>
            <option value="full">Full</option>
            <option value="incremental">Incremental</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
          <span>Dry run import (change nothing)</span>
        </label>
        <button type="button" onClick={start} disabled={!!active}>{active ? 'Importing…' : 'Import now'}</button>
      </div>
      <ErrorMessage error={error} />
      {run && (
        <div role="status" aria-live="polite" data-testid="import-run">
          <p>
            Import {run.dry_run ? '(dry run) ' : ''}<span className={`badge badge-${run.state}`}>{run.state}</span>
            {run.phase ? ` — ${run.phase}` : ''}{run.message ? ` — ${run.message}` : ''}
          </p>
          {active && <progress aria-label="Import progress" />}
          <dl className="report">
            {Object.entries(run.counts ?? {}).map(([k, v]) => (
              <div key={k}><dt>{k}</dt><dd>{v}</dd></div>
            ))}
          </dl>
        </div>
      )}
    </>
  );
}
