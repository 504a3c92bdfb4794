// The mapping preview's pure parts: what the editor sends (its unsaved rows only when they
// differ from what is saved) and how a previewed value or error reads.
import type { Mapping, MappingPreview, PreviewRow } from './api';

export function sameMappings(a: Mapping[], b: Mapping[]): boolean {
  return a.length === b.length &&
    a.every((m, i) => m.target === b[i].target && m.source === b[i].source && m.strength === b[i].strength);
}

// The request body: the saved mappings are previewed by omitting "mappings".
export function previewRequest(userId: string, rows: Mapping[], saved: Mapping[]): { user_id: string; mappings?: Mapping[] } {
  return sameMappings(rows, saved) ? { user_id: userId } : { user_id: userId, mappings: rows };
}

// A value as the preview shows it: JSON (strings quoted), null as not sent, or the error.
export function previewValue(row: PreviewRow): string {
  if (row.error) return `error: ${row.error}`;
  const v = row.value;
  if (v === null || v === undefined) return '(null: not sent)';
  return JSON.stringify(v);
}

// One line about whether the engine would provision this user at all.
export function previewScope(p: MappingPreview): string {
  if (!p.assigned) return 'Not assigned to this application: the engine would not provision this user.';
  if (!p.in_scope) return 'Assigned, but outside the scoping filter: the engine would not provision this user.';
  if (p.errors > 0) return 'Assigned and in scope, but the engine cannot provision this user until the errors below are fixed.';
  return 'Assigned and in scope: the engine would provision this user with these values.';
}
