import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logger';
import { ReconnectLoop } from './reconnect';
import { ManualClock } from '../test-util/manual-clock';

/** A loop whose connect() fails `failures` times, recording when each try happened. */
function loopWith(clock: ManualClock, failures: number, random = () => 0.5) {
  const tries: number[] = [];
  let connected = false;
  const start = clock.now();
  const loop = new ReconnectLoop(
    clock,
    { delayMs: 5000, maxAttempts: 5, logger: silentLogger, restartDelayMs: 500, random },
    {
      done: () => connected,
      onAttempt: () => undefined,
      onGiveUp: () => undefined,
      connect: () => {
        tries.push(clock.now() - start);
        if (tries.length <= failures) return Promise.reject(new Error('refused'));
        connected = true;
        return Promise.resolve();
      },
    },
  );
  return { loop, tries };
}

describe('ReconnectLoop', () => {
  it('waits the full delay between tries after an unannounced loss', async () => {
    const clock = new ManualClock();
    const { loop, tries } = loopWith(clock, 2);
    const run = loop.run();
    await clock.advance(20_000);
    await run;
    expect(tries).toEqual([5000, 10_000, 15_000]);
  });

  it('after a restart notice (1012) tries within a second, backing off to the usual delay', async () => {
    const clock = new ManualClock();
    const { loop, tries } = loopWith(clock, 4);
    loop.expectRestart();
    const run = loop.run();
    await clock.advance(20_000);
    await run;
    // 500 ms × jitter 1.0, then doubling: 1 s, 2 s, 4 s, capped at 5 s.
    expect(tries).toEqual([500, 1500, 3500, 7500, 12_500]);
  });

  it('spreads clients over 0.5×–1.5× the restart delay', async () => {
    for (const [random, want] of [
      [0, 250],
      [0.998, 749],
    ] as const) {
      const clock = new ManualClock();
      const { loop, tries } = loopWith(clock, 0, () => random);
      loop.expectRestart();
      const run = loop.run();
      await clock.advance(10_000);
      await run;
      expect(tries).toEqual([want]);
    }
  });

  it('forgets the notice once connected: the next unannounced loss waits the full delay', async () => {
    const clock = new ManualClock();
    const { loop, tries } = loopWith(clock, 0);
    loop.expectRestart();
    loop.reset();
    const run = loop.run();
    await clock.advance(10_000);
    await run;
    expect(tries).toEqual([5000]);
  });
});
