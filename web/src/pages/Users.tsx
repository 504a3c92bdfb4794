// Users: search (a SCIM filter built from the field and status chosen) and page through the
// portal directory; create a user.
import { useEffect, useState, type FormEvent } from 'react';
import { api, query, type DirUser, type Page } from '../api';
import { Pager } from '../components/Pager';
import { Empty, ErrorMessage, Link, StateBadge } from '../components/ui';
import { UserForm } from '../components/UserForm';
import { describeError } from '../errors';
import { useLoad } from '../hooks';
import { newUserBody, type ScimUser } from '../patches';
import { navigate, useDebounced, useQueryState } from '../router';
import { pageInfo, startIndexOf, userFilter, type StatusFilter, type UserSearchField } from '../search';
import { canWrite, useSession } from '../session';

export function UsersPage() {
  const { role } = useSession();
  const [qs, setQs] = useQueryState({ field: 'any', q: '', status: '', page: '1', count: '20' });
  const [text, setText] = useState(qs.q);
  const debounced = useDebounced(text);
  useEffect(() => {
    if (debounced !== qs.q) setQs({ q: debounced, page: '1' });
  }, [debounced]); // eslint-disable-line react-hooks/exhaustive-deps
  const field = qs.field as UserSearchField;
  const status = qs.status as StatusFilter;
  const page = Math.max(1, Number(qs.page) || 1);
  const count = Math.min(100, Math.max(1, Number(qs.count) || 20));

  const filter = userFilter(field, qs.q, status);
  const list = useLoad(
    () => api<Page<DirUser>>('GET', `/users${query({ filter, startIndex: startIndexOf(page, count), count })}`),
    [filter, page, count],
  );
  const items = list.data?.items ?? [];
  const total = list.data?.total_results ?? 0;

  return (
    <section aria-labelledby="users-title">
      <div className="page-head">
        <div>
          <p className="crumbs">Directory</p>
          <h1 id="users-title">Users</h1>
        </div>
        {canWrite(role) && <Link to="/users/new" className="button primary">Create user</Link>}
      </div>
      <p className="muted">People in Provisio's directory, whether pushed over SCIM, imported or created here.</p>
      <div className="filters" role="search">
        <label>Search in
          <select value={field} onChange={(e) => setQs({ field: e.target.value, page: '1' })}>
            <option value="any">User name, name or email</option>
            <option value="userName">User name (starts with)</option>
            <option value="displayName">Display name (contains)</option>
            <option value="email">Email (contains)</option>
          </select>
        </label>
        <label>Search
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Type to search" />
        </label>
        <label>Status
          <select value={status} onChange={(e) => setQs({ status: e.target.value, page: '1' })}>
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="inactive">Disabled</option>
          </select>
        </label>
      </div>
      {filter && <p className="hint">SCIM filter: <code data-testid="scim-filter">{filter}</code></p>}
      <ErrorMessage error={list.error} />
      {list.data && items.length === 0 && (
        <Empty>{filter ? 'No users match.' : 'No users yet. They arrive over SCIM (/scim/v2), by import, or are created here.'}</Empty>
      )}
      {items.length > 0 && (
        <table data-testid="users">
          <thead><tr><th scope="col">User name</th><th scope="col">Display name</th><th scope="col">Email</th><th scope="col">Status</th></tr></thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.id}>
                <td><Link to={`/users/${u.id}`}>{u.userName}</Link></td>
                <td>{u.displayName || '—'}</td>
                <td>{u.email || '—'}</td>
                <td><StateBadge state={u.active ? 'active' : 'disabled'} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && (
        <Pager label="Users" total={total} count={count} info={pageInfo(total, startIndexOf(page, count), count, items.length)}
          onPage={(p) => setQs({ page: String(p) })} onCount={(c) => setQs({ count: String(c), page: '1' })} />
      )}
    </section>
  );
}

export function NewUserPage() {
  const { role } = useSession();
  const [error, setError] = useState<string | null>(null);
  if (!canWrite(role)) {
    return <ErrorMessage error="Your role cannot create users." />;
  }
  return (
    <section aria-labelledby="new-user-title">
      <p className="crumbs"><Link to="/users">Users</Link> › New</p>
      <h1 id="new-user-title">Create user</h1>
      <ErrorMessage error={error} />
      <UserForm submitLabel="Create user" onSubmit={async (d, e: FormEvent) => {
        e.preventDefault();
        setError(null);
        try {
          const u = await api<ScimUser>('POST', '/users', newUserBody(d));
          navigate(`/users/${u.id}`);
        } catch (err) {
          setError(describeError(err));
          throw err;
        }
      }} />
    </section>
  );
}
