// Who is signed in, and what their role lets the console offer. The API refuses anyway;
// hiding only keeps people from buttons that cannot work for them.
import { createContext, useContext } from 'react';
import type { Admin, Role } from './api';

export interface SessionInfo {
  admin: Admin;
  role: Role;
}

export const SessionContext = createContext<SessionInfo | null>(null);

export function useSession(): SessionInfo {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a session');
  return s;
}

export const ROLE_LABELS: Record<Role, string> = {
  'super-admin': 'Super Admin',
  admin: 'Admin',
  operator: 'Operator',
};

export function canWrite(role: Role): boolean {
  return role === 'super-admin' || role === 'admin';
}

export function isSuperAdmin(role: Role): boolean {
  return role === 'super-admin';
}

const RANK: Record<Role, number> = { operator: 1, admin: 2, 'super-admin': 3 };

// The roles one may give an API token: never above one's own.
export function assignableRoles(role: Role): Role[] {
  return (['operator', 'admin', 'super-admin'] as Role[]).filter((r) => RANK[r] <= RANK[role]);
}
