/**
 * Without a status to say the server's heartbeat interval, a row is judged by the shared
 * default (shared/time/intervals.ts), replaced with an odd one for this file, which a copied
 * literal (30 s) would not follow.
 */
import { describe, expect, it, vi } from 'vitest';
import type * as intervals from '../../../../shared/time/intervals';

vi.mock('../../../../shared/time/intervals', async (original) => {
  const real = await original<typeof intervals>();
  return { ...real, HEARTBEAT_INTERVAL: { ...real.HEARTBEAT_INTERVAL, defaultSeconds: 10 } };
});

const { listedOnline } = await import('./presence-text');

describe('listedOnline without a status', () => {
  it("takes the shared heartbeat interval's default", () => {
    const now = 1_000_000;
    // Two missed beats of 10 s: 20 s; a 30 s interval would still call 45 s ago fresh.
    expect(listedOnline(undefined, now - 15_000, null, now)).toBe(true);
    expect(listedOnline(undefined, now - 45_000, null, now)).toBe(false);
  });
});
