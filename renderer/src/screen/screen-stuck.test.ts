/**
 * A `watch` the server took but that never reached the sharer (their PC was frozen, their app
 * does not answer): the viewer has no link until the offer comes, so no WebRTC deadline ran,
 * and a review found "Connecting to Bob's screen…" 150 s after Bob was back. Now the offer has
 * a deadline, and the sharer coming back (or my app linked again) asks at once.
 */
import { describe, expect, it } from 'vitest';
import { CONNECT_DEADLINE_MS } from '../rtc/peer-link';
import { FakeScreenNet } from '../test-util/screen-fakes';
import { share, watch } from '../test-util/screen-share-support';

/** Alice shares; Bob's `watch` is taken by the server and lost. */
async function watchLost(): Promise<FakeScreenNet> {
  const net = new FakeScreenNet(['alice', 'bob', 'carol']);
  await share(net, 'alice');
  net.lost.add('alice');
  await watch(net, 'bob', 'alice');
  expect(net.view('bob').watching).toMatchObject({ peerId: 'alice', state: 'connecting' });
  expect(net.linksOf('bob', 'alice')).toHaveLength(0);
  net.sent.length = 0;
  return net;
}

describe('ScreenShare: a watch that gets no offer', () => {
  it('fails after the deadline, and is asked for again by the retries', async () => {
    const net = await watchLost();
    expect(net.timers.waits()).toEqual([`bob ${CONNECT_DEADLINE_MS}`]);
    net.timers.fireNext();
    await net.settle();
    expect(net.view('bob').watching).toMatchObject({ state: 'failed' });
    expect(net.timers.waits()).toEqual(['bob 2000']);
    net.lost.clear();
    net.timers.fireNext();
    await net.settle();
    expect(net.pairs('watch')).toEqual(['bob->alice']);
    expect(net.linksOf('bob', 'alice')).toHaveLength(1);
    expect(net.view('alice').viewers).toBe(1);
    // The offer came: no deadline waits any more (the link has its own).
    expect(net.timers.waits()).toEqual([]);
  });

  it('an offer, or `full`, ends the wait; Stop watching too', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    expect(net.linksOf('bob', 'alice')).toHaveLength(1);
    expect(net.timers.waits()).toEqual([]);
    net.machine('bob').unwatch();
    net.lost.add('alice');
    net.timers.advance(2_000);
    await watch(net, 'bob', 'alice');
    expect(net.timers.waits()).toEqual([`bob ${CONNECT_DEADLINE_MS}`]);
    net.machine('bob').receive('alice', { kind: 'full' });
    expect(net.timers.waits()).toEqual([]);
    expect(net.view('bob').watching).toMatchObject({ state: 'full' });
    net.machine('bob').watch('alice');
    net.machine('bob').unwatch();
    expect(net.timers.waits()).toEqual([]);
  });

  it('is asked for again at once when the sharer is back online', async () => {
    const net = await watchLost();
    net.lost.clear();
    net.machine('bob').memberBack('alice');
    await net.settle();
    // Watch again, not ask: an ask from a viewer would end the sharer's link to it.
    expect(net.pairs('watch')).toEqual(['bob->alice']);
    expect(net.pairs('ask')).toEqual([]);
    expect(net.linksOf('bob', 'alice')).toHaveLength(1);
    expect(net.view('bob').watching).toMatchObject({ peerId: 'alice', state: 'connecting' });
    expect(net.timers.waits()).toEqual([]);
  });

  it('is asked for again at once when my app is linked to the server again', async () => {
    const net = await watchLost();
    net.lost.clear();
    net.machine('bob').relinked();
    await net.settle();
    expect(net.pairs('watch')).toEqual(['bob->alice']);
    expect(net.pairs('ask')).toEqual(['bob->carol']);
    expect(net.linksOf('bob', 'alice')).toHaveLength(1);
  });

  it('a screen whose offer came is left to its link when the sharer is back', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    const link = net.link('bob', 'alice');
    net.sent.length = 0;
    net.machine('bob').memberBack('alice');
    await net.settle();
    expect(net.sent).toEqual([]);
    expect(link.closed).toBe(false);
  });
});
