// Client-side routes on the History API: the server answers index.html for any path that is
// not a file, so deep links and reloads work.
import { useEffect, useState } from 'react';

export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return path;
}

// "/applications/:id" against "/applications/abc" → {id: "abc"}; null when it does not match.
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

// List pages keep their search and page in the query string (replaceState, not a new history
// entry), so Back from a detail page, a reload or a shared link shows the same list. Values
// equal to their default are left out of the URL.
export function readQuery<T extends Record<string, string>>(defaults: T, search: string): T {
  const q = new URLSearchParams(search);
  const out = { ...defaults };
  for (const k of Object.keys(defaults) as (keyof T & string)[]) {
    const v = q.get(k);
    if (v !== null) out[k] = v as T[typeof k];
  }
  return out;
}

export function writeQuery<T extends Record<string, string>>(values: T, defaults: T): string {
  const q = new URLSearchParams();
  for (const k of Object.keys(defaults)) {
    if (values[k] !== defaults[k]) q.set(k, values[k]);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function useQueryState<T extends Record<string, string>>(defaults: T): [T, (patch: Partial<T>) => void] {
  const [values, setValues] = useState<T>(() => readQuery(defaults, location.search));
  const update = (patch: Partial<T>) => {
    setValues((old) => {
      const next = { ...old, ...patch } as T;
      history.replaceState(null, '', location.pathname + writeQuery(next, defaults));
      return next;
    });
  };
  return [values, update];
}

// A value that follows `value` once it has stopped changing for `ms`.
export function useDebounced<T>(value: T, ms = 250): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}
