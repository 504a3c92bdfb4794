// One application: state banner with Resume, then tabs for its settings, assignments,
// mappings, provisioning actions, accounts and log.
import { useEffect, useState } from 'react';
import { api, type AppStatus, type Application as App, type DirGroup, type DirUser, type EngineStatus, type Page } from '../api';
import { ErrorMessage, Link, StateBadge } from '../components/ui';
import { describeError } from '../errors';
import { useLoad } from '../hooks';
import { canWrite, useSession } from '../session';
import { AccountsTab } from './app/Accounts';
import { AssignmentsTab } from './app/Assignments';
import { HeldTab } from './app/Held';
import { LogTab } from './app/Log';
import { MappingsTab } from './app/Mappings';
import { OverviewTab } from './app/Overview';
import { ProvisioningTab } from './app/Provisioning';

const TABS: [string, string][] = [
  ['overview', 'Settings'],
  ['assignments', 'Assignments'],
  ['mappings', 'Mappings'],
  ['provisioning', 'Provisioning'],
  ['accounts', 'Accounts'],
  ['log', 'Provisioning log'],
  ['held', 'Held for review'],  // applications that import
];

export interface Names {
  user: (id: string) => string;
  group: (id: string) => string;
}

export function useNames(): Names {
  const users = useLoad(() => api<Page<DirUser>>('GET', '/users?count=1000'), []);
  const groups = useLoad(() => api<Page<DirGroup>>('GET', '/groups?count=1000'), []);
  return {
    user: (id) => {
      const u = users.data?.items.find((x) => x.id === id);
      return u ? u.displayName || u.userName : id;
    },
    group: (id) => groups.data?.items.find((x) => x.id === id)?.displayName ?? id,
  };
}

// The engine's view of this application, polled while the page is open.
export function useAppStatus(id: string, intervalMs: number): AppStatus | undefined {
  const [status, setStatus] = useState<AppStatus | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const tick = async () => {
      try {
        const s = await api<EngineStatus>('GET', '/status');
        if (live) setStatus(s.applications.find((a) => a.id === id));
      } catch {
        /* the banner and progress simply stay as they were */
      }
    };
    void tick();
    const h = setInterval(tick, intervalMs);
    return () => { live = false; clearInterval(h); };
  }, [id, intervalMs]);
  return status;
}

export function ApplicationPage({ id, tab }: { id: string; tab: string }) {
  const { role } = useSession();
  const app = useLoad(() => api<App>('GET', `/applications/${id}`), [id]);
  const status = useAppStatus(id, 2000);
  const names = useNames();
  const [error, setError] = useState<string | null>(null);

  if (app.error) return <ErrorMessage error={app.error} />;
  if (!app.data) return <p className="loading">Loading…</p>;
  const a = app.data;
  const state = status?.state ?? a.state;

  const resume = async () => {
    setError(null);
    try {
      app.setData(await api<App>('PATCH', `/applications/${id}`, { state: 'active' }));
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <section aria-labelledby="app-title">
      <p className="crumbs"><Link to="/applications">Applications</Link> › {a.name}</p>
      <div className="page-head">
        <h1 id="app-title">{a.name}</h1>
        <StateBadge state={state} />
      </div>
      {(state === 'paused' || state === 'quarantined') && (
        <div className={`banner banner-${state}`} role="alert">
          <div>
            <strong>{state === 'quarantined' ? 'Quarantined' : 'Paused'}:</strong>{' '}
            {status?.reason || (state === 'quarantined'
              ? 'provisioning stopped after repeated failures.'
              : 'provisioning is paused.')}
          </div>
          {canWrite(role) && <button type="button" className="primary" onClick={resume}>Resume</button>}
        </div>
      )}
      {state === 'draft' && (
        <div className="banner banner-draft" role="status">
          Draft: this application has no connection yet, so nothing is provisioned.
        </div>
      )}
      <ErrorMessage error={error} />
      <nav aria-label="Application sections" className="tabs">
        <ul>
          {TABS.filter(([key]) => key !== 'held' || a.capabilities.includes('import_sync')).map(([key, label]) => (
            <li key={key}>
              <Link to={key === 'overview' ? `/applications/${id}` : `/applications/${id}/${key}`}
                className={tab === key ? 'active' : undefined}>
                <span aria-current={tab === key ? 'page' : undefined}>{label}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="tab-body">
        {tab === 'overview' && <OverviewTab app={a} onSaved={(x) => app.setData(x)} />}
        {tab === 'assignments' && <AssignmentsTab app={a} names={names} />}
        {tab === 'mappings' && <MappingsTab app={a} />}
        {tab === 'provisioning' && <ProvisioningTab app={a} status={status} />}
        {tab === 'accounts' && <AccountsTab app={a} names={names} />}
        {tab === 'log' && <LogTab app={a} names={names} />}
        {tab === 'held' && <HeldTab app={a} />}
      </div>
    </section>
  );
}
