import { describe, expect, it } from 'vitest';
import { ManualClock } from '../test-util/manual-clock';
import { SignalPacer } from './signal-pacer';

/** Starts `count` turns at once; returns when each went, relative to the start. */
function burst(pacer: SignalPacer, clock: ManualClock, count: number) {
  const start = clock.now();
  const went: number[] = [];
  const turns = Array.from({ length: count }, () =>
    pacer.turn().then(() => went.push(clock.now() - start)),
  );
  return { went, done: Promise.allSettled(turns) };
}

/** Lets the turns due now record the time before the clock moves on. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SignalPacer', () => {
  it('lets one signal go at once and spaces the next ones a gap apart', async () => {
    const clock = new ManualClock(1_000_000);
    const pacer = new SignalPacer(clock, 100, 10);
    const { went, done } = burst(pacer, clock, 4);
    await settle();
    await clock.advance(1000);
    await done;
    expect(went).toEqual([0, 100, 200, 300]);
  });

  it('refuses, rate_limited, a signal when too many wait; the waiting ones still go', async () => {
    const clock = new ManualClock(1_000_000);
    const pacer = new SignalPacer(clock, 100, 2);
    const first = burst(pacer, clock, 3);
    await expect(pacer.turn()).rejects.toMatchObject({ code: 'rate_limited' });
    await settle();
    await clock.advance(1000);
    await first.done;
    expect(first.went).toEqual([0, 100, 200]);
    // Once they went there is room again.
    const later = burst(pacer, clock, 1);
    await later.done;
    expect(later.went).toEqual([0]);
  });

  it('does not hold a signal for as long as the clock was set back', async () => {
    const clock = new ManualClock(1_000_000);
    const pacer = new SignalPacer(clock, 100, 10);
    await pacer.turn();
    clock.step(-3_600_000);
    // At most one gap (the last signal's), not the hour.
    const { went, done } = burst(pacer, clock, 2);
    await settle();
    await clock.advance(1000);
    await done;
    expect(went).toEqual([100, 200]);
  });
});
