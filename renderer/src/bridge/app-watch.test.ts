import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchApp } from './app-watch';

/** An app whose answers the test hands out: each ask waits until `answer` or `fail`. */
function rig() {
  const asks: { resolve: () => void; reject: () => void }[] = [];
  const changes: boolean[] = [];
  const stop = watchApp({
    ping: () => new Promise<void>((resolve, reject) => asks.push({ resolve, reject })),
    onChange: (answering) => changes.push(answering),
    intervalMs: 5_000,
    timeoutMs: 5_000,
  });
  const last = () => asks[asks.length - 1]!;
  return {
    asks,
    changes,
    stop,
    answer: async () => {
      last().resolve();
      await vi.advanceTimersByTimeAsync(0);
    },
    fail: async () => {
      last().reject();
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('watchApp', () => {
  it('asks every interval after the last answer, and says nothing while the app answers', async () => {
    const app = rig();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(app.asks).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(app.asks).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3_000);
    await app.answer();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(app.asks).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(app.asks).toHaveLength(2);
    expect(app.changes).toEqual([]);
  });

  it('says the app stopped answering once an ask waits the timeout, and answering when it does', async () => {
    const app = rig();
    await vi.advanceTimersByTimeAsync(5_000);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(app.changes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(app.changes).toEqual([false]);
    // One ask at a time: a frozen app is not handed more to answer when it wakes.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(app.asks).toHaveLength(1);
    expect(app.changes).toEqual([false]);
    await app.answer();
    expect(app.changes).toEqual([false, true]);
  });

  it('a wait that ends long after it was due (the PC slept) gives the app its time again', async () => {
    const app = rig();
    await vi.advanceTimersByTimeAsync(5_000);
    await vi.advanceTimersByTimeAsync(2_000);
    // The PC sleeps for an hour: the clock runs on, the page's timers do not.
    vi.setSystemTime(Date.now() + 3_600_000);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(app.changes).toEqual([]);
    await app.answer();
    expect(app.changes).toEqual([]);
    // Still frozen after waking, it is said once the wait runs out again.
    await vi.advanceTimersByTimeAsync(5_000);
    vi.setSystemTime(Date.now() + 3_600_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(app.changes).toEqual([]);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(app.changes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(app.changes).toEqual([false]);
  });

  it('a failed call (the bridge dropped) changes nothing and is asked again after the interval', async () => {
    const app = rig();
    await vi.advanceTimersByTimeAsync(5_000);
    await app.fail();
    expect(app.changes).toEqual([]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(app.asks).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(app.changes).toEqual([false]);
    await app.fail();
    await vi.advanceTimersByTimeAsync(5_000);
    await app.answer();
    expect(app.changes).toEqual([false, true]);
  });

  it('stopped, it asks no more and tells nothing, even of an ask in flight', async () => {
    const app = rig();
    await vi.advanceTimersByTimeAsync(5_000);
    app.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    await app.answer();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(app.asks).toHaveLength(1);
    expect(app.changes).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a ping that throws counts as a failed call', async () => {
    const changes: boolean[] = [];
    let calls = 0;
    watchApp({
      ping: () => {
        calls += 1;
        throw new Error('no bridge');
      },
      onChange: (answering) => changes.push(answering),
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(2);
    expect(changes).toEqual([]);
  });
});
