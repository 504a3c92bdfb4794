import { api, type Admin } from '../api';
import { ErrorMessage } from '../components/ui';
import { useLoad } from '../hooks';
import { ROLE_LABELS, isSuperAdmin, useSession } from '../session';

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

function AdminList() {
  const admins = useLoad(() => api<{ items: Admin[] }>('GET', '/admins'), []);
  return (
    <section aria-labelledby="admins-title">
      <h1 id="admins-title">Admins</h1>
      <ErrorMessage error={admins.error} />
      {admins.data && (
        <table>
          <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th></tr></thead>
          <tbody>
            {admins.data.items.map((a) => (
              <tr key={a.id}>
                <td>{a.email}</td>
                <td>{ROLE_LABELS[a.role]}</td>
                <td>{a.disabled ? 'disabled' : 'active'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
