import { describe, expect, it } from 'vitest';
import { sleep } from '../../../shared/time/clock';
import { ManualClock } from './manual-clock';

describe('ManualClock', () => {
  it('fires a timeout only once its time has come', async () => {
    const clock = new ManualClock(1000);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 500);
    await clock.advance(499);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual([1500]);
    await clock.advance(10_000);
    expect(fired).toEqual([1500]);
    expect(clock.now()).toBe(11_500);
  });

  it('fires an interval repeatedly, in order with timeouts, until cleared', async () => {
    const clock = new ManualClock(0);
    const log: string[] = [];
    const every = clock.setInterval(() => log.push(`i${clock.now()}`), 100);
    clock.setTimeout(() => log.push(`t${clock.now()}`), 250);
    await clock.advance(350);
    expect(log).toEqual(['i100', 'i200', 't250', 'i300']);
    clock.clearInterval(every);
    await clock.advance(1000);
    expect(log).toHaveLength(4);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not fire a cleared timeout', async () => {
    const clock = new ManualClock();
    let fired = false;
    const handle = clock.setTimeout(() => (fired = true), 10);
    clock.clearTimeout(handle);
    await clock.advance(100);
    expect(fired).toBe(false);
  });

  it('lets async work started by a timer settle before advance returns', async () => {
    const clock = new ManualClock();
    let done = false;
    clock.setTimeout(() => {
      void (async () => {
        await Promise.resolve();
        await Promise.resolve();
        done = true;
      })();
    }, 5);
    await clock.advance(5);
    expect(done).toBe(true);
  });

  it('sleep resolves when the clock reaches the deadline', async () => {
    const clock = new ManualClock(0);
    let woke = false;
    const p = sleep(clock, 50).then(() => (woke = true));
    await clock.advance(49);
    expect(woke).toBe(false);
    await clock.advance(1);
    await p;
    expect(woke).toBe(true);
  });
});
