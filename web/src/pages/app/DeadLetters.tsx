import { useEffect, useState } from 'react';
import { api, type DeadLetter } from '../../api';
import { ErrorMessage } from '../../components/ui';
import { describeError } from '../../errors';

// The users and groups whose change gave up after max_attempts, with why, and (for an Admin)
// a button that queues them all again once the cause is fixed. Read again when the engine's
// dead-letter count changes.
export function DeadLetters({ appId, count, canRetry }: { appId: string; count: number; canRetry: boolean }) {
  const [items, setItems] = useState<DeadLetter[]>([]);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (count === 0) {
      setItems([]);
      return;
    }
    let live = true;
    api<{ items: DeadLetter[]; next?: string }>('GET', `/applications/${appId}/dead-letters?limit=50`)
      .then((r) => {
        if (!live) return;
        setItems(r.items);
        setMore(Boolean(r.next));
      })
      .catch((e) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [appId, count]);

  if (count === 0 && !message) return null;

  const retry = async () => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const r = await api<{ revived: number }>('POST', `/applications/${appId}/dead-letters/retry`);
      setMessage(`Queued ${r.revived} again.`);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="dead-letters-heading" data-testid="dead-letters">
      <h3 id="dead-letters-heading">Dead letters</h3>
      {items.length > 0 && (
        <>
          <p className="muted">These changes gave up after their last attempt. Fix the cause, then retry them.</p>
          <table className="compact fit">
            <thead><tr><th scope="col">User or group</th><th scope="col" style={{ width: '5.5rem' }}>Attempts</th><th scope="col" style={{ width: '50%' }}>Last error</th></tr></thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.user_id ?? d.group_id}>
                  <td className="wrap">{d.userName ?? d.displayName ?? d.user_id ?? d.group_id}</td>
                  <td>{d.attempts}</td>
                  <td className="wrap">{d.last_error}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {more && <p className="muted">The first 50 are shown.</p>}
        </>
      )}
      {canRetry && count > 0 && (
        <div className="actions">
          <button type="button" onClick={retry} disabled={busy}>{busy ? 'Retrying…' : 'Retry dead letters'}</button>
        </div>
      )}
      {message && <p role="status">{message}</p>}
      <ErrorMessage error={error} />
    </section>
  );
}
