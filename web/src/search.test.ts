import { describe, expect, it } from 'vitest';
import { and, firstPage, groupFilter, newer, older, pageInfo, scimString, startIndexOf, userFilter } from './search';

describe('SCIM filters for the Users and Groups pages', () => {
  it('escapes quotes and backslashes in literals', () => {
    expect(scimString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
  it('searches one field or all of them', () => {
    expect(userFilter('any', '  ')).toBe('');
    expect(userFilter('userName', 'ali')).toBe('userName sw "ali"');
    expect(userFilter('displayName', 'Lid')).toBe('displayName co "Lid"');
    expect(userFilter('email', '@example.com')).toBe('emails.value co "@example.com"');
    expect(userFilter('any', 'bob')).toBe('userName co "bob" or displayName co "bob" or emails.value co "bob"');
  });
  it('adds the status, keeping an "or" search grouped', () => {
    expect(userFilter('any', '', 'inactive')).toBe('active eq false');
    expect(userFilter('userName', 'a', 'active')).toBe('userName sw "a" and active eq true');
    expect(userFilter('any', 'x', 'active'))
      .toBe('(userName co "x" or displayName co "x" or emails.value co "x") and active eq true');
  });
  it('joins conditions', () => {
    expect(and([])).toBe('');
    expect(and(['', 'a eq 1'])).toBe('a eq 1');
    expect(and(['a eq 1 or b eq 2', 'c eq 3'])).toBe('(a eq 1 or b eq 2) and c eq 3');
  });
  it('builds group filters', () => {
    expect(groupFilter('')).toBe('');
    expect(groupFilter(' Eng ')).toBe('displayName co "Eng"');
    expect(groupFilter('Eng', 'sw')).toBe('displayName sw "Eng"');
  });
});

describe('SCIM paging', () => {
  it('maps pages to 1-based start indexes', () => {
    expect(startIndexOf(1, 20)).toBe(1);
    expect(startIndexOf(3, 20)).toBe(41);
    expect(startIndexOf(0, 20)).toBe(1);
  });
  it('describes the page shown', () => {
    expect(pageInfo(0, 1, 20, 0)).toEqual({ page: 1, pages: 1, from: 0, to: 0, hasPrev: false, hasNext: false });
    expect(pageInfo(45, 1, 20, 20)).toEqual({ page: 1, pages: 3, from: 1, to: 20, hasPrev: false, hasNext: true });
    expect(pageInfo(45, 21, 20, 20)).toMatchObject({ page: 2, from: 21, to: 40, hasPrev: true, hasNext: true });
    expect(pageInfo(45, 41, 20, 5)).toMatchObject({ page: 3, from: 41, to: 45, hasPrev: true, hasNext: false });
    expect(pageInfo(40, 21, 20, 20).hasNext).toBe(false);
  });
  it('clamps a start index past the end to the last page', () => {
    expect(pageInfo(10, 101, 20, 0)).toMatchObject({ page: 1, pages: 1, from: 0, hasPrev: true, hasNext: false });
  });
});

describe('audit log cursor paging', () => {
  it('goes older and back newer exactly', () => {
    let s = firstPage;
    s = older(s, 900);
    s = older(s, 800);
    expect(s).toEqual({ current: 800, previous: [undefined, 900] });
    s = newer(s);
    expect(s.current).toBe(900);
    s = newer(s);
    expect(s).toEqual(firstPage);
    expect(newer(s)).toBe(s);
  });
  it('stays on the last page when there is no older one', () => {
    const s = older(firstPage, 5);
    expect(older(s, null)).toBe(s);
  });
});
