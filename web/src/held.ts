// The held-record review's pure parts: why an item was held, in a sentence; a record's or a
// user's name; an attribute path as people read it; and what approving sends.
import type { HeldItem, HeldUser } from './api';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:';

export function heldReason(item: HeldItem): string {
  switch (item.reason) {
    case 'unmatched':
      return 'No portal user matches this record.';
    case 'ambiguous':
      return `Several portal users match${item.rule ? ` by ${item.rule}` : ''}: choose one, or create a new user.`;
    case 'already_linked':
      return `The matching portal user is already linked to another source account${item.linked_source_id ? ` (${item.linked_source_id})` : ''}.`;
    case 'attribute_change':
      return 'The source changed attributes that wait for approval.';
  }
  return item.message;
}

export function userLabel(u: HeldUser | undefined): string {
  if (!u) return '';
  if (u.missing) return `${u.id} (deleted)`;
  return u.displayName || u.userName || u.id;
}

// The record's user name, else its display name, else the source id.
export function recordLabel(item: HeldItem): string {
  const r = item.record ?? {};
  const pick = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : '');
  return pick('userName') || pick('displayName') || item.source_name || item.source_id;
}

export function pathLabel(path: string): string {
  return path.startsWith(ENTERPRISE) ? `${path.slice(ENTERPRISE.length)} (enterprise)` : path;
}

export function showValue(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export type Decision =
  | { kind: 'create' }
  | { kind: 'link'; userId: string }
  | { kind: 'apply' };

export function approveBody(d: Decision): { action: string; user_id?: string } {
  return d.kind === 'link' ? { action: 'link', user_id: d.userId } : { action: d.kind };
}

// URL path segment for a source id (an LDAP DN has commas and spaces).
export function heldPath(appId: string, sourceId: string, verb: 'approve' | 'reject'): string {
  return `/applications/${appId}/held/${encodeURIComponent(sourceId)}/${verb}`;
}
