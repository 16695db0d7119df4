/**
 * A watched screen whose link fails is asked for again by itself (rtc/link-retry.ts's waits),
 * as a voice call is: it used to read "could not connect" until the viewer pressed a button.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RETRIES } from '../rtc/link-retry';
import { FakeScreenNet } from '../test-util/screen-fakes';

/** Alice shares, Bob watches her, and their link is up. */
async function watching(): Promise<FakeScreenNet> {
  const net = new FakeScreenNet(['alice', 'bob']);
  await net.machine('alice').start();
  await net.settle();
  net.machine('bob').watch('alice');
  await net.settle();
  net.link('bob', 'alice').report('connected');
  await net.settle();
  return net;
}

describe('ScreenShare: a watched screen that fails', () => {
  it('is asked for again after 2 s, on a new link, and the streak ends once it connects', async () => {
    const net = await watching();
    const first = net.link('bob', 'alice');
    first.report('failed');
    await net.settle();
    expect(net.view('bob').watching).toMatchObject({ state: 'failed' });
    expect(net.timers.waits()).toEqual(['bob 2000']);
    net.sent.length = 0;
    net.timers.fireNext();
    await net.settle();
    expect(net.pairs('watch')).toEqual(['bob->alice']);
    expect(first.closed).toBe(true);
    const second = net.link('bob', 'alice');
    expect(second).not.toBe(first);
    second.report('connected');
    await net.settle();
    expect(net.view('bob').watching).toMatchObject({ peerId: 'alice', state: 'connected' });
    // A fresh streak: the next failure waits the shortest again.
    second.report('failed');
    await net.settle();
    expect(net.timers.waits()).toEqual(['bob 2000']);
  });

  it('waits longer each time, and stops after the streak’s tries; Stop watching ends the wait', async () => {
    const net = await watching();
    const waited: string[] = [];
    for (let i = 0; i < MAX_RETRIES; i++) {
      net.link('bob', 'alice').report('failed');
      await net.settle();
      waited.push(...net.timers.waits());
      net.timers.fireNext();
      await net.settle();
    }
    expect(waited.slice(0, 5)).toEqual([
      'bob 2000',
      'bob 5000',
      'bob 15000',
      'bob 30000',
      'bob 30000',
    ]);
    net.link('bob', 'alice').report('failed');
    await net.settle();
    expect(net.timers.waits()).toEqual([]);
    expect(net.view('bob').watching).toMatchObject({ state: 'failed' });
    // Try again (past the sharer's 2 s between restarts) starts a fresh streak; Stop watching
    // cancels its wait.
    net.timers.advance(2_000);
    net.machine('bob').watch('alice');
    await net.settle();
    net.link('bob', 'alice').report('failed');
    await net.settle();
    expect(net.timers.waits()).toEqual(['bob 2000']);
    net.machine('bob').unwatch();
    expect(net.timers.waits()).toEqual([]);
  });
});
