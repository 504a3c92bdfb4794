// Groups: search by name (a SCIM filter), page, and create a group.
import { useEffect, useState, type FormEvent } from 'react';
import { api, query, type DirGroup, type Page } from '../api';
import { Pager } from '../components/Pager';
import { Empty, ErrorMessage, Field, Link } from '../components/ui';
import { describeError } from '../errors';
import { useLoad } from '../hooks';
import { GROUP_SCHEMA } from '../patches';
import { navigate, useDebounced, useQueryState } from '../router';
import { groupFilter, pageInfo, startIndexOf } from '../search';
import { canWrite, useSession } from '../session';

export function GroupsPage() {
  const { role } = useSession();
  const [qs, setQs] = useQueryState({ q: '', match: 'co', page: '1', count: '20' });
  const [text, setText] = useState(qs.q);
  const debounced = useDebounced(text);
  useEffect(() => {
    if (debounced !== qs.q) setQs({ q: debounced, page: '1' });
  }, [debounced]); // eslint-disable-line react-hooks/exhaustive-deps
  const match = qs.match === 'sw' ? 'sw' : 'co';
  const page = Math.max(1, Number(qs.page) || 1);
  const count = Math.min(100, Math.max(1, Number(qs.count) || 20));

  const filter = groupFilter(qs.q, match);
  const list = useLoad(
    () => api<Page<DirGroup>>('GET', `/groups${query({ filter, startIndex: startIndexOf(page, count), count })}`),
    [filter, page, count],
  );
  const items = list.data?.items ?? [];
  const total = list.data?.total_results ?? 0;

  return (
    <section aria-labelledby="groups-title">
      <div className="page-head">
        <div>
          <p className="crumbs">Directory</p>
          <h1 id="groups-title">Groups</h1>
        </div>
      </div>
      <div className="grid2">
        <div>
          <div className="filters" role="search">
            <label>Name
              <select value={match} onChange={(e) => setQs({ match: e.target.value, page: '1' })}>
                <option value="co">contains</option>
                <option value="sw">starts with</option>
              </select>
            </label>
            <label>Search
              <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Group name" />
            </label>
          </div>
          {filter && <p className="hint">SCIM filter: <code>{filter}</code></p>}
          <ErrorMessage error={list.error} />
          {list.data && items.length === 0 && <Empty>{filter ? 'No groups match.' : 'No groups yet.'}</Empty>}
          {items.length > 0 && (
            <table data-testid="groups">
              <thead><tr><th scope="col">Name</th></tr></thead>
              <tbody>
                {items.map((g) => <tr key={g.id}><td><Link to={`/groups/${g.id}`}>{g.displayName}</Link></td></tr>)}
              </tbody>
            </table>
          )}
          {list.data && (
            <Pager label="Groups" total={total} count={count} info={pageInfo(total, startIndexOf(page, count), count, items.length)}
              onPage={(p) => setQs({ page: String(p) })} onCount={(c) => setQs({ count: String(c), page: '1' })} />
          )}
        </div>
        {canWrite(role) && <NewGroup />}
      </div>
    </section>
  );
}

function NewGroup() {
  const [name, setName] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!name.trim()) {
      setFieldError('Enter a name.');
      return;
    }
    setFieldError(undefined);
    try {
      const g = await api<DirGroup>('POST', '/groups', { schemas: [GROUP_SCHEMA], displayName: name.trim() });
      navigate(`/groups/${g.id}`);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-label="Create group">
      <h2>Create group</h2>
      <ErrorMessage error={error} />
      <Field label="Group name" error={fieldError}>
        {(id, d) => <input id={id} aria-describedby={d} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <button type="submit" className="primary">Create group</button>
    </form>
  );
}
