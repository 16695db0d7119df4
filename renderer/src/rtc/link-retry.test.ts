import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../test-util/fake-timers';
import { LinkRetry, MAX_RETRIES } from './link-retry';

function setup() {
  const timers = new FakeTimers();
  const retry = new LinkRetry(timers.laterFor('me'));
  let runs = 0;
  const fail = () => retry.failed(() => (runs += 1));
  return { timers, retry, fail, runs: () => runs };
}

describe('LinkRetry', () => {
  it('waits 2, 5, 15, then 30 s before each try, and gives up after 8', () => {
    const { timers, fail, runs } = setup();
    const delays: number[] = [];
    for (let i = 0; i < 20 && delays.length === i; i += 1) {
      fail();
      const waiting = timers.pending[0];
      if (!waiting) break;
      delays.push(waiting.ms);
      timers.fireNext();
    }
    expect(delays).toEqual([2_000, 5_000, 15_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
    expect(MAX_RETRIES).toBe(8);
    expect(runs()).toBe(8);
    expect(timers.pending).toEqual([]);
  });

  it('a failure while a try waits adds no second one', () => {
    const { timers, fail } = setup();
    fail();
    fail();
    expect(timers.waits()).toEqual(['me 2000']);
  });

  it('connected cancels the waiting try and starts the streak over', () => {
    const { timers, retry, fail, runs } = setup();
    fail();
    timers.fireNext();
    fail();
    expect(timers.waits()).toEqual(['me 5000']);
    retry.connected();
    expect(timers.pending).toEqual([]);
    fail();
    expect(timers.waits()).toEqual(['me 2000']);
    expect(runs()).toBe(1);
  });

  it('cancel drops the waiting try', () => {
    const { timers, retry, fail, runs } = setup();
    fail();
    retry.cancel();
    expect(timers.pending).toEqual([]);
    expect(runs()).toBe(0);
  });
});
