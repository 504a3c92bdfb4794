import { useState, type FormEvent } from 'react';
import { api, setCsrf, type Admin } from '../api';
import { ErrorMessage, Field } from '../components/ui';
import { describeError } from '../errors';

export function SignInPage({ onSignedIn }: { onSignedIn: (admin: Admin) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ csrf_token: string; admin: Admin }>('POST', '/session', { email, password });
      setCsrf(r.csrf_token);
      onSignedIn(r.admin);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form onSubmit={submit} className="card" aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Provisio</h1>
        <ErrorMessage error={error} />
        <Field label="Email">
          {(id) => (
            <input id={id} type="email" autoComplete="username" required value={email}
              onChange={(e) => setEmail(e.target.value)} autoFocus />
          )}
        </Field>
        <Field label="Password">
          {(id) => (
            <input id={id} type="password" autoComplete="current-password" required value={password}
              onChange={(e) => setPassword(e.target.value)} />
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
