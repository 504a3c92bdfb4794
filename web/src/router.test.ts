import { describe, expect, it } from 'vitest';
import { match, readQuery, writeQuery } from './router';

const defaults = { q: '', field: 'any', page: '1', count: '20' };

describe('list state in the query string', () => {
  it('reads what is there and defaults the rest, ignoring unknown keys', () => {
    expect(readQuery(defaults, '?q=ali&page=3&evil=1')).toEqual({ q: 'ali', field: 'any', page: '3', count: '20' });
    expect(readQuery(defaults, '')).toEqual(defaults);
  });
  it('writes only what differs from the defaults, encoded', () => {
    expect(writeQuery(defaults, defaults)).toBe('');
    expect(writeQuery({ ...defaults, q: 'a "b"&c', page: '2' }, defaults)).toBe('?q=a+%22b%22%26c&page=2');
  });
  it('round-trips', () => {
    const v = { ...defaults, q: 'é ü', field: 'email' };
    expect(readQuery(defaults, writeQuery(v, defaults))).toEqual(v);
  });
});

describe('routes', () => {
  it('matches parameters and decodes them', () => {
    expect(match('/users/:id', '/users/a%20b')).toEqual({ id: 'a b' });
    expect(match('/users/:id', '/users/new/x')).toBeNull();
  });
});
