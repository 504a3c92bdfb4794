// API and SCIM tokens: list, issue (the token is shown once, here, and never again), revoke.
// API tokens: everyone reads (an Admin sees its own), Admins issue them with a role no higher
// than their own. SCIM tokens, for HR systems and identity providers: Super Admin only.
import { useState, type FormEvent } from 'react';
import { api, type Role, type Token } from '../api';
import { Empty, ErrorMessage, Field, Notice, StateBadge } from '../components/ui';
import { describeError } from '../errors';
import { useLoad } from '../hooks';
import { ROLE_LABELS, assignableRoles, canWrite, isSuperAdmin, useSession } from '../session';

export function TokensPage() {
  const { role } = useSession();
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">API and SCIM tokens</h1>
      <TokenSection kind="api" />
      {isSuperAdmin(role) && <TokenSection kind="scim" />}
      {!canWrite(role) && <p className="muted">Your role reads tokens; issuing and revoking them needs an Admin.</p>}
    </section>
  );
}

function TokenSection({ kind }: { kind: 'api' | 'scim' }) {
  const { role, admin } = useSession();
  const path = kind === 'api' ? '/api-tokens' : '/scim-tokens';
  const title = kind === 'api' ? 'API tokens' : 'SCIM tokens';
  const list = useLoad(() => api<{ items: Token[] }>('GET', path), [path]);
  const write = kind === 'api' ? canWrite(role) : isSuperAdmin(role);
  const [name, setName] = useState('');
  const [tokenRole, setTokenRole] = useState<Role>('operator');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const [issued, setIssued] = useState<Token | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    if (!name.trim()) {
      setNameError('Enter a name that says who uses it.');
      return;
    }
    setNameError(undefined);
    try {
      const body = kind === 'api' ? { name: name.trim(), role: tokenRole } : { name: name.trim() };
      setIssued(await api<Token>('POST', path, body));
      setCopied(false);
      setName('');
      await list.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };

  const revoke = async (t: Token) => {
    setError(null);
    setNotice(null);
    try {
      await api('DELETE', `${path}/${t.id}`);
      if (issued?.id === t.id) setIssued(null);
      await list.reload();
      setNotice(`Revoked ${t.name}.`);
    } catch (err) {
      setError(describeError(err));
    }
  };

  const items = list.data?.items ?? [];
  return (
    <div className="card" data-testid={`${kind}-tokens`}>
      <h2>{title}</h2>
      <p className="muted">
        {kind === 'api'
          ? 'For scripts calling /api/v1 with "Authorization: Bearer <token>"; a token acts with its role, never above its creator\'s.'
          : 'For an HR system or identity provider pushing users to /scim/v2.'}
      </p>
      <ErrorMessage error={list.error ?? error} />
      {notice && <Notice>{notice}</Notice>}
      {issued && (
        <div className="token-once" role="status" data-testid="issued-token">
          <strong>Token “{issued.name}” issued. Copy it now: it is shown only this once.</strong>
          <code>{issued.token}</code>
          <div className="actions">
            <button type="button" onClick={async () => {
              try { await navigator.clipboard.writeText(issued.token ?? ''); setCopied(true); } catch { setCopied(false); }
            }}>{copied ? 'Copied' : 'Copy'}</button>
            <button type="button" onClick={() => setIssued(null)}>I have stored it</button>
          </div>
        </div>
      )}
      {list.data && items.length === 0 && <Empty>No {title} yet.</Empty>}
      {items.length > 0 && (
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">State</th>{write && <th scope="col"><span className="sr-only">Actions</span></th>}</tr></thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id}>
                <td>{t.name}{t.created_by === admin.id && <span className="muted"> (yours)</span>}</td>
                <td>{t.role === 'scim-client' ? 'SCIM client' : ROLE_LABELS[t.role as Role] ?? t.role}</td>
                <td>{new Date(t.created).toLocaleString()}</td>
                <td>{t.last_used ? new Date(t.last_used).toLocaleString() : 'never'}</td>
                <td><StateBadge state={t.revoked ? 'revoked' : 'active'} /></td>
                {write && (
                  <td>{!t.revoked && <button type="button" className="danger" aria-label={`Revoke ${t.name}`} onClick={() => revoke(t)}>Revoke</button>}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {write && (
        <form onSubmit={create} noValidate aria-label={`Issue ${kind === 'api' ? 'an API' : 'a SCIM'} token`} className="subform">
          <h3>Issue {kind === 'api' ? 'an API' : 'a SCIM'} token</h3>
          <Field label="Token name" error={nameError}>
            {(id, d) => <input id={id} aria-describedby={d} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          {kind === 'api' && (
            <Field label="Token role" hint="No higher than your own role.">
              {(id, d) => (
                <select id={id} aria-describedby={d} value={tokenRole} onChange={(e) => setTokenRole(e.target.value as Role)}>
                  {assignableRoles(role).map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
                </select>
              )}
            </Field>
          )}
          <button type="submit" className="primary">Issue token</button>
        </form>
      )}
    </div>
  );
}
