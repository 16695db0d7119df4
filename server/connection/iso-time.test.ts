import { describe, expect, it } from 'vitest';
import { isoTime } from './iso-time';

describe('isoTime', () => {
  it('is the ISO string of the millisecond, whichever was asked before', () => {
    const a = Date.UTC(2026, 11, 2, 0, 0, 0, 1);
    expect(isoTime(a)).toBe('2026-12-02T00:00:00.001Z');
    expect(isoTime(a)).toBe('2026-12-02T00:00:00.001Z');
    expect(isoTime(a + 1)).toBe('2026-12-02T00:00:00.002Z');
    expect(isoTime(a)).toBe('2026-12-02T00:00:00.001Z');
  });
});
