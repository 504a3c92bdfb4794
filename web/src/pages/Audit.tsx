// The audit log: every change made through the admin API, newest first, filtered by actor or
// object, paged backwards by id; Verify checks the hash chain that links every row.
import { useState } from 'react';
import { api, query, type AuditEntry } from '../api';
import { Empty, ErrorMessage, StateBadge } from '../components/ui';
import { describeError } from '../errors';
import { useLoad } from '../hooks';
import { useDebounced } from '../router';
import { firstPage, newer, older, type CursorStack } from '../search';

interface VerifyResult { ok: boolean; checked: number; first_bad_id?: number }

function Json({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return null;
  return (
    <details className="json">
      <summary>{label}</summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

export function AuditPage() {
  const [actor, setActor] = useState('');
  const [object, setObject] = useState('');
  const [limit, setLimit] = useState(50);
  const [cursor, setCursor] = useState<CursorStack>(firstPage);
  const [verify, setVerify] = useState<VerifyResult | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  const [verifying, setVerifying] = useState(false);
  const actorQ = useDebounced(actor.trim());
  const objectQ = useDebounced(object.trim());
  const log = useLoad(
    () => api<{ items: AuditEntry[]; next_before: number | null }>('GET',
      `/audit-log${query({ actor: actorQ, object: objectQ, limit, before: cursor.current })}`),
    [actorQ, objectQ, limit, cursor],
  );
  const filterBy = (set: (v: string) => void, v: string) => { set(v); setCursor(firstPage); };

  const runVerify = async () => {
    setVerifying(true);
    setVerifyError(null);
    try {
      setVerify(await api<VerifyResult>('GET', '/audit-log/verify'));
    } catch (e) {
      setVerifyError(describeError(e));
    } finally {
      setVerifying(false);
    }
  };

  const items = log.data?.items ?? [];
  return (
    <section aria-labelledby="audit-title">
      <div className="page-head">
        <h1 id="audit-title">Audit log</h1>
        <button type="button" onClick={runVerify} disabled={verifying}>{verifying ? 'Verifying…' : 'Verify hash chain'}</button>
      </div>
      <ErrorMessage error={verifyError} />
      {verify && (
        <p role="status" data-testid="verify-result" className={verify.ok ? 'verify-ok' : 'verify-bad'}>
          {verify.ok
            ? `Hash chain intact: ${verify.checked} entries checked.`
            : `Hash chain broken at entry ${verify.first_bad_id ?? '?'} (${verify.checked} entries checked): the log was altered outside Provisio.`}
        </p>
      )}
      <div className="filters">
        <label>Actor id
          <input value={actor} onChange={(e) => filterBy(setActor, e.target.value)} placeholder="any actor" />
        </label>
        <label>Object id
          <input value={object} onChange={(e) => filterBy(setObject, e.target.value)} placeholder="any object" />
        </label>
        <label>Per page
          <select value={limit} onChange={(e) => { setLimit(Number(e.target.value)); setCursor(firstPage); }}>
            {[20, 50, 100, 500].map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        {(actor || object) && <button type="button" onClick={() => { setActor(''); setObject(''); setCursor(firstPage); }}>Clear filters</button>}
        <button type="button" onClick={() => log.reload()}>Refresh</button>
      </div>
      <ErrorMessage error={log.error} />
      {log.data && items.length === 0 && <Empty>No entries match.</Empty>}
      {items.length > 0 && (
        <table data-testid="audit-log" className="compact">
          <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Object</th><th scope="col">Outcome</th><th scope="col">From</th><th scope="col">Changes</th></tr></thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>{e.id}</td>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>
                  <button type="button" className="link-like" title="Show only this actor" onClick={() => filterBy(setActor, e.actor.id)}>
                    {e.actor.name || e.actor.id}
                  </button>
                  <div className="muted">{e.actor.kind}</div>
                </td>
                <td><code>{e.action}</code></td>
                <td>
                  {e.object.type}{' '}
                  {e.object.id && (
                    <button type="button" className="link-like mono" title="Show only this object" onClick={() => filterBy(setObject, e.object.id)}>
                      {e.object.id.length > 12 ? `${e.object.id.slice(0, 8)}…` : e.object.id}
                    </button>
                  )}
                </td>
                <td><StateBadge state={e.outcome} /></td>
                <td>{e.source_address || '—'}</td>
                <td><Json label="before" value={e.before} /><Json label="after" value={e.after} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log.data && (
        <nav className="pager" aria-label="Audit log pages">
          <button type="button" disabled={cursor.previous.length === 0} onClick={() => setCursor(newer(cursor))}>Newer</button>
          <span className="muted">Page {cursor.previous.length + 1}</span>
          <button type="button" disabled={log.data.next_before === null} onClick={() => setCursor(older(cursor, log.data?.next_before))}>Older</button>
        </nav>
      )}
    </section>
  );
}
