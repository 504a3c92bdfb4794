// Admins (Super Admin only): list administrators, create one, change a role, disable or
// enable, delete. The API keeps the last active Super Admin (409 last_super_admin).
import { useState, type FormEvent } from 'react';
import { api, type Admin, type Role } from '../api';
import { ErrorMessage, Field, Notice, StateBadge } from '../components/ui';
import { describeError, errorField } from '../errors';
import { useLoad } from '../hooks';
import { ROLE_LABELS, isSuperAdmin, useSession } from '../session';
import { validateNewAdmin, type FieldErrors } from '../validation';

export function AdminsPage() {
  const { role } = useSession();
  if (!isSuperAdmin(role)) {
    return (
      <section aria-labelledby="admins-title">
        <h1 id="admins-title">Admins</h1>
        <div className="message message-error" role="alert">
          Only a Super Admin can manage administrators.
        </div>
      </section>
    );
  }
  return <AdminList />;
}

const ROLES: Role[] = ['super-admin', 'admin', 'operator'];

function AdminList() {
  const { admin: me } = useSession();
  const admins = useLoad(() => api<{ items: Admin[] }>('GET', '/admins'), []);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    let ok = false;
    try {
      await fn();
      ok = true;
    } catch (e) {
      setError(describeError(e));
    }
    setConfirming(null);
    await admins.reload();
    if (ok) setNotice(done);
  };

  return (
    <section aria-labelledby="admins-title">
      <h1 id="admins-title">Admins</h1>
      <ErrorMessage error={admins.error ?? error} />
      {notice && <Notice>{notice}</Notice>}
      <div className="grid2">
        <div>
          {admins.data && (
            <table data-testid="admins">
              <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {admins.data.items.map((a) => (
                  <tr key={a.id}>
                    <td>{a.email}{a.id === me.id && <span className="muted"> (you)</span>}</td>
                    <td>
                      <select aria-label={`Role of ${a.email}`} value={a.role}
                        onChange={(e) => {
                          const r = e.target.value as Role;
                          void act(() => api('PATCH', `/admins/${a.id}`, { role: r }), `${a.email} is now ${ROLE_LABELS[r]}.`);
                        }}>
                        {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
                      </select>
                    </td>
                    <td><StateBadge state={a.disabled ? 'disabled' : 'active'} /></td>
                    <td className="actions-cell">
                      <button type="button" aria-label={`${a.disabled ? 'Enable' : 'Disable'} ${a.email}`}
                        onClick={() => act(() => api('PATCH', `/admins/${a.id}`, { disabled: !a.disabled }),
                          `${a.email} ${a.disabled ? 'enabled' : 'disabled'}.`)}>
                        {a.disabled ? 'Enable' : 'Disable'}
                      </button>
                      {confirming === a.id ? (
                        <>
                          <button type="button" className="danger" onClick={() => act(() => api('DELETE', `/admins/${a.id}`), `${a.email} deleted.`)}>
                            Confirm delete
                          </button>
                          <button type="button" onClick={() => setConfirming(null)}>Cancel</button>
                        </>
                      ) : (
                        <button type="button" className="danger" aria-label={`Delete ${a.email}`} onClick={() => setConfirming(a.id)}>Delete</button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="muted">
            Disabling or deleting an administrator signs it out; deleting also revokes the API tokens it created.
          </p>
        </div>
        <NewAdmin onCreated={async (a) => { setNotice(`Created ${a.email}.`); await admins.reload(); }} />
      </div>
    </section>
  );
}

function NewAdmin({ onCreated }: { onCreated: (a: Admin) => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const v = validateNewAdmin(email, password);
    setErrors(v);
    if (Object.keys(v).length) return;
    try {
      const a = await api<Admin>('POST', '/admins', { email: email.trim(), role, password });
      setEmail('');
      setPassword('');
      await onCreated(a);
    } catch (err) {
      const f = errorField(err);
      if (f) setErrors({ [f]: describeError(err) });
      setError(describeError(err));
    }
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-label="Create admin">
      <h2>Create admin</h2>
      <ErrorMessage error={error} />
      <Field label="Email" error={errors.email}>
        {(id, d) => <input id={id} aria-describedby={d} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <Field label="Role">
        {(id) => (
          <select id={id} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </select>
        )}
      </Field>
      <Field label="Initial password" error={errors.password} hint="At least 12 characters. Tell it to them privately; they change it under Your account.">
        {(id, d) => <input id={id} aria-describedby={d} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <button type="submit" className="primary">Create admin</button>
    </form>
  );
}
