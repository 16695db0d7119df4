/**
 * Signals lost while an app was not linked to its server: a `join` two members sent each other
 * as the server went away, a `leave` that never reached someone out of voice. Linked again,
 * the mesh says it again (`relinked`), and the calls and the roster are what they should be.
 */
import { describe, expect, it } from 'vitest';
import { FakeVoiceNet } from '../test-util/voice-fakes';
import { pairs } from '../test-util/voice-mesh-support';

describe('VoiceMesh: lost signals said again, and asks answered', () => {
  it('in voice, says join again to members it has no call with, and the call is made', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await net.mesh('alice').join();
    await net.mesh('carol').join();
    await net.settle();
    // Bob joins as the server goes away: his joins, and the answers, are lost.
    net.unreachable.add('alice').add('carol');
    await net.mesh('bob').join();
    await net.settle();
    expect(Object.keys(net.view('alice').peers)).toEqual(['carol']);
    expect(net.view('bob').peers).toEqual({});
    net.unreachable.clear();
    net.sent.length = 0;
    net.mesh('alice').relinked();
    await net.settle();
    // Only to Bob: Carol's call is up.
    expect(pairs(net, 'join')).toEqual(['alice->bob']);
    expect(Object.keys(net.view('alice').peers).sort()).toEqual(['bob', 'carol']);
    expect(Object.keys(net.view('bob').peers)).toEqual(['alice']);
  });

  it('out of voice, asks everyone again: a leave it missed no longer shows them in voice', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await net.mesh('alice').join();
    await net.mesh('bob').join();
    await net.settle();
    expect(net.view('carol').present.sort()).toEqual(['alice', 'bob']);
    net.unreachable.add('carol');
    net.mesh('bob').leave();
    await net.settle();
    expect(net.view('carol').present.sort()).toEqual(['alice', 'bob']);
    net.unreachable.clear();
    net.mesh('carol').relinked();
    await net.settle();
    expect(pairs(net, 'ask').filter((p) => p.startsWith('carol'))).toEqual([
      'carol->alice',
      'carol->bob',
    ]);
    expect(net.view('carol').present).toEqual(['alice']);
  });

  it('in voice, a member asking in a loop is answered at once, then once after 2 s', async () => {
    const net = new FakeVoiceNet(['alice', 'mallory']);
    await net.mesh('alice').join();
    await net.settle();
    net.sent.length = 0;
    for (let i = 0; i < 20; i++) net.mesh('alice').receive('mallory', { kind: 'ask' });
    await net.settle();
    expect(pairs(net, 'here')).toEqual(['alice->mallory']);
    expect(net.timers.waits()).toEqual(['alice 2000']);
    net.timers.fireNext();
    await net.settle();
    expect(pairs(net, 'here')).toEqual(['alice->mallory', 'alice->mallory']);
    // Out of voice by the end of a gap: no answer comes.
    for (let i = 0; i < 2; i++) net.mesh('alice').receive('mallory', { kind: 'ask' });
    net.mesh('alice').leave();
    net.timers.fireNext();
    await net.settle();
    expect(pairs(net, 'here')).toHaveLength(2);
  });
});
