import { useState } from 'react';
import { api, type Application, type Assignment } from '../../api';
import { DirectoryPicker, principalName } from '../../components/DirectoryPicker';
import { Empty, ErrorMessage, Notice } from '../../components/ui';
import { describeError } from '../../errors';
import { useLoad } from '../../hooks';
import { canWrite, useSession } from '../../session';
import type { Names } from '../Application';

export function AssignmentsTab({ app, names }: { app: Application; names: Names }) {
  const { role } = useSession();
  const list = useLoad(() => api<{ items: Assignment[] }>('GET', `/applications/${app.id}/assignments`), [app.id]);
  const ents = useLoad(
    () => api<{ items: { id: string; kind?: string; display_name?: string }[] }>('GET', `/applications/${app.id}/entitlements`)
      .catch(() => ({ items: [] })),
    [app.id],
  );
  // One choice per kind (a profile and a role, an org unit and an admin role, ...).
  const [selected, setSelected] = useState<Record<string, string>>({});
  const byKind = groupByKind(ents.data?.items ?? []);
  const entName = (id: string) => {
    const e = ents.data?.items.find((x) => x.id === id);
    return e ? `${e.display_name || e.id}${e.kind ? ` (${KIND_LABELS[e.kind] ?? e.kind})` : ''}` : id;
  };
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [filter, setFilter] = useState('');

  const nameOf = (a: Assignment) => (a.user_id ? names.user(a.user_id) : names.group(a.group_id ?? ''));
  const shown = (list.data?.items ?? []).filter((a) => nameOf(a).toLowerCase().includes(filter.toLowerCase()));

  const remove = async (a: Assignment) => {
    setError(null);
    try {
      await api('DELETE', `/applications/${app.id}/assignments/${a.id}`);
      setNotice(`Unassigned ${nameOf(a)}.`);
      await list.reload();
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <div className="grid2">
      <div className="card">
        <h2>Assigned users and groups</h2>
        <ErrorMessage error={list.error ?? error} />
        {notice && <Notice>{notice}</Notice>}
        <input type="search" aria-label="Filter assignments" placeholder="Filter assignments"
          value={filter} onChange={(e) => setFilter(e.target.value)} />
        {list.data?.items.length === 0 && <Empty>Nobody is assigned yet: assigned users get an account.</Empty>}
        {shown.length > 0 && (
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Role / profile</th>{canWrite(role) && <th scope="col"><span className="sr-only">Actions</span></th>}</tr></thead>
            <tbody>
              {shown.map((a) => (
                <tr key={a.id}>
                  <td>{nameOf(a)}</td>
                  <td>{a.user_id ? 'User' : 'Group'}</td>
                  <td>{a.entitlements.map(entName).join(', ') || '—'}</td>
                  {canWrite(role) && (
                    <td><button type="button" className="danger" onClick={() => remove(a)} aria-label={`Unassign ${nameOf(a)}`}>Unassign</button></td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {canWrite(role) && (
        <div className="card">
          <h2>Assign</h2>
          {Object.entries(byKind).map(([kind, items]) => (
            <label className="stack" key={kind}>
              {KIND_LABELS[kind] ?? kind} (from imported entitlements)
              <select value={selected[kind] ?? ''} onChange={(e) => setSelected({ ...selected, [kind]: e.target.value })}>
                <option value="">None</option>
                {items.map((x) => <option key={x.id} value={x.id}>{x.display_name || x.id}</option>)}
              </select>
            </label>
          ))}
          <DirectoryPicker kinds={['user', 'group']} label="Search users or groups" actionLabel="Assign"
            onPick={async (p) => {
              setError(null);
              setNotice(null);
              try {
                await api('POST', `/applications/${app.id}/assignments`, {
                  [p.type === 'user' ? 'user_id' : 'group_id']: p.item.id,
                  entitlements: Object.values(selected).filter(Boolean),
                });
                setNotice(`Assigned ${principalName(p)}.`);
                await list.reload();
              } catch (e) {
                setError(describeError(e));
              }
            }} />
        </div>
      )}
    </div>
  );
}

const KIND_LABELS: Record<string, string> = {
  profile: 'Profile',
  role: 'Role',
  permission_set: 'Permission set',
  org_unit: 'Org unit',
  group: 'Group',
  license: 'Licence',
};

type Ent = { id: string; kind?: string; display_name?: string };

// Imported entitlements by kind, in the order the API lists them.
export function groupByKind(items: Ent[]): Record<string, Ent[]> {
  const out: Record<string, Ent[]> = {};
  for (const x of items) (out[x.kind || 'entitlement'] ??= []).push(x);
  return out;
}
