import { describe, expect, it } from 'vitest';
import { withDetail } from './logger';

describe('withDetail', () => {
  it("says an error by its message, or its stack when the fault is the app's own", () => {
    const error = new Error('disk gone');
    expect(withDetail('Save failed', error)).toBe('Save failed: disk gone');
    expect(withDetail('Save failed', error, true)).toBe(`Save failed: ${error.stack ?? ''}`);
  });

  it('says a string as it is, and anything else as JSON', () => {
    expect(withDetail('Dropped', 'a reason')).toBe('Dropped: a reason');
    expect(withDetail('Dropped', { from: 'peer_a', n: 2 })).toBe(
      'Dropped: {"from":"peer_a","n":2}',
    );
    expect(withDetail('Left out', ['invite'])).toBe('Left out: ["invite"]');
  });

  it('never throws on what JSON cannot say', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(withDetail('Odd', cycle)).toBe('Odd: [object Object]');
    expect(withDetail('Odd', 10n)).toBe('Odd: 10');
    expect(withDetail('Odd', undefined)).toBe('Odd: undefined');
  });
});
