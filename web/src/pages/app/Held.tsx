// Held for review: records and attribute changes import runs held for an admin, each with why
// it was held, the record as read, and Approve (create a user, link to a chosen one, or apply
// the change) or Reject (keep the portal as it is; the next import remembers it).
import { useState } from 'react';
import { api, type Application, type HeldItem } from '../../api';
import { DirectoryPicker, principalName } from '../../components/DirectoryPicker';
import { Empty, ErrorMessage, Notice } from '../../components/ui';
import { describeError } from '../../errors';
import { approveBody, heldPath, heldReason, pathLabel, recordLabel, showValue, userLabel, type Decision } from '../../held';
import { useLoad } from '../../hooks';
import { canWrite, useSession } from '../../session';

interface HeldPage { items: HeldItem[]; next?: string }

export function HeldTab({ app }: { app: Application }) {
  const { role } = useSession();
  const write = canWrite(role);
  const [after, setAfter] = useState<string[]>([]);  // cursors of the pages before this one
  const cursor = after.length ? after[after.length - 1] : '';
  const page = useLoad(() => api<HeldPage>('GET', `/applications/${app.id}/held?limit=20${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`), [app.id, cursor]);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [linking, setLinking] = useState<string | null>(null);

  const decide = async (item: HeldItem, d: Decision | 'reject', said: string) => {
    setError(null);
    setDone(null);
    try {
      if (d === 'reject') await api('POST', heldPath(app.id, item.source_id, 'reject'), {});
      else await api('POST', heldPath(app.id, item.source_id, 'approve'), approveBody(d));
      setDone(said);
      setLinking(null);
      await page.reload();
    } catch (e) {
      setError(describeError(e));
    }
  };

  const items = page.data?.items ?? [];
  return (
    <div className="card" data-testid="held">
      <h2>Held for review</h2>
      <p className="muted">
        Imports hold a record when no portal user matches it and the unmatched policy is
        <em> hold</em>, when several users match, or when the matching user is linked to another
        account; and they hold changes to the attributes the policy lists. <strong>Approve</strong> applies
        it; <strong>Reject</strong> keeps the portal as it is, and the next import does not hold the
        same record or value again.
      </p>
      <ErrorMessage error={page.error ?? error} />
      {done && <Notice>{done}</Notice>}
      {page.data && items.length === 0 && <Empty>Nothing is held for review.</Empty>}
      <ul className="held-list">
        {items.map((item) => {
          const name = recordLabel(item);
          return (
            <li key={item.source_id} className="held-item" data-testid="held-item">
              <div className="held-head">
                <strong>{item.kind === 'change' ? userLabel(item.user) || name : name}</strong>{' '}
                <span className="badge badge-paused">{item.reason.replace(/_/g, ' ')}</span>
                <span className="muted mono"> source {item.source_name || item.source_id}</span>
              </div>
              <p>{heldReason(item)}</p>
              {item.kind === 'change' && item.changes && (
                <table className="compact">
                  <thead><tr><th scope="col">Attribute</th><th scope="col">Now</th><th scope="col">Source wants</th></tr></thead>
                  <tbody>
                    {item.changes.map((c) => (
                      <tr key={c.path}><td><code>{pathLabel(c.path)}</code></td><td>{showValue(c.before)}</td><td>{showValue(c.after)}</td></tr>
                    ))}
                  </tbody>
                </table>
              )}
              {item.kind === 'record' && item.candidates && item.candidates.length > 0 && (
                <p>Candidates: {item.candidates.map((c, i) => (
                  <span key={c.id}>{i > 0 ? ', ' : ''}{userLabel(c)}
                    {write && <> <button type="button" className="link-like" onClick={() => void decide(item, { kind: 'link', userId: c.id }, `Linked ${name} to ${userLabel(c)}.`)}
                      aria-label={`Link ${name} to ${userLabel(c)}`}>link</button></>}
                  </span>
                ))}</p>
              )}
              <details className="json">
                <summary>The record as read</summary>
                <pre>{JSON.stringify(item.source ?? item.record, null, 2)}</pre>
              </details>
              {write && (
                <div className="actions">
                  {item.kind === 'change' ? (
                    <button type="button" className="primary" aria-label={`Apply change to ${userLabel(item.user)}`}
                      onClick={() => void decide(item, { kind: 'apply' }, `Applied the change to ${userLabel(item.user)}.`)}>Apply change</button>
                  ) : (
                    <>
                      <button type="button" className="primary" aria-label={`Create user ${name}`}
                        onClick={() => void decide(item, { kind: 'create' }, `Created ${name}.`)}>Create user</button>
                      <button type="button" aria-label={`Link ${name} to a user…`}
                        onClick={() => setLinking(linking === item.source_id ? null : item.source_id)}>Link to a user…</button>
                    </>
                  )}
                  <button type="button" className="danger" aria-label={`Reject ${item.kind === 'change' ? `change to ${userLabel(item.user)}` : name}`}
                    onClick={() => void decide(item, 'reject', `Rejected ${item.kind === 'change' ? `the change to ${userLabel(item.user)}` : name}.`)}>Reject</button>
                </div>
              )}
              {write && linking === item.source_id && (
                <DirectoryPicker kinds={['user']} label="Search users to link" actionLabel="Link to"
                  onPick={(p) => void decide(item, { kind: 'link', userId: p.item.id }, `Linked ${name} to ${principalName(p)}.`)} />
              )}
            </li>
          );
        })}
      </ul>
      <div className="actions">
        <button type="button" disabled={after.length === 0} onClick={() => setAfter(after.slice(0, -1))}>Previous</button>
        <button type="button" disabled={!page.data?.next} onClick={() => page.data?.next && setAfter([...after, page.data.next])}>Next</button>
        <button type="button" onClick={() => void page.reload()}>Refresh</button>
      </div>
    </div>
  );
}
