import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_OFFSET_MS, ServerClock } from './server-clock';

const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe('ServerClock', () => {
  it('is 0 until it hears the server, then the server minus the middle of the exchange', () => {
    const clock = new ServerClock();
    expect(clock.offsetMs).toBe(0);
    // Sent at T0, answered at T0 + 100: the server said T0 + 50 + 5 min.
    clock.observe(iso(T0 + 50 + 300_000), T0, T0 + 100);
    expect(clock.offsetMs).toBe(300_000);
    expect(clock.toLocal(T0 + 300_000)).toBe(T0);
  });

  it('keeps the shortest round trip of the last eight, whose error is the smallest', () => {
    const clock = new ServerClock();
    clock.observe(iso(T0 + 5 + 1000), T0, T0 + 10);
    // A slow answer: the server's time could be anywhere in its 2 s.
    clock.observe(iso(T0 + 1900 + 1000), T0, T0 + 2000);
    expect(clock.offsetMs).toBe(1000);
    for (let i = 1; i <= 8; i++) clock.observe(iso(T0 + 100 + 2000), T0, T0 + 200);
    expect(clock.offsetMs).toBe(2000);
  });

  it('believes no unreadable time, no negative round trip and nothing days off', () => {
    const clock = new ServerClock();
    clock.observe(undefined, T0, T0 + 10);
    clock.observe('yesterday', T0, T0 + 10);
    clock.observe(iso(T0 + 60_000), T0 + 10, T0);
    clock.observe(iso(T0 + MAX_CLOCK_OFFSET_MS + 60_000), T0, T0);
    expect(clock.offsetMs).toBe(0);
    clock.observe(iso(T0 - 14 * 3_600_000), T0, T0);
    expect(clock.offsetMs).toBe(-14 * 3_600_000);
  });

  it('forgets the last server on reset', () => {
    const clock = new ServerClock();
    clock.observe(iso(T0 + 60_000), T0, T0);
    clock.reset();
    expect(clock.offsetMs).toBe(0);
  });
});
