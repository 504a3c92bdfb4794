import { api, type Connection } from '../api';
import { Empty, ErrorMessage, Link } from '../components/ui';
import { useLoad } from '../hooks';
import { secretSummary } from '../components/ConnectionForm';

export function ConnectionsPage() {
  const conns = useLoad(() => api<{ items: Connection[] }>('GET', '/connections'), []);
  return (
    <section aria-labelledby="conns-title">
      <h1 id="conns-title">Connections</h1>
      <p className="muted">
        Connections are created in the application wizard (Integration Settings → Create Connection).
        Open one to change it or replace a secret; secrets are stored encrypted and never shown again.
      </p>
      <ErrorMessage error={conns.error} />
      {conns.data?.items.length === 0 && <Empty>No connections yet.</Empty>}
      {!!conns.data?.items.length && (
        <table>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Base URL</th><th scope="col">Authentication</th></tr>
          </thead>
          <tbody>
            {conns.data.items.map((c) => (
              <tr key={c.id}>
                <td><Link to={`/connections/${c.id}`}>{c.name}</Link></td>
                <td>{c.type}</td>
                <td><code>{c.base_url}</code></td>
                <td>{secretSummary(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
