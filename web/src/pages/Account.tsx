import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorMessage, Field, Notice } from '../components/ui';
import { describeError } from '../errors';
import { ROLE_LABELS, useSession } from '../session';

export function AccountPage() {
  const { admin, role } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    if (next !== confirm) {
      setError('The new passwords do not match.');
      return;
    }
    try {
      await api('POST', '/session/password', { current_password: current, new_password: next });
      setDone(true);
      setCurrent('');
      setNext('');
      setConfirm('');
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <p>
        {admin.email} — <strong>{ROLE_LABELS[role]}</strong>
      </p>
      <form onSubmit={submit} className="card narrow">
        <h2>Change password</h2>
        <ErrorMessage error={error} />
        {done && <Notice>Password changed. Your other sessions were signed out.</Notice>}
        <Field label="Current password">
          {(id) => <input id={id} type="password" autoComplete="current-password" required
            value={current} onChange={(e) => setCurrent(e.target.value)} />}
        </Field>
        <Field label="New password" hint="A long passphrase is best.">
          {(id, d) => <input id={id} aria-describedby={d} type="password" autoComplete="new-password"
            required value={next} onChange={(e) => setNext(e.target.value)} />}
        </Field>
        <Field label="Repeat the new password">
          {(id) => <input id={id} type="password" autoComplete="new-password" required
            value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
        </Field>
        <button type="submit" className="primary">Change password</button>
      </form>
    </section>
  );
}
