import { describe, expect, it } from 'vitest';
import { ApiError, type HeldItem } from './api';
import { describeError } from './errors';
import { approveBody, heldPath, heldReason, pathLabel, recordLabel, showValue, userLabel } from './held';

const item = (over: Partial<HeldItem>): HeldItem => ({
  source_id: 's1', source_name: '', kind: 'record', reason: 'unmatched', message: '',
  record: { userName: 'ann@example.com' }, run_id: 'r', updated: '', ...over,
});

describe('held records', () => {
  it('explains the review conflicts', () => {
    const e = new ApiError(409, { code: 'already_linked', message: 'the user is linked to another source account (s9)', details: { field: 'user_id' } });
    expect(describeError(e)).toBe('That user is already linked to another account of this application. (field: user_id) — the user is linked to another source account (s9)');
    expect(describeError(new ApiError(409, { code: 'import_running', message: 'x' }))).toMatch(/^An import of this application is running/);
  });
  it('says why each item was held', () => {
    expect(heldReason(item({}))).toBe('No portal user matches this record.');
    expect(heldReason(item({ reason: 'ambiguous', rule: 'email' }))).toMatch(/^Several portal users match by email/);
    expect(heldReason(item({ reason: 'already_linked', linked_source_id: 's9' }))).toContain('(s9)');
    expect(heldReason(item({ kind: 'change', reason: 'attribute_change' }))).toMatch(/wait for approval/);
  });
  it('names records, users and attributes', () => {
    expect(recordLabel(item({}))).toBe('ann@example.com');
    expect(recordLabel(item({ record: null, source_name: 'cn=Ann,dc=x' }))).toBe('cn=Ann,dc=x');
    expect(recordLabel(item({ record: null }))).toBe('s1');
    expect(userLabel({ id: 'u1', displayName: 'Ann', userName: 'ann' })).toBe('Ann');
    expect(userLabel({ id: 'u1', missing: true })).toBe('u1 (deleted)');
    expect(pathLabel('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department')).toBe('department (enterprise)');
    expect(pathLabel('title')).toBe('title');
    expect(showValue(null)).toBe('(none)');
    expect(showValue('Engineer')).toBe('Engineer');
    expect(showValue({ value: 'm1' })).toBe('{"value":"m1"}');
  });
  it('sends the decision the API expects', () => {
    expect(approveBody({ kind: 'create' })).toEqual({ action: 'create' });
    expect(approveBody({ kind: 'link', userId: 'u7' })).toEqual({ action: 'link', user_id: 'u7' });
    expect(approveBody({ kind: 'apply' })).toEqual({ action: 'apply' });
    expect(heldPath('a1', 'cn=Ann Lee,dc=x', 'reject')).toBe('/applications/a1/held/cn%3DAnn%20Lee%2Cdc%3Dx/reject');
  });
});
