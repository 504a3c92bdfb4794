import { api, type Account, type Application } from '../../api';
import { Empty, ErrorMessage, StateBadge } from '../../components/ui';
import { useLoad } from '../../hooks';
import type { Names } from '../Application';

export function AccountsTab({ app, names }: { app: Application; names: Names }) {
  const list = useLoad(() => api<{ items: Account[]; next?: string }>('GET', `/applications/${app.id}/accounts?limit=500`), [app.id]);
  return (
    <div className="card">
      <div className="page-head">
        <h2>Accounts in {app.name}</h2>
        <button type="button" onClick={() => list.reload()}>Refresh</button>
      </div>
      <ErrorMessage error={list.error} />
      {list.data?.items.length === 0 && <Empty>No accounts yet: assign users, then sync or provision on demand.</Empty>}
      {!!list.data?.items.length && (
        <table data-testid="accounts">
          <thead><tr><th scope="col">User</th><th scope="col">Account id in the application</th><th scope="col">State</th><th scope="col">Last error</th><th scope="col">Updated</th></tr></thead>
          <tbody>
            {list.data.items.map((a) => (
              <tr key={a.user_id}>
                <td>{names.user(a.user_id)}</td>
                <td><code>{a.target_id || '—'}</code></td>
                <td><StateBadge state={a.state} /></td>
                <td>{a.last_error || '—'}</td>
                <td>{new Date(a.updated).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.next && <p className="muted">Showing the first 500 accounts.</p>}
    </div>
  );
}
