/** A failed call is made again by itself after 2, 5, 15, then 30 s (rtc/link-retry.ts). */
import { describe, expect, it } from 'vitest';
import { type FakeMic, FakeVoiceNet } from '../test-util/voice-fakes';
import { bobState, connectedPair, joinInTurn, pairs } from '../test-util/voice-mesh-support';
import type { VoiceMesh } from './voice-mesh';

describe('VoiceMesh: a failed link comes back by itself', () => {
  it('the offerer replaces a failed link after 2 s with a new offer; the answerer restarts', async () => {
    const net = await connectedPair();
    net.mesh('bob').setMuted(true);
    await net.settle();
    const [oldA, oldB] = [net.link('alice', 'bob'), net.link('bob', 'alice')];
    oldA.report('failed');
    oldB.report('failed');
    expect(net.timers.waits()).toEqual(['alice 2000']);
    await net.settle();
    // Until the wait is over: still failed, still the one link.
    expect(bobState(net)).toBe('failed');
    expect(net.linksOf('alice', 'bob')).toHaveLength(1);
    net.timers.fireNext();
    expect(oldA.closed).toBe(true);
    expect(net.view('alice').peers.bob).toEqual({
      state: 'connecting',
      muted: true,
      speaking: false,
      relayed: false,
    });
    await net.settle();
    expect(pairs(net, 'offer')).toEqual(['alice->bob', 'alice->bob']);
    expect(pairs(net, 'answer')).toEqual(['bob->alice', 'bob->alice']);
    expect(oldB.closed).toBe(true);
    const [newA, newB] = [net.link('alice', 'bob'), net.link('bob', 'alice')];
    expect(newA).not.toBe(oldA);
    expect(newB).not.toBe(oldB);
    expect(newB.calls[0]).toBe('remote offer: offer alice->bob');
    expect(newA.calls).toContain('remote answer: answer bob->alice');
    expect(net.view('bob').peers.alice?.state).toBe('connecting');
    newA.report('connected');
    newB.report('connected');
    expect(bobState(net)).toBe('connected');
    expect(net.view('bob').peers.alice?.state).toBe('connected');
    expect(net.timers.pending).toEqual([]);
  });

  it('the answering side waits for the offer; a link already replaced reports for nobody', async () => {
    const net = await connectedPair();
    const [oldA, oldB] = [net.link('alice', 'bob'), net.link('bob', 'alice')];
    oldB.report('failed');
    expect(net.view('bob').peers.alice?.state).toBe('failed');
    expect(net.timers.pending).toEqual([]);
    oldA.report('failed');
    net.timers.fireNext();
    await net.settle();
    expect(net.linksOf('bob', 'alice')).toHaveLength(2);
    // The old links speak late: no state changes, no retry waits.
    oldB.report('connected');
    oldB.report('failed');
    oldA.report('connected');
    oldA.report('failed');
    expect(net.view('bob').peers.alice?.state).toBe('connecting');
    expect(bobState(net)).toBe('connecting');
    expect(net.timers.pending).toEqual([]);
    expect(net.links).toHaveLength(4);
  });

  it('waits 2, 5, 15, then 30 s, and stops after 8 tries with the member failed', async () => {
    const net = await connectedPair();
    const waits: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      net.link('alice', 'bob').report('failed');
      waits.push(...net.timers.waits());
      net.timers.fireNext();
      expect(bobState(net)).toBe('connecting');
      await net.settle();
    }
    expect(waits).toEqual([
      'alice 2000',
      'alice 5000',
      'alice 15000',
      ...Array<string>(5).fill('alice 30000'),
    ]);
    net.link('alice', 'bob').report('failed');
    expect(net.timers.pending).toEqual([]);
    expect(bobState(net)).toBe('failed');
    expect(net.linksOf('alice', 'bob')).toHaveLength(9);
    expect(pairs(net, 'offer')).toHaveLength(9);
  });

  it('a link that connects starts the streak over at 2 s', async () => {
    const net = await connectedPair();
    net.link('alice', 'bob').report('failed');
    net.timers.fireNext();
    net.link('alice', 'bob').report('failed');
    expect(net.timers.waits()).toEqual(['alice 5000']);
    net.timers.fireNext();
    await net.settle();
    net.link('alice', 'bob').report('connected');
    net.link('alice', 'bob').report('failed');
    expect(net.timers.waits()).toEqual(['alice 2000']);
  });

  it('a retry whose offer cannot be sent (the network still down) is tried again', async () => {
    const net = await connectedPair();
    net.link('alice', 'bob').report('failed');
    net.unreachable.add('bob');
    net.timers.fireNext();
    await net.settle();
    expect(bobState(net)).toBe('failed');
    expect(net.timers.waits()).toEqual(['alice 5000']);
    net.unreachable.delete('bob');
    net.timers.fireNext();
    await net.settle();
    expect(net.link('alice', 'bob').calls).toContain('remote answer: answer bob->alice');
    net.link('alice', 'bob').report('connected');
    expect(bobState(net)).toBe('connected');
  });

  it('a signal lost on a connected call neither replaces its link nor says it failed', async () => {
    const net = await connectedPair();
    net.unreachable.add('bob');
    net.mesh('alice').setMuted(true);
    await net.settle();
    expect(net.timers.pending).toEqual([]);
    expect(net.link('alice', 'bob').closed).toBe(false);
    // The audio still flows: the panel must not say "could not connect".
    expect(bobState(net)).toBe('connected');
  });

  it('a link that cannot be made is failed and tried again like one that failed', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    net.refuseLinks = 1;
    await joinInTurn(net, 'alice', 'bob');
    expect(bobState(net)).toBe('failed');
    expect(net.timers.waits()).toEqual(['alice 2000']);
    net.timers.fireNext();
    await net.settle();
    net.link('alice', 'bob').report('connected');
    expect(bobState(net)).toBe('connected');
  });

  it.each<[string, (alice: VoiceMesh<FakeMic>) => void, number]>([
    ['I leave voice', (alice) => alice.leave(), 1],
    ['they leave voice', (alice) => alice.receive('bob', { kind: 'leave' }), 1],
    ['they leave the party', (alice) => alice.membersChanged(['alice']), 1],
    // Their app restarted: their join makes a link of its own, which replaces the failed one.
    ['they join again', (alice) => alice.receive('bob', { kind: 'join', muted: false }), 2],
  ])('a pending retry is cancelled when %s', async (_, act, links) => {
    const net = await connectedPair();
    net.link('alice', 'bob').report('failed');
    expect(net.timers.waits()).toEqual(['alice 2000']);
    act(net.mesh('alice'));
    expect(net.timers.pending).toEqual([]);
    await net.settle();
    expect(net.timers.fired).toBe(0);
    expect(net.linksOf('alice', 'bob')).toHaveLength(links);
    expect(pairs(net, 'offer')).toHaveLength(links);
  });
});
