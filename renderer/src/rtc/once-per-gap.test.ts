import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../test-util/fake-timers';
import { OncePerGap } from './once-per-gap';

function setup() {
  const timers = new FakeTimers();
  const ran: string[] = [];
  const gap = new OncePerGap(() => timers.now, timers.laterFor('me'), 2_000);
  const run = (peerId: string, what: string) => gap.run(peerId, () => ran.push(what));
  return { timers, ran, run };
}

describe('OncePerGap', () => {
  it('runs at once, then the last run asked within the gap once at its end', () => {
    const { timers, ran, run } = setup();
    run('bob', 'first');
    timers.advance(500);
    run('bob', 'second');
    run('bob', 'third');
    expect(ran).toEqual(['first']);
    expect(timers.waits()).toEqual(['me 1500']);
    timers.fireNext();
    expect(ran).toEqual(['first', 'third']);
    // Each member has a gap of its own.
    run('carol', 'carol');
    expect(ran).toEqual(['first', 'third', 'carol']);
  });

  it('a clock set back does not hold a run for as long as it moved', () => {
    const { timers, ran, run } = setup();
    timers.advance(60_000);
    run('bob', 'before');
    timers.now = 1_000;
    run('bob', 'after');
    expect(ran).toEqual(['before', 'after']);
    expect(timers.waits()).toEqual([]);
  });
});
