import { useState } from 'react';
import { api, query, type Application, type LogEntry } from '../../api';
import { Empty, ErrorMessage, StateBadge } from '../../components/ui';
import { useLoad } from '../../hooks';
import { toCsv } from '../../validation';
import type { Names } from '../Application';

export function LogTab({ app, names }: { app: Application; names: Names }) {
  const [status, setStatus] = useState('');
  const [userId, setUserId] = useState('');
  const [limit, setLimit] = useState(100);
  const log = useLoad(
    () => api<{ entries: LogEntry[] }>('GET', `/provisioning-log${query({ application_id: app.id, status, user_id: userId, limit })}`),
    [app.id, status, userId, limit],
  );

  // A user, or a pushed group (group push entries carry group_id instead of user_id).
  // The application's own entries (a quarantine lifted by a probe) name no user.
  const subject = (e: LogEntry) =>
    e.subject_type === 'application'
      ? 'the application'
      : e.group_id
        ? `group ${names.group(e.group_id)}`
        : names.user(e.user_id ?? '');

  const exportCsv = () => {
    const rows = (log.data?.entries ?? []).map((e) => [
      e.id, e.at, e.group_id ?? e.user_id ?? '', subject(e), e.action, e.status, e.target_id, e.attempts, e.duration_ms, e.error,
    ]);
    const csv = toCsv(['id', 'at', 'user_id', 'user', 'action', 'status', 'target_id', 'attempts', 'duration_ms', 'error'], rows);
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `provisioning-log-${app.name.replace(/[^A-Za-z0-9_-]+/g, '_')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="card">
      <h2>Provisioning log</h2>
      <div className="filters">
        <label>Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
            <option value="retrying">retrying</option>
          </select>
        </label>
        <label>User id
          <input value={userId} onChange={(e) => setUserId(e.target.value.trim())} placeholder="any user" />
        </label>
        <label>Show
          <select value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            <option value={100}>100</option><option value={500}>500</option><option value={1000}>1000</option>
          </select>
        </label>
        <button type="button" onClick={() => log.reload()}>Refresh</button>
        <button type="button" onClick={exportCsv} disabled={!log.data?.entries.length}>Export CSV</button>
      </div>
      <ErrorMessage error={log.error} />
      {log.data?.entries.length === 0 && <Empty>No entries match.</Empty>}
      {!!log.data?.entries.length && (
        <table data-testid="provisioning-log">
          <thead><tr><th scope="col">When</th><th scope="col">User</th><th scope="col">Action</th><th scope="col">Status</th><th scope="col">Account</th><th scope="col">Attempts</th><th scope="col">Error</th></tr></thead>
          <tbody>
            {log.data.entries.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{subject(e)}</td>
                <td>{e.action}</td>
                <td><StateBadge state={e.status} /></td>
                <td><code>{e.target_id || '—'}</code></td>
                <td>{e.attempts}</td>
                <td>{e.error || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
