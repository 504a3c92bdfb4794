import { useCallback, useEffect, useState } from 'react';
import { api, setCsrf, setUnauthenticatedHandler, type Admin, type Role } from './api';
import { Link } from './components/ui';
import { AccountPage } from './pages/Account';
import { AdminsPage } from './pages/Admins';
import { AuditPage } from './pages/Audit';
import { ApplicationPage } from './pages/Application';
import { ApplicationsPage } from './pages/Applications';
import { ConnectionPage } from './pages/Connection';
import { ConnectionsPage } from './pages/Connections';
import { GroupPage } from './pages/Group';
import { GroupsPage } from './pages/Groups';
import { UserPage } from './pages/User';
import { NewUserPage, UsersPage } from './pages/Users';
import { NewApplicationPage } from './pages/NewApplication';
import { SignInPage } from './pages/SignIn';
import { StatusPage } from './pages/Status';
import { TokensPage } from './pages/Tokens';
import { match, navigate, usePath } from './router';
import { ROLE_LABELS, SessionContext, isSuperAdmin, type SessionInfo } from './session';

interface WhoAmI {
  role: Role;
  admin?: Admin;
}

export function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const path = usePath();

  const load = useCallback(async () => {
    try {
      const me = await api<WhoAmI>('GET', '/session');
      if (!me.admin) throw new Error('not a session');
      setSession({ admin: me.admin, role: me.role });
    } catch {
      setSession(null);
    }
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => setSession(null));
    void load();
  }, [load]);

  if (session === undefined) return <p className="loading">Loading…</p>;
  if (session === null) {
    return (
      <SignInPage
        onSignedIn={(admin) => {
          setSession({ admin, role: admin.role });
          if (path === '/' || path === '/signin') navigate('/applications');
        }}
      />
    );
  }

  const signOut = async () => {
    try {
      await api('DELETE', '/session');
    } finally {
      setCsrf(null);
      setSession(null);
      navigate('/');
    }
  };

  let page;
  let m: Record<string, string> | null;
  if (path === '/' || path === '/applications' || path === '/signin') page = <ApplicationsPage />;
  else if (path === '/applications/new') page = <NewApplicationPage />;
  else if ((m = match('/applications/:id', path))) page = <ApplicationPage id={m.id} tab="overview" />;
  else if ((m = match('/applications/:id/:tab', path))) page = <ApplicationPage id={m.id} tab={m.tab} />;
  else if (path === '/users') page = <UsersPage />;
  else if (path === '/users/new') page = <NewUserPage />;
  else if ((m = match('/users/:id', path))) page = <UserPage key={m.id} id={m.id} />;
  else if (path === '/groups') page = <GroupsPage />;
  else if ((m = match('/groups/:id', path))) page = <GroupPage key={m.id} id={m.id} />;
  else if (path === '/connections') page = <ConnectionsPage />;
  else if ((m = match('/connections/:id', path))) page = <ConnectionPage key={m.id} id={m.id} />;
  else if (path === '/status') page = <StatusPage />;
  else if (path === '/tokens') page = <TokensPage />;
  else if (path === '/audit') page = <AuditPage />;
  else if (path === '/admins') page = <AdminsPage />;
  else if (path === '/account') page = <AccountPage />;
  else page = <p>There is no page at {path}.</p>;

  const navItem = (to: string, label: string) => (
    <li>
      <Link to={to} className={path.startsWith(to) ? 'active' : undefined}>
        {label}
      </Link>
    </li>
  );

  return (
    <SessionContext.Provider value={session}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Provisio</span>
        <nav aria-label="Main">
          <ul>
            {navItem('/applications', 'Applications')}
            {navItem('/users', 'Users')}
            {navItem('/groups', 'Groups')}
            {navItem('/connections', 'Connections')}
            {navItem('/status', 'Status')}
            {navItem('/tokens', 'Tokens')}
            {navItem('/audit', 'Audit log')}
            {isSuperAdmin(session.role) && navItem('/admins', 'Admins')}
          </ul>
        </nav>
        <div className="me">
          <Link to="/account">{session.admin.email}</Link>
          <span className="role" data-testid="role">
            {ROLE_LABELS[session.role]}
          </span>
          <button type="button" className="link-button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">{page}</main>
    </SessionContext.Provider>
  );
}
