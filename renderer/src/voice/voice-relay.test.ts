/** "Hide my address" ticked mid-call, and the relay ready: which calls start over. */
import { describe, expect, it } from 'vitest';
import { FakeVoiceNet } from '../test-util/voice-fakes';
import { joinInTurn } from '../test-util/voice-mesh-support';

describe('VoiceMesh: "Hide my address" ticked mid-call', () => {
  it('calls not known to go through a relay start over; a relayed one stays', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol', 'dave']);
    await joinInTurn(net, 'alice', 'bob', 'carol', 'dave');
    for (const link of net.links) link.report('connected');
    net.link('bob', 'dave').handlers.onRoute(true);
    const before = [...net.links];
    net.mesh('bob').restartStraight();
    await net.settle();
    // Alice offers to bob: bob's join makes her start over; bob offers carol a fresh link.
    expect(net.linksOf('alice', 'bob')).toHaveLength(2);
    expect(net.link('bob', 'alice').calls[0]).toBe('remote offer: offer alice->bob');
    expect(net.linksOf('carol', 'bob')).toHaveLength(2);
    expect(net.link('carol', 'bob').calls[0]).toBe('remote offer: offer bob->carol');
    expect(net.linksOf('bob', 'dave')).toHaveLength(1);
    expect(before.filter((l) => l.closed).map((l) => `${l.owner}->${l.peerId}`)).toEqual([
      'alice->bob',
      'bob->alice',
      'bob->carol',
      'carol->bob',
    ]);
    const peers = net.view('bob').peers;
    expect([peers.alice?.state, peers.carol?.state, peers.dave?.state]).toEqual([
      'connecting',
      'connecting',
      'connected',
    ]);
    expect(net.view('alice').peers.bob?.state).toBe('connecting');
  });

  it('the relay ready: calls not connected start over, with a fresh streak', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol', 'dave']);
    await joinInTurn(net, 'alice', 'bob', 'carol', 'dave');
    net.link('bob', 'carol').report('connected');
    // Without a relay, a hidden address's call to alice never connects: eight tries, then none.
    for (let i = 0; i < 8; i += 1) {
      net.link('alice', 'bob').report('failed');
      net.link('bob', 'alice').report('failed');
      net.timers.fireNext();
      await net.settle();
    }
    net.link('alice', 'bob').report('failed');
    net.link('bob', 'alice').report('failed');
    expect(net.timers.pending).toEqual([]);
    const links = net.linksOf('bob', 'alice').length;
    net.mesh('bob').retryUnconnected();
    await net.settle();
    // Alice offers: bob's join makes her start over. Carol's call, connected, is left alone.
    expect(net.linksOf('bob', 'alice')).toHaveLength(links + 1);
    expect(net.link('bob', 'alice').calls[0]).toBe('remote offer: offer alice->bob');
    expect(net.linksOf('bob', 'carol')).toHaveLength(1);
    // Dave's, made without the relay and still connecting (a hidden one never fails): anew.
    expect(net.linksOf('bob', 'dave')).toHaveLength(2);
    expect(net.link('dave', 'bob').calls[0]).toBe('remote offer: offer bob->dave');
    expect(net.view('bob').peers.alice?.state).toBe('connecting');
    net.link('alice', 'bob').report('failed');
    expect(net.timers.waits()).toEqual(['alice 2000']);
  });

  it('out of voice there is nothing to start over', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    net.mesh('bob').restartStraight();
    await net.settle();
    expect(net.sent).toEqual([]);
  });
});
