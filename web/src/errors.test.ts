import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { describeError, errorField } from './errors';
import { mappingErrorRow } from './pages/app/Mappings';

describe('API error display', () => {
  it('turns known codes into sentences', () => {
    const e = new ApiError(401, { code: 'invalid_credentials', message: 'invalid credentials' });
    expect(describeError(e)).toBe('The email or password is not right.');
  });
  it('keeps the server message for unknown codes and names the field', () => {
    const e = new ApiError(400, { code: 'invalid_url', message: 'base_url is not a URL', details: { field: 'base_url' } });
    expect(describeError(e)).toBe('base_url is not a URL');
    expect(errorField(e)).toBe('base_url');
    const f = new ApiError(400, { code: 'missing_field', message: 'missing', details: { field: 'name' } });
    expect(describeError(f)).toBe('missing (field: name)');
  });
  it('shows the position and row of an invalid mapping', () => {
    const e = new ApiError(400, {
      code: 'invalid_mapping', message: 'invalid expression at position 7: unknown attribute',
      details: { field: 'items[2].source', position: 7 },
    });
    expect(describeError(e)).toContain('at position 7');
    expect(mappingErrorRow(e)).toBe(2);
  });
  it('adds the precise cause to a friendly sentence', () => {
    const e = new ApiError(403, { code: 'permission_denied', message: 'operator may not applications.manage' });
    expect(describeError(e)).toBe('Your role does not allow this. — operator may not applications.manage');
  });
  it('describes plain errors', () => {
    expect(describeError(new Error('boom'))).toBe('boom');
  });
});
