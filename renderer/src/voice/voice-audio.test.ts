/** What a call sounds like and shows: mute, speaking, a relayed path, each member's volume. */
import { describe, expect, it } from 'vitest';
import { FakeVoiceNet } from '../test-util/voice-fakes';
import { connectedPair, joinInTurn, pairs } from '../test-util/voice-mesh-support';

describe('VoiceMesh: mute, speaking', () => {
  it('mute goes to the members in voice, who show me muted; a later joiner learns it too', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await joinInTurn(net, 'alice', 'bob');
    net.mesh('alice').setMuted(true);
    await net.settle();
    expect(net.mics.get('alice')?.muted).toBe(true);
    expect(net.view('alice').muted).toBe(true);
    expect(pairs(net, 'mute')).toEqual(['alice->bob']);
    expect(net.view('bob').peers.alice?.muted).toBe(true);
    await joinInTurn(net, 'carol');
    expect(net.view('carol').peers.alice?.muted).toBe(true);
    expect(net.view('carol').peers.bob?.muted).toBe(false);
    net.mesh('alice').setMuted(false);
    await net.settle();
    expect(net.mics.get('alice')?.muted).toBe(false);
    expect(net.view('bob').peers.alice?.muted).toBe(false);
    expect(net.view('carol').peers.alice?.muted).toBe(false);
  });

  it('speaking follows the audio level of a connected link, and never shows while muted', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    await joinInTurn(net, 'alice', 'bob');
    const link = net.link('alice', 'bob');
    link.handlers.onAudioLevel(0.3);
    expect(net.view('alice').peers.bob?.speaking).toBe(false);
    link.report('connected');
    link.handlers.onAudioLevel(0.3);
    expect(net.view('alice').peers.bob?.speaking).toBe(true);
    link.handlers.onAudioLevel(0.004);
    expect(net.view('alice').peers.bob?.speaking).toBe(false);
    link.handlers.onAudioLevel(0.3);
    // Muted, they are not shown talking even before their silence reaches the level.
    net.mesh('alice').receive('bob', { kind: 'mute', muted: true });
    expect(net.view('alice').peers.bob).toEqual({
      state: 'connected',
      muted: true,
      speaking: false,
      relayed: false,
    });
    link.handlers.onAudioLevel(0.3);
    expect(net.view('alice').peers.bob?.speaking).toBe(false);
    net.mesh('alice').receive('bob', { kind: 'mute', muted: false });
    link.handlers.onAudioLevel(0.3);
    expect(net.view('alice').peers.bob?.speaking).toBe(true);
    link.report('connecting');
    expect(net.view('alice').peers.bob?.speaking).toBe(false);
  });

  it('shows a call through a relay as its link reads its path', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    await joinInTurn(net, 'alice', 'bob');
    const link = net.link('alice', 'bob');
    link.report('connected');
    expect(net.view('alice').peers.bob?.relayed).toBe(false);
    link.handlers.onRoute(true);
    expect(net.view('alice').peers.bob?.relayed).toBe(true);
    link.handlers.onRoute(false);
    expect(net.view('alice').peers.bob?.relayed).toBe(false);
  });
});

describe('VoiceMesh: how loud each member plays', () => {
  it('a call plays at its member’s saved volume, set before or after it is made', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    net.mesh('alice').setVolumes({ bob: 30 });
    await joinInTurn(net, 'alice', 'bob', 'carol');
    expect(net.link('alice', 'bob').volume).toBe(0.3);
    expect(net.link('alice', 'carol').volume).toBe(1);
    net.mesh('alice').setVolumes({ carol: 0 });
    expect([net.link('alice', 'bob').volume, net.link('alice', 'carol').volume]).toEqual([1, 0]);
    // Only my side: Bob hears Alice as loud as Bob set.
    expect(net.link('bob', 'alice').volume).toBe(1);
  });

  it('a slider moving is heard at once, and the link that replaces a failed one keeps it', async () => {
    const net = await connectedPair();
    net.mesh('alice').setVolume('bob', 45);
    expect(net.link('alice', 'bob').volume).toBe(0.45);
    net.link('alice', 'bob').report('failed');
    net.timers.fireNext();
    await net.settle();
    expect(net.linksOf('alice', 'bob')).toHaveLength(2);
    expect(net.link('alice', 'bob').volume).toBe(0.45);
  });
});

describe('VoiceMesh: deafened', () => {
  it('hears nobody and is muted; undeafened, hears each at their volume, muted as before', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    net.mesh('alice').setVolumes({ bob: 30 });
    await joinInTurn(net, 'alice', 'bob');
    const alice = net.mesh('alice');
    alice.setDeafened(true);
    await net.settle();
    expect(net.link('alice', 'bob').volume).toBe(0);
    expect(net.view('alice')).toMatchObject({ deafened: true, muted: true });
    expect(net.view('bob').peers.alice?.muted).toBe(true);
    // A call made meanwhile plays silent too.
    await joinInTurn(net, 'carol');
    expect(net.link('alice', 'carol').volume).toBe(0);
    alice.setDeafened(false);
    await net.settle();
    expect([net.link('alice', 'bob').volume, net.link('alice', 'carol').volume]).toEqual([0.3, 1]);
    expect(net.view('alice')).toMatchObject({ deafened: false, muted: false });
    expect(net.view('carol').peers.alice?.muted).toBe(false);
  });

  it('muted before deafening stays muted after; unmuting while deafened undeafens', async () => {
    const net = await connectedPair();
    const alice = net.mesh('alice');
    alice.setMuted(true);
    alice.setDeafened(true);
    alice.setDeafened(false);
    expect(net.view('alice')).toMatchObject({ deafened: false, muted: true });
    expect(net.link('alice', 'bob').volume).toBe(1);
    alice.setDeafened(true);
    alice.setMuted(false);
    await net.settle();
    expect(net.view('alice')).toMatchObject({ deafened: false, muted: false });
    expect(net.link('alice', 'bob').volume).toBe(1);
    expect(net.view('bob').peers.alice?.muted).toBe(false);
  });
});
