import { expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../../shared/clock';
import { UpdateCoalescer } from './update-coalescer';

/** A clock whose time and timers move only when the test says. */
function stepClock(): Clock & { advance(ms: number): void } {
  let now = 1_000;
  const timers = new Map<TimerHandle, { at: number; run: () => void }>();
  return {
    now: () => now,
    setTimeout: (run, ms) => {
      const handle = {};
      timers.set(handle, { at: now + ms, run });
      return handle;
    },
    clearTimeout: (handle) => void timers.delete(handle),
    setInterval: () => ({}),
    clearInterval: () => undefined,
    advance(ms) {
      now += ms;
      for (const [handle, t] of [...timers]) {
        if (t.at > now) continue;
        timers.delete(handle);
        t.run();
      }
    },
  };
}

it('holds an update inside the interval and applies the latest when the clock reaches its end', async () => {
  const clock = stepClock();
  const updates = new UpdateCoalescer(1_000, clock);
  const applied: string[] = [];
  const apply = (name: string) => () => {
    applied.push(name);
    return { type: 'ack' as const };
  };
  expect(updates.submit('peer', apply('first'))).toEqual({ type: 'ack' });
  clock.advance(400);
  const second = updates.submit('peer', apply('second'));
  const third = updates.submit('peer', apply('third'));
  clock.advance(599);
  expect(applied).toEqual(['first']);
  clock.advance(1);
  expect(applied).toEqual(['first', 'third']);
  await expect(second).resolves.toEqual({ type: 'ack' });
  await expect(third).resolves.toEqual({ type: 'ack' });
});
