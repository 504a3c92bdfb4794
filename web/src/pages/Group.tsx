// One portal group: rename it, and add or remove members (Admins); the members listed with
// their names.
import { useState, type FormEvent } from 'react';
import { api, type GroupMember } from '../api';
import { DirectoryPicker } from '../components/DirectoryPicker';
import { Empty, ErrorMessage, Field, Link, Notice, StateBadge } from '../components/ui';
import { describeError } from '../errors';
import { useLoad } from '../hooks';
import { memberOps, patchBody, type PatchOp } from '../patches';
import { canWrite, useSession } from '../session';

interface GroupDetail {
  group: { id: string; displayName: string; externalId?: string };
  members: GroupMember[];
  members_total: number;
}

const memberName = (m: GroupMember) => m.displayName || m.userName || m.id;

export function GroupPage({ id }: { id: string }) {
  const { role } = useSession();
  const write = canWrite(role);
  const detail = useLoad(() => api<GroupDetail>('GET', `/groups/${id}`), [id]);
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (detail.error) return <ErrorMessage error={detail.error} />;
  if (!detail.data) return <p className="loading">Loading…</p>;
  const g = detail.data.group;
  const members = detail.data.members;
  const shownName = name ?? g.displayName;

  const patch = async (ops: PatchOp[], done: string) => {
    setError(null);
    setNotice(null);
    if (!ops.length) return;
    try {
      await api('PATCH', `/groups/${id}`, patchBody(ops));
      setName(null);
      await detail.reload();
      setNotice(done);
    } catch (e) {
      setError(describeError(e));
    }
  };

  const rename = (e: FormEvent) => {
    e.preventDefault();
    if (!shownName.trim()) {
      setError('Enter a name.');
      return;
    }
    void patch(shownName.trim() === g.displayName ? [] : [{ op: 'replace', path: 'displayName', value: shownName.trim() }], 'Group renamed.');
  };

  return (
    <section aria-labelledby="group-title">
      <p className="crumbs"><Link to="/groups">Groups</Link> › {g.displayName}</p>
      <h1 id="group-title">{g.displayName}</h1>
      <ErrorMessage error={error} />
      {notice && <Notice>{notice}</Notice>}
      <div className="grid2">
        <div className="card">
          <h2>Members ({detail.data.members_total})</h2>
          {members.length === 0 && <Empty>No members yet.</Empty>}
          {members.length > 0 && (
            <table data-testid="members">
              <thead><tr><th scope="col">Name</th><th scope="col">User name</th><th scope="col">Status</th>{write && <th scope="col"><span className="sr-only">Actions</span></th>}</tr></thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.id}>
                    <td>{m.type === 'User' ? <Link to={`/users/${m.id}`}>{memberName(m)}</Link> : <Link to={`/groups/${m.id}`}>{memberName(m)} (group)</Link>}</td>
                    <td>{m.userName ?? '—'}</td>
                    <td>{m.type === 'User' ? <StateBadge state={m.active ? 'active' : 'disabled'} /> : '—'}</td>
                    {write && (
                      <td><button type="button" className="danger" aria-label={`Remove ${memberName(m)}`}
                        onClick={() => patch(memberOps([], [m.id]), `Removed ${memberName(m)}.`)}>Remove</button></td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {detail.data.members_total > members.length && (
            <p className="muted">Showing the first {members.length} of {detail.data.members_total} members.</p>
          )}
        </div>
        {write && (
          <div>
            <form className="card" onSubmit={rename} noValidate aria-label="Rename group">
              <h2>Name</h2>
              <Field label="Group name">
                {(fid) => <input id={fid} value={shownName} onChange={(e) => setName(e.target.value)} />}
              </Field>
              <button type="submit" className="primary">Save name</button>
            </form>
            <div className="card">
              <h2>Add members</h2>
              <DirectoryPicker kinds={['user']} label="Search users to add" actionLabel="Add"
                onPick={(p) => {
                  if (members.some((m) => m.id === p.item.id)) {
                    setNotice(`${p.type === 'user' ? p.item.displayName || p.item.userName : p.item.displayName} is already a member.`);
                    return;
                  }
                  void patch(memberOps([p.item.id], []), `Added ${p.type === 'user' ? p.item.displayName || p.item.userName : p.item.displayName}.`);
                }} />
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
