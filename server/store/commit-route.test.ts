import { describe, expect, it } from 'vitest';
import {
  AVERAGE_WEIGHT,
  CommitRoute,
  INLINE_MAX_UTILIZATION,
  loopClock,
  SLOW_INLINE_MS,
  QUICK_RUN,
  THREAD_HOLD_MAX_MS,
  THREAD_HOLD_MS,
} from './commit-route';

function fakeLoop() {
  const state = { now: 1000, utilization: 0 };
  return { state, clock: { now: () => state.now, utilization: () => state.utilization } };
}

describe('CommitRoute', () => {
  it('runs a commit on the loop only while the loop is mostly idle and the thread has none', () => {
    const { state, clock } = fakeLoop();
    const route = new CommitRoute(clock);
    expect(route.inline(false)).toBe(true);
    expect(route.inline(true)).toBe(false);
    state.utilization = INLINE_MAX_UTILIZATION + 0.01;
    expect(route.inline(false)).toBe(false);
    state.utilization = INLINE_MAX_UTILIZATION;
    expect(route.inline(false)).toBe(true);
  });

  it('with onLoop false (--commits-on-loop off), never on the loop, however idle', () => {
    const { clock } = fakeLoop();
    expect(new CommitRoute(clock, { onLoop: false }).inline(false)).toBe(false);
    expect(new CommitRoute(clock, { onLoop: true }).inline(false)).toBe(true);
  });

  it('takes one slow fsync among quick ones, but not commits that keep being slow', () => {
    const { clock } = fakeLoop();
    const route = new CommitRoute(clock);
    for (let i = 0; i < 20; i++) route.tookInline(0.3);
    route.tookInline(SLOW_INLINE_MS * 3);
    expect(route.inline(false)).toBe(true);
    let quick = 0;
    while (route.inline(false) && quick < 100) {
      route.tookInline(SLOW_INLINE_MS * 2);
      quick++;
    }
    expect(route.inline(false)).toBe(false);
    expect(quick).toBeLessThan(10);
  });

  it('after one very slow commit on the loop, sends commits to the thread for THREAD_HOLD_MS', () => {
    const { state, clock } = fakeLoop();
    const route = new CommitRoute(clock);
    route.tookInline(SLOW_INLINE_MS / AVERAGE_WEIGHT);
    expect(route.inline(false)).toBe(true);
    route.tookInline(0);
    route.tookInline(SLOW_INLINE_MS / AVERAGE_WEIGHT + 0.5);
    expect(route.inline(false)).toBe(false);
    state.now += THREAD_HOLD_MS - 1;
    expect(route.inline(false)).toBe(false);
    state.now += 1;
    expect(route.inline(false)).toBe(true);
  });

  it('after a locked database, likewise', () => {
    const { state, clock } = fakeLoop();
    const route = new CommitRoute(clock);
    route.holdOnThread();
    expect(route.inline(false)).toBe(false);
    state.now += THREAD_HOLD_MS;
    expect(route.inline(false)).toBe(true);
  });

  it('holds twice as long each time it is held again, up to a minute; a quick run starts over', () => {
    const { state, clock } = fakeLoop();
    const route = new CommitRoute(clock);
    const heldFor = (): number => {
      route.holdOnThread();
      const start = state.now;
      while (!route.inline(false)) state.now += 100;
      return state.now - start;
    };
    const holds = Array.from({ length: 8 }, heldFor);
    expect(holds).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    for (let i = 0; i < QUICK_RUN - 1; i++) route.tookInline(0.3);
    expect(heldFor()).toBe(THREAD_HOLD_MAX_MS);
    for (let i = 0; i < QUICK_RUN; i++) route.tookInline(0.3);
    expect(heldFor()).toBe(THREAD_HOLD_MS);
  });
});

describe('loopClock', () => {
  it('sees a loop kept busy as busy, and an idle one as idle', async () => {
    const clock = loopClock();
    const spin = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    // Busy: two windows of a blocked loop.
    for (let i = 0; i < 2; i++) {
      spin(120);
      await new Promise((r) => setImmediate(r));
      clock.utilization();
    }
    expect(clock.utilization()).toBeGreaterThan(INLINE_MAX_UTILIZATION);
    await new Promise((r) => setTimeout(r, 250));
    expect(clock.utilization()).toBeLessThan(INLINE_MAX_UTILIZATION);
  });
});
