/**
 * Words lost while a member, or the server, was away. A review found a mute pressed while the
 * server was down never reached members already in a call with them ("not muted" for good),
 * and a call waiting out a 30 s retry after the member it was with was back online.
 */
import { describe, expect, it } from 'vitest';
import { FakeVoiceNet } from '../test-util/voice-fakes';
import { bobState, connectedPair, joinInTurn, pairs } from '../test-util/voice-mesh-support';

describe('VoiceMesh: a mute made while the server was away', () => {
  it('reaches the members in a call with me once my app is linked again', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await joinInTurn(net, 'alice', 'bob', 'carol');
    for (const link of net.links) link.report('connected');
    // The server is down: Bob's mute reaches nobody.
    net.unreachable.add('alice').add('carol');
    net.mesh('bob').setMuted(true);
    await net.settle();
    expect(net.view('alice').peers.bob?.muted).toBe(false);
    net.unreachable.clear();
    net.sent.length = 0;
    net.mesh('bob').relinked();
    await net.settle();
    expect(pairs(net, 'mute')).toEqual(['bob->alice', 'bob->carol']);
    expect(net.view('alice').peers.bob?.muted).toBe(true);
    expect(net.view('carol').peers.bob?.muted).toBe(true);
    // The calls were not disturbed: no new link, no join.
    expect(pairs(net, 'join')).toEqual([]);
    expect(net.links.filter((l) => l.closed)).toEqual([]);
    // Unmuted while away, the same.
    net.unreachable.add('alice').add('carol');
    net.mesh('bob').setMuted(false);
    await net.settle();
    net.unreachable.clear();
    net.mesh('bob').relinked();
    await net.settle();
    expect(net.view('alice').peers.bob?.muted).toBe(false);
    expect(net.view('carol').peers.bob?.muted).toBe(false);
  });
});

describe('VoiceMesh: a mute pressed before the others answered my join', () => {
  it('reaches each of them once their answer makes our call', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await joinInTurn(net, 'alice', 'carol');
    // Bob joins and mutes at once: his joins said "not muted", and no call had answered yet.
    await net.mesh('bob').join();
    net.mesh('bob').setMuted(true);
    await net.settle();
    expect(net.view('alice').peers.bob?.muted).toBe(true);
    expect(net.view('carol').peers.bob?.muted).toBe(true);
    // Muted when the join went out: nothing more to say.
    net.sent.length = 0;
    net.mesh('bob').leave();
    await net.mesh('bob').join();
    await net.settle();
    expect(pairs(net, 'mute')).toEqual([]);
    expect(net.view('alice').peers.bob?.muted).toBe(true);
  });
});

describe('VoiceMesh: a member back online', () => {
  /** Alice offers to Bob; his PC froze: the call failed, and her retry's offer was lost. */
  async function retryLost(): Promise<FakeVoiceNet> {
    const net = await connectedPair();
    net.link('alice', 'bob').report('failed');
    net.link('bob', 'alice').report('failed');
    net.lost.add('bob');
    net.timers.fireNext();
    await net.settle();
    expect(net.linksOf('alice', 'bob')).toHaveLength(2);
    expect(bobState(net)).toBe('connecting');
    net.lost.clear();
    net.sent.length = 0;
    return net;
  }

  it('the call not connected starts over at once, with a fresh streak', async () => {
    const net = await retryLost();
    net.mesh('alice').memberBack('bob');
    await net.settle();
    expect(pairs(net, 'offer')).toEqual(['alice->bob']);
    expect(net.linksOf('alice', 'bob')).toHaveLength(3);
    expect(net.link('bob', 'alice').calls[0]).toBe('remote offer: offer alice->bob');
    expect(net.link('alice', 'bob').calls).toContain('remote answer: answer bob->alice');
    net.link('alice', 'bob').report('failed');
    expect(net.timers.waits()).toEqual(['alice 2000']);
  });

  it('on the answering side, a join makes the offerer start over', async () => {
    const net = await retryLost();
    net.mesh('bob').memberBack('alice');
    await net.settle();
    expect(pairs(net, 'join')).toEqual(['bob->alice']);
    expect(pairs(net, 'offer')).toEqual(['alice->bob']);
    expect(net.link('bob', 'alice').calls[0]).toBe('remote offer: offer alice->bob');
  });

  it('a connected call is left up and told whether I am muted; at most once in 2 s', async () => {
    const net = await connectedPair();
    net.mesh('alice').setMuted(true);
    await net.settle();
    net.sent.length = 0;
    const link = net.link('alice', 'bob');
    net.mesh('alice').memberBack('bob');
    net.mesh('alice').memberBack('bob');
    await net.settle();
    expect(net.sent.map((s) => s.signal)).toEqual([{ kind: 'mute', muted: true }]);
    expect(link.closed).toBe(false);
    net.timers.advance(2_000);
    net.mesh('alice').memberBack('bob');
    await net.settle();
    expect(pairs(net, 'mute')).toHaveLength(2);
  });

  it('in voice without a call with them: my join goes again, and the call is made', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    await joinInTurn(net, 'bob');
    // Bob's PC froze: Alice's join was taken by the server, never delivered.
    net.lost.add('bob');
    await joinInTurn(net, 'alice');
    expect(net.view('alice').peers).toEqual({});
    net.lost.clear();
    net.sent.length = 0;
    net.mesh('alice').memberBack('bob');
    await net.settle();
    expect(pairs(net, 'join')).toEqual(['alice->bob']);
    expect(Object.keys(net.view('alice').peers)).toEqual(['bob']);
    expect(Object.keys(net.view('bob').peers)).toEqual(['alice']);
  });

  it('out of voice: asked again, so a leave I missed no longer shows them in voice', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await joinInTurn(net, 'alice', 'bob');
    expect(net.view('carol').present.sort()).toEqual(['alice', 'bob']);
    net.lost.add('carol');
    net.mesh('alice').leave();
    await net.settle();
    net.lost.clear();
    net.sent.length = 0;
    for (const peerId of ['alice', 'bob']) net.mesh('carol').memberBack(peerId);
    await net.settle();
    expect(pairs(net, 'ask')).toEqual(['carol->alice', 'carol->bob']);
    // Bob, still in voice, answered; Alice, out of it, did not.
    expect(net.view('carol').present).toEqual(['bob']);
  });
});
