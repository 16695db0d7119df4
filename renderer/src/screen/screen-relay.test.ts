/** A screen through a relay: the path shown, "Hide my address" ticked, the relay ready. */
import { describe, expect, it } from 'vitest';
import { FakeScreenNet } from '../test-util/screen-fakes';
import { share, watch } from '../test-util/screen-share-support';

describe('ScreenShare: the relay', () => {
  it('the screen I watch says whether it comes through a relay, as its link reads its path', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    const link = net.link('bob', 'alice');
    link.report('connected');
    link.handlers.onRoute(true);
    expect(net.view('bob').watching).toEqual({
      peerId: 'alice',
      state: 'connected',
      relayed: true,
    });
    link.handlers.onRoute(false);
    expect(net.view('bob').watching?.relayed).toBe(false);
  });

  it('"Hide my address" ticked: links not known to be relayed start over, relayed ones stay', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol', 'dave']);
    await share(net, 'alice');
    await share(net, 'bob');
    await watch(net, 'alice', 'bob');
    await watch(net, 'carol', 'alice');
    await watch(net, 'dave', 'alice');
    for (const link of net.links) link.report('connected');
    net.link('alice', 'dave').handlers.onRoute(true);
    const before = [...net.links];
    net.machine('alice').restartStraight();
    await net.settle();
    // Watching bob: asked again. Carol watching me: a fresh offer. Dave's link is relayed.
    expect(net.pairs('watch')).toEqual(['alice->bob', 'carol->alice', 'dave->alice', 'alice->bob']);
    expect(net.linksOf('bob', 'alice')).toHaveLength(2);
    expect(net.link('alice', 'bob').calls[0]).toBe('remote offer: offer bob->alice');
    expect(net.linksOf('alice', 'carol')).toHaveLength(2);
    expect(net.link('carol', 'alice').calls[0]).toBe('remote offer: offer alice->carol');
    expect(net.linksOf('alice', 'dave')).toHaveLength(1);
    const closed = before.filter((l) => l.closed).map((l) => `${l.owner}->${l.peerId}`);
    expect(closed.sort()).toEqual(['alice->bob', 'alice->carol', 'bob->alice', 'carol->alice']);
    expect(net.view('alice')).toMatchObject({ viewers: 2 });
    expect(net.view('alice').watching).toEqual({
      peerId: 'bob',
      state: 'connecting',
      relayed: false,
    });
    expect(net.view('carol').watching?.state).toBe('connecting');
  });

  it('the relay ready: a screen not connected (made without it) is asked for again', async () => {
    const net = new FakeScreenNet(['alice', 'bob']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    net.machine('bob').retryUnconnected();
    await net.settle();
    expect(net.pairs('watch')).toEqual(['bob->alice', 'bob->alice']);
    expect(net.linksOf('bob', 'alice')).toHaveLength(2);
    net.link('bob', 'alice').report('failed');
    net.timers.advance(2_000);
    net.machine('bob').retryUnconnected();
    await net.settle();
    expect(net.linksOf('bob', 'alice')).toHaveLength(3);
    expect(net.view('bob').watching?.state).toBe('connecting');
    // Connected: left alone.
    net.link('bob', 'alice').report('connected');
    net.machine('bob').retryUnconnected();
    await net.settle();
    expect(net.pairs('watch')).toHaveLength(3);
  });

  it('the relay ready at the sharer: viewers not connected get a fresh offer', async () => {
    const net = new FakeScreenNet(['alice', 'bob', 'carol']);
    await share(net, 'alice');
    await watch(net, 'bob', 'alice');
    await watch(net, 'carol', 'alice');
    net.link('alice', 'carol').report('connected');
    net.machine('alice').retryUnconnected();
    await net.settle();
    expect(net.pairs('offer')).toEqual(['alice->bob', 'alice->carol', 'alice->bob']);
    expect(net.link('bob', 'alice').calls[0]).toBe('remote offer: offer alice->bob');
    expect(net.linksOf('bob', 'alice')).toHaveLength(2);
    expect(net.view('alice').viewers).toBe(2);
  });
});
