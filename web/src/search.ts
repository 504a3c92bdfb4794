// Searching and paging lists: SCIM filters for the Users and Groups pages (served by the
// directory's SCIM filter engine), SCIM's 1-based startIndex paging, and the audit log's
// "before" cursor paging.

// A SCIM string literal: backslashes and quotes escaped (RFC 7644 §3.4.2.2 uses JSON strings).
export function scimString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export type UserSearchField = 'any' | 'userName' | 'displayName' | 'email';
export type StatusFilter = '' | 'active' | 'inactive';

// "any" looks in user name, display name and email; userName matches from its start (people
// type the beginning of a login); the others match anywhere.
export function userFilter(field: UserSearchField, text: string, status: StatusFilter = ''): string {
  const t = text.trim();
  const parts: string[] = [];
  if (t) {
    const v = scimString(t);
    switch (field) {
      case 'userName': parts.push(`userName sw ${v}`); break;
      case 'displayName': parts.push(`displayName co ${v}`); break;
      case 'email': parts.push(`emails.value co ${v}`); break;
      default: parts.push(`userName co ${v} or displayName co ${v} or emails.value co ${v}`);
    }
  }
  if (status) parts.push(`active eq ${status === 'active' ? 'true' : 'false'}`);
  return and(parts);
}

export function groupFilter(text: string, match: 'co' | 'sw' = 'co'): string {
  const t = text.trim();
  return t ? `displayName ${match} ${scimString(t)}` : '';
}

// Joins conditions with "and", parenthesising any that contain an "or" (SCIM gives "and"
// precedence over "or", so `a or b and c` would not mean what a search box means).
export function and(parts: string[]): string {
  const kept = parts.filter((p) => p.trim());
  if (kept.length <= 1) return kept[0] ?? '';
  return kept.map((p) => (/\sor\s/i.test(p) ? `(${p})` : p)).join(' and ');
}

// SCIM paging: startIndex is 1-based; pages are `count` long.
export interface PageInfo {
  page: number;   // 1-based
  pages: number;  // at least 1
  from: number;   // first item shown, 1-based (0 when there is none)
  to: number;     // last item shown
  hasPrev: boolean;
  hasNext: boolean;
}

export function startIndexOf(page: number, count: number): number {
  return (Math.max(1, Math.floor(page)) - 1) * count + 1;
}

export function pageInfo(total: number, startIndex: number, count: number, shown: number): PageInfo {
  const pages = Math.max(1, Math.ceil(total / count));
  const page = Math.min(pages, Math.floor((Math.max(1, startIndex) - 1) / count) + 1);
  const from = shown > 0 ? startIndex : 0;
  const to = shown > 0 ? startIndex + shown - 1 : 0;
  return { page, pages, from, to, hasPrev: startIndex > 1, hasNext: startIndex - 1 + shown < total };
}

// The audit log pages backwards by id: each page gives `next_before` for the older one. The
// stack holds the cursors of the pages already seen, so "Newer" goes back exactly.
export interface CursorStack {
  current: number | undefined; // the `before` of the page shown; undefined for the newest
  previous: (number | undefined)[];
}

export const firstPage: CursorStack = { current: undefined, previous: [] };

export function older(s: CursorStack, nextBefore: number | null | undefined): CursorStack {
  if (nextBefore === null || nextBefore === undefined) return s;
  return { current: nextBefore, previous: [...s.previous, s.current] };
}

export function newer(s: CursorStack): CursorStack {
  if (s.previous.length === 0) return s;
  return { current: s.previous[s.previous.length - 1], previous: s.previous.slice(0, -1) };
}
