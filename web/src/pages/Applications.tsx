import { api, type Application, type Template } from '../api';
import { Empty, ErrorMessage, Link, StateBadge } from '../components/ui';
import { useLoad } from '../hooks';
import { canWrite, useSession } from '../session';

export function ApplicationsPage() {
  const { role } = useSession();
  const apps = useLoad(() => api<{ items: Application[] }>('GET', '/applications'), []);
  const catalog = useLoad(() => api<{ items: Template[] }>('GET', '/catalog'), []);
  const templateName = (id: string) => catalog.data?.items.find((t) => t.id === id)?.name ?? id;

  return (
    <section aria-labelledby="apps-title">
      <div className="page-head">
        <div>
          <p className="crumbs">Applications</p>
          <h1 id="apps-title">Application Integration</h1>
        </div>
        {canWrite(role) && (
          <Link to="/applications/new" className="button primary">
            Create New Application
          </Link>
        )}
      </div>
      <ErrorMessage error={apps.error} />
      {apps.data && apps.data.items.length === 0 && (
        <Empty>
          No applications yet.{canWrite(role) ? ' Create one to start provisioning accounts.' : ''}
        </Empty>
      )}
      {apps.data && apps.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Capabilities</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {apps.data.items.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/applications/${a.id}`}>{a.name}</Link>
                  {a.description && <div className="muted">{a.description}</div>}
                </td>
                <td>{templateName(a.template)}</td>
                <td>{a.capabilities.map((c) => (c === 'import_sync' ? 'Import/Sync' : 'Provisioning')).join(', ')}</td>
                <td>
                  <StateBadge state={a.state} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
