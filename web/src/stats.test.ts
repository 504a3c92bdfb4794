import { describe, expect, it } from 'vitest';
import { bucketByMinute, ratePerMinute } from './stats';

const now = Date.parse('2026-11-29T10:30:30Z');

describe('activity per minute', () => {
  it('counts successes and failures in the minute they happened', () => {
    const b = bucketByMinute([
      { at: '2026-11-29T10:30:01Z', status: 'success' },
      { at: '2026-11-29T10:30:59Z', status: 'failure' },
      { at: '2026-11-29T10:29:00Z', status: 'retrying' },
      { at: '2026-11-29T10:29:30Z', status: 'skipped' },
      { at: '2026-11-29T10:28:00Z', status: 'success' },
    ], now, 3);
    expect(b.map((x) => [new Date(x.start).toISOString().slice(11, 16), x.success, x.failure])).toEqual([
      ['10:28', 1, 0], ['10:29', 0, 1], ['10:30', 1, 1],
    ]);
  });
  it('ignores what is outside the window or unreadable', () => {
    const b = bucketByMinute([
      { at: '2026-11-29T09:00:00Z', status: 'success' },
      { at: '2026-11-29T10:31:00Z', status: 'success' },
      { at: 'yesterday', status: 'success' },
    ], now, 60);
    expect(b).toHaveLength(60);
    expect(b.every((x) => x.success === 0 && x.failure === 0)).toBe(true);
  });
  it('averages the rate over the last minutes', () => {
    const b = bucketByMinute([
      { at: '2026-11-29T10:30:01Z', status: 'success' },
      { at: '2026-11-29T10:30:02Z', status: 'success' },
      { at: '2026-11-29T10:29:02Z', status: 'failure' },
    ], now, 10);
    expect(ratePerMinute(b, 2)).toBe(1.5);
    expect(ratePerMinute(b, 5)).toBe(0.6);
    expect(ratePerMinute([], 5)).toBe(0);
  });
});
