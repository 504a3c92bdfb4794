// Search the portal's users or groups (GET /api/v1/users|groups with a SCIM filter) and pick one.
import { useEffect, useState } from 'react';
import { api, query, type DirGroup, type DirUser, type Page } from '../api';
import { describeError } from '../errors';
import { groupSearchFilter, userSearchFilter } from '../validation';
import { ErrorMessage } from './ui';

export type Principal = { type: 'user'; item: DirUser } | { type: 'group'; item: DirGroup };

export function principalName(p: Principal): string {
  return p.type === 'user' ? p.item.displayName || p.item.userName : p.item.displayName;
}

export function DirectoryPicker(props: {
  kinds: ('user' | 'group')[];
  label: string;
  actionLabel: string;
  onPick: (p: Principal) => void;
}) {
  const [kind, setKind] = useState<'user' | 'group'>(props.kinds[0]);
  const [text, setText] = useState('');
  const [results, setResults] = useState<Principal[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const h = setTimeout(async () => {
      try {
        if (kind === 'user') {
          const r = await api<Page<DirUser>>('GET', `/users${query({ filter: userSearchFilter(text), count: 20 })}`);
          if (live) { setResults(r.items.map((item) => ({ type: 'user', item }))); setTotal(r.total_results); }
        } else {
          const r = await api<Page<DirGroup>>('GET', `/groups${query({ filter: groupSearchFilter(text), count: 20 })}`);
          if (live) { setResults(r.items.map((item) => ({ type: 'group', item }))); setTotal(r.total_results); }
        }
        if (live) setError(null);
      } catch (e) {
        if (live) setError(describeError(e));
      }
    }, 200);
    return () => { live = false; clearTimeout(h); };
  }, [kind, text]);

  return (
    <div className="picker">
      <div className="picker-bar">
        {props.kinds.length > 1 && (
          <select aria-label="Search in" value={kind} onChange={(e) => setKind(e.target.value as 'user' | 'group')}>
            <option value="user">Users</option>
            <option value="group">Groups</option>
          </select>
        )}
        <input type="search" aria-label={props.label} placeholder={props.label} value={text}
          onChange={(e) => setText(e.target.value)} />
      </div>
      <ErrorMessage error={error} />
      {results.length === 0 && !error && <p className="empty">No {kind === 'user' ? 'users' : 'groups'} match.</p>}
      <ul className="picker-results" aria-label="Search results">
        {results.map((p) => (
          <li key={p.item.id}>
            <span>
              <strong>{principalName(p)}</strong>
              {p.type === 'user' && <span className="muted"> {p.item.userName}{p.item.email && p.item.email !== p.item.userName ? ` · ${p.item.email}` : ''}{p.item.active ? '' : ' · inactive'}</span>}
            </span>
            <button type="button" onClick={() => props.onPick(p)} aria-label={`${props.actionLabel} ${principalName(p)}`}>
              {props.actionLabel}
            </button>
          </li>
        ))}
      </ul>
      {total > results.length && <p className="muted">Showing {results.length} of {total}; refine the search.</p>}
    </div>
  );
}
