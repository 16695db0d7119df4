import { describe, expect, it } from 'vitest';
import { StatsPoller, type Every } from './stats-poller';

/** A hand-cranked interval: `tick()` runs what is scheduled, as a real one would. */
function crank() {
  let fn: (() => void) | null = null;
  const every: Every = (_ms, f) => {
    fn = f;
    return () => {
      fn = null;
    };
  };
  return { every, tick: () => fn?.(), running: () => fn !== null };
}

/** getStats whose answers are given by hand, so a poll can be left in flight. */
function stats() {
  const pending: ((report: number) => void)[] = [];
  let asked = 0;
  const getStats = () =>
    new Promise<number>((resolve) => {
      asked++;
      pending.push(resolve);
    });
  return { getStats, asked: () => asked, answer: (r: number) => pending.shift()?.(r) };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

/** A poller over hand-answered stats and a hand-cranked interval, and what it read. */
function rig() {
  const timer = crank();
  const s = stats();
  const read: number[] = [];
  const poller = new StatsPoller(
    s.getStats,
    { everyMs: 300, read: (r) => read.push(r) },
    timer.every,
  );
  return { timer, s, read, poller };
}

describe('StatsPoller', () => {
  it('reads at once on start, then on every tick, and not after stop', async () => {
    const { timer, s, read, poller } = rig();
    poller.start();
    s.answer(1);
    await flush();
    timer.tick();
    s.answer(2);
    await flush();
    expect(read).toEqual([1, 2]);
    poller.stop();
    expect(timer.running()).toBe(false);
    timer.tick();
    expect(s.asked()).toBe(2);
  });

  it('asks no more while a read is in flight, and starts once however often told', async () => {
    const { timer, s, read, poller } = rig();
    poller.start();
    poller.start();
    timer.tick();
    timer.tick();
    expect(s.asked()).toBe(1);
    s.answer(7);
    await flush();
    timer.tick();
    expect(s.asked()).toBe(2);
    expect(read).toEqual([7]);
  });

  it('drops a report that comes back after stop (the link closed or lost its path)', async () => {
    const { s, read, poller } = rig();
    poller.start();
    poller.stop();
    s.answer(3);
    await flush();
    expect(read).toEqual([]);
  });

  it('keeps polling after a getStats that failed', async () => {
    const timer = crank();
    let fail = true;
    const read: string[] = [];
    const getStats = () => (fail ? Promise.reject(new Error('closing')) : Promise.resolve('ok'));
    const poller = new StatsPoller(
      getStats,
      { everyMs: 1000, read: (r) => read.push(r) },
      timer.every,
    );
    poller.start();
    await flush();
    fail = false;
    timer.tick();
    await flush();
    expect(read).toEqual(['ok']);
  });
});
