import { describe, expect, it } from 'vitest';
import type { Mapping, MappingPreview, PreviewRow } from './api';
import { previewRequest, previewScope, previewValue, sameMappings } from './preview';
import { ApiError } from './api';
import { mappingErrorRow } from './pages/app/Mappings';

const saved: Mapping[] = [
  { target: 'userName', source: '[userName]', strength: 'strong' },
  { target: 'active', source: '[active]', strength: 'normal' },
];

describe('mapping preview', () => {
  it('previews the saved mappings when nothing was edited', () => {
    expect(previewRequest('u1', saved.map((m) => ({ ...m })), saved)).toEqual({ user_id: 'u1' });
  });
  it('sends the unsaved rows once any row changed, was added or removed', () => {
    const edited = [saved[0], { ...saved[1], strength: 'weak' as const }];
    expect(previewRequest('u1', edited, saved)).toEqual({ user_id: 'u1', mappings: edited });
    expect(sameMappings(saved.slice(0, 1), saved)).toBe(false);
    expect(previewRequest('u1', [], saved).mappings).toEqual([]);
  });
  it('shows values, nulls and errors', () => {
    const row = (value: unknown, error?: string): PreviewRow =>
      ({ target: 't', expression: 'e', apply: 'always', applied: true, value, error });
    expect(previewValue(row('jose'))).toBe('"jose"');
    expect(previewValue(row(false))).toBe('false');
    expect(previewValue(row({ givenName: 'J' }))).toBe('{"givenName":"J"}');
    expect(previewValue(row(null))).toBe('(null: not sent)');
    expect(previewValue(row(null, 'Left: argument 1 (source) must be a string, got boolean')))
      .toBe('error: Left: argument 1 (source) must be a string, got boolean');
  });
  it('says whether the engine would provision the user', () => {
    const p = { assigned: false, in_scope: true } as MappingPreview;
    expect(previewScope(p)).toMatch(/^Not assigned/);
    expect(previewScope({ ...p, assigned: true, in_scope: false })).toMatch(/outside the scoping filter/);
    expect(previewScope({ ...p, assigned: true, errors: 0 })).toMatch(/would provision/);
    expect(previewScope({ ...p, assigned: true, errors: 2 })).toMatch(/cannot provision this user until the errors/);
  });
  it('marks the row of an unsaved mapping the preview refused', () => {
    const e = new ApiError(400, {
      code: 'invalid_mapping', message: "mapping 1 (target 'Alias'): invalid expression at position 17",
      details: { field: 'mappings[1].source', mapping: 1, position: 17 },
    });
    expect(mappingErrorRow(e)).toBe(1);
  });
});
