// API errors as people read them: a sentence per stable error code, the field it concerns,
// and the position inside an expression where the API gives one.
import { ApiError } from './api';

const MESSAGES: Record<string, string> = {
  invalid_credentials: 'The email or password is not right.',
  too_many_attempts: 'Too many sign-in attempts. Wait a few minutes and try again.',
  unauthenticated: 'Your session has ended. Please sign in again.',
  session_expired: 'Your session has ended. Please sign in again.',
  permission_denied: 'Your role does not allow this.',
  csrf_failed: 'This page lost its security token. Sign out and sign in again.',
  wrong_password: 'The current password is not right.',
  weak_password: 'That password is too weak: use a longer passphrase.',
  uniqueness: 'That name is already taken.',
  connection_in_use: 'Applications still use this connection.',
  connection_required: 'This needs a connection first.',
  invalid_state: 'The application is not in a state that allows this.',
  not_implemented: 'This is not available on this server yet.',
  network_error: 'The server cannot be reached.',
  last_super_admin: 'The last Super Admin cannot be demoted, disabled or deleted.',
  not_held: 'This is no longer held for review: it was decided already, or the import changed it.',
  already_linked: 'That user is already linked to another account of this application.',
  import_running: 'An import of this application is running: decide once it has finished.',
};

export function describeError(e: unknown): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const base = MESSAGES[e.code] ?? e.message;
  const parts = [base];
  const field = e.details['field'];
  if (typeof field === 'string' && !base.includes(field)) parts.push(`(field: ${field})`);
  const position = e.details['position'];
  if (typeof position === 'number') parts.push(`at position ${position}`);
  // Keep the server's own words when our sentence replaced them, for the precise cause.
  if (MESSAGES[e.code] && e.message && e.message !== base && e.code !== 'invalid_credentials') {
    parts.push(`— ${e.message}`);
  }
  return parts.join(' ');
}

export function errorField(e: unknown): string | undefined {
  if (!(e instanceof ApiError)) return undefined;
  const f = e.details['field'];
  return typeof f === 'string' ? f : undefined;
}
