import { expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../../shared/time/clock';
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

it('answers each held request in its own form: a rejoin with the party, an update with the ack', async () => {
  const clock = stepClock();
  const updates = new UpdateCoalescer(1_000, clock);
  const ack = () => ({ type: 'ack' as const, seq: 7 });
  expect(updates.submit('peer', ack)).toEqual({ type: 'ack', seq: 7 });
  clock.advance(100);
  const update = updates.submit('peer', ack);
  const rejoin = updates.submit('peer', ack, (applied) => ({ party: 'as it is', applied }));
  clock.advance(900);
  await expect(update).resolves.toEqual({ type: 'ack', seq: 7 });
  await expect(rejoin).resolves.toEqual({ party: 'as it is', applied: { type: 'ack', seq: 7 } });
});

it('refuses a held request whose answer cannot be made, and still answers the others', async () => {
  const clock = stepClock();
  const updates = new UpdateCoalescer(1_000, clock);
  const ack = () => ({ type: 'ack' as const });
  expect(updates.submit('peer', ack)).toEqual({ type: 'ack' });
  const gone = updates.submit('peer', ack, () => {
    throw new Error('party gone');
  });
  const update = updates.submit('peer', ack);
  clock.advance(1_000);
  await expect(gone).rejects.toThrow('party gone');
  await expect(update).resolves.toEqual({ type: 'ack' });
});
