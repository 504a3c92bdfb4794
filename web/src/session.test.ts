import { describe, expect, it } from 'vitest';
import { assignableRoles, canWrite, isSuperAdmin } from './session';

describe('what a role is offered', () => {
  it('gives API tokens no role above one\'s own', () => {
    expect(assignableRoles('operator')).toEqual(['operator']);
    expect(assignableRoles('admin')).toEqual(['operator', 'admin']);
    expect(assignableRoles('super-admin')).toEqual(['operator', 'admin', 'super-admin']);
  });
  it('lets only Admins and Super Admins write, only Super Admins manage admins', () => {
    expect(canWrite('operator')).toBe(false);
    expect(canWrite('admin')).toBe(true);
    expect(isSuperAdmin('admin')).toBe(false);
  });
});
