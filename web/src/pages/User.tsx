// One portal user: its details (editable by Admins), Disable/Enable, its groups, and what it
// has in each application: how it is assigned, with which role, and its account's state.
import { useState } from 'react';
import { api, type UserApplication } from '../api';
import { Empty, ErrorMessage, Link, Notice, StateBadge } from '../components/ui';
import { UserForm } from '../components/UserForm';
import { describeError } from '../errors';
import { useLoad } from '../hooks';
import { draftOf, patchBody, userPatch, type ScimUser } from '../patches';
import { canWrite, useSession } from '../session';

interface UserDetail {
  user: ScimUser;
  applications: UserApplication[];
}

export function UserPage({ id }: { id: string }) {
  const { role } = useSession();
  const detail = useLoad(() => api<UserDetail>('GET', `/users/${id}`), [id]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);

  if (detail.error) return <ErrorMessage error={detail.error} />;
  if (!detail.data) return <p className="loading">Loading…</p>;
  const u = detail.data.user;
  const apps = detail.data.applications;
  const active = u.active !== false;
  const groupName = (gid: string) => u.groups?.find((g) => g.value === gid)?.display || gid;

  const patch = async (ops: ReturnType<typeof userPatch>, done: string) => {
    setError(null);
    setNotice(null);
    if (ops.length === 0) {
      setNotice('Nothing changed.');
      return;
    }
    try {
      await api('PATCH', `/users/${id}`, patchBody(ops));
      await detail.reload();
      setFormKey((k) => k + 1);
      setNotice(done);
    } catch (e) {
      setError(describeError(e));
      throw e;
    }
  };

  return (
    <section aria-labelledby="user-title">
      <p className="crumbs"><Link to="/users">Users</Link> › {u.userName}</p>
      <div className="page-head">
        <h1 id="user-title">{u.displayName || u.userName}</h1>
        <div className="actions">
          <StateBadge state={active ? 'active' : 'disabled'} />
          {canWrite(role) && (
            <button type="button" className={active ? 'danger' : undefined}
              onClick={() => patch([{ op: 'replace', path: 'active', value: !active }], active ? 'User disabled.' : 'User enabled.').catch(() => {})}>
              {active ? 'Disable user' : 'Enable user'}
            </button>
          )}
        </div>
      </div>
      <ErrorMessage error={error} />
      {notice && <Notice>{notice}</Notice>}
      <div className="grid2">
        <div>
          <h2>Details</h2>
          <UserForm key={formKey} initial={draftOf(u)} readOnly={!canWrite(role)} submitLabel="Save user"
            onSubmit={(d) => patch(userPatch(draftOf(u), d), 'User saved.')} />
          <dl className="card narrow">
            <dt>Id</dt><dd><code>{u.id}</code></dd>
            {u.externalId && <><dt>External id</dt><dd><code>{u.externalId}</code></dd></>}
            {u.meta?.created && <><dt>Created</dt><dd>{new Date(u.meta.created).toLocaleString()}</dd></>}
            {u.meta?.lastModified && <><dt>Changed</dt><dd>{new Date(u.meta.lastModified).toLocaleString()}</dd></>}
          </dl>
        </div>
        <div>
          <div className="card">
            <h2>Applications</h2>
            {apps.length === 0 && <Empty>No application: assign this user (or one of its groups) on an application's Assignments tab.</Empty>}
            {apps.length > 0 && (
              <table data-testid="user-applications">
                <thead><tr><th scope="col">Application</th><th scope="col">Assigned</th><th scope="col">Role / profile</th><th scope="col">Account</th></tr></thead>
                <tbody>
                  {apps.map((a) => (
                    <tr key={a.id}>
                      <td><Link to={`/applications/${a.id}/accounts`}>{a.name}</Link>{a.state !== 'active' && <> <StateBadge state={a.state} /></>}</td>
                      <td>
                        {a.assigned_via.length === 0 && <span className="muted">not assigned</span>}
                        {a.assigned_via.map((v, i) => (
                          <div key={i}>{v.type === 'user' ? 'directly' : <>through <Link to={`/groups/${v.id}`}>{groupName(v.id)}</Link></>}</div>
                        ))}
                      </td>
                      <td>{a.entitlements.join(', ') || '—'}</td>
                      <td>
                        {a.account ? (
                          <>
                            <StateBadge state={a.account.state} /> <code>{a.account.target_id || '—'}</code>
                            {a.account.last_error && <div className="field-error">{a.account.last_error}</div>}
                          </>
                        ) : <span className="muted">no account yet</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div className="card">
            <h2>Groups</h2>
            {!u.groups?.length && <Empty>Not in any group.</Empty>}
            {!!u.groups?.length && (
              <ul>
                {u.groups.map((g) => (
                  <li key={g.value}><Link to={`/groups/${g.value}`}>{g.display || g.value}</Link>{g.type === 'indirect' ? <span className="muted"> (through a nested group)</span> : ''}</li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </div>
    </section>
  );
}
