/**
 * How two members in voice come to a call: who offers, `join` and `here`, candidates that come
 * early, and a member who starts our call over and over.
 */
import { describe, expect, it } from 'vitest';
import { FakeVoiceNet, tick } from '../test-util/voice-fakes';
import { calm, candidate, joinInTurn, pairs } from '../test-util/voice-mesh-support';

describe('VoiceMesh: who offers', () => {
  it.each([
    ['alice joins first', ['alice', 'bob']],
    ['bob joins first', ['bob', 'alice']],
  ])('exactly one offer crosses a pair (%s), and both sides reach connected', async (_, order) => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    await joinInTurn(net, ...order);
    expect(pairs(net, 'offer')).toEqual(['alice->bob']);
    expect(pairs(net, 'answer')).toEqual(['bob->alice']);
    expect(net.link('alice', 'bob').calls).toEqual([
      'create offer',
      'local offer',
      'remote answer: answer bob->alice',
    ]);
    expect(net.link('bob', 'alice').calls).toEqual([
      'remote offer: offer alice->bob',
      'create answer',
      'local answer',
    ]);
    expect(net.view('alice').peers).toEqual({ bob: { state: 'connecting', ...calm } });
    net.link('alice', 'bob').report('connected');
    net.link('bob', 'alice').report('connected');
    expect(net.view('alice').peers).toEqual({ bob: { state: 'connected', ...calm } });
    expect(net.view('bob').peers).toEqual({ alice: { state: 'connected', ...calm } });
  });

  it('two members joining at the same moment still make one offer and one link each', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    await Promise.all([net.mesh('bob').join(), net.mesh('alice').join()]);
    await net.settle();
    expect(pairs(net, 'offer')).toEqual(['alice->bob']);
    expect(net.linksOf('alice', 'bob')).toHaveLength(1);
    expect(net.linksOf('bob', 'alice')).toHaveLength(1);
    expect(net.link('bob', 'alice').calls[0]).toBe('remote offer: offer alice->bob');
  });

  it('in a party of three, each pair has one offer, made by the smaller peer id', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await joinInTurn(net, 'carol', 'alice', 'bob');
    expect(pairs(net, 'offer').sort()).toEqual(['alice->bob', 'alice->carol', 'bob->carol']);
    expect(Object.keys(net.view('carol').peers).sort()).toEqual(['alice', 'bob']);
  });
});

describe('VoiceMesh: join and here', () => {
  it('join goes to every other member; only members in voice answer here', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await joinInTurn(net, 'bob');
    expect(pairs(net, 'join').sort()).toEqual(['bob->alice', 'bob->carol']);
    expect(pairs(net, 'here')).toEqual([]);
    expect(net.links).toEqual([]);
    await joinInTurn(net, 'alice');
    expect(pairs(net, 'here')).toEqual(['bob->alice']);
    // Carol, out of voice, never answers and links to no one.
    expect(net.sent.filter((s) => s.from === 'carol')).toEqual([]);
    expect(net.links.filter((l) => l.owner === 'carol')).toEqual([]);
    expect(net.view('carol')).toMatchObject({ joined: false, peers: {} });
  });

  it('out of voice, nothing is answered and no link made; join and here note who is in', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    const bob = net.mesh('bob');
    for (const signal of [
      { kind: 'join', muted: false },
      { kind: 'here', muted: false },
      { kind: 'offer', sdp: 'offer-sdp' },
      candidate('c1'),
    ] as const) {
      bob.receive('alice', signal);
    }
    await net.settle();
    expect(net.sent).toEqual([]);
    expect(net.links).toEqual([]);
    expect(net.view('bob').peers).toEqual({});
    expect(net.view('bob').present).toEqual(['alice']);
  });

  it('a second join from a member I have a link to replaces the link (their app restarted)', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    await joinInTurn(net, 'alice', 'bob');
    const old = net.link('alice', 'bob');
    old.report('connected');
    net.mesh('alice').receive('bob', { kind: 'join', muted: true });
    expect(old.closed).toBe(true);
    expect(net.view('alice').peers).toEqual({
      bob: { state: 'connecting', muted: true, speaking: false, relayed: false },
    });
    await net.settle();
    expect(net.linksOf('alice', 'bob')).toHaveLength(2);
    expect(pairs(net, 'offer')).toEqual(['alice->bob', 'alice->bob']);
    expect(net.link('alice', 'bob').calls).toContain('remote answer: answer bob->alice');
    // The old link's late report no longer speaks for bob.
    old.report('failed');
    expect(net.view('alice').peers.bob?.state).toBe('connecting');
  });
});

describe('VoiceMesh: candidates', () => {
  it('the answerer queues candidates that come before the offer, then applies them in order', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    const bob = net.mesh('bob');
    await bob.join();
    bob.receive('alice', { kind: 'here', muted: false });
    bob.receive('alice', candidate('c1'));
    bob.receive('alice', candidate('c2'));
    await tick();
    const link = net.link('bob', 'alice');
    expect(link.calls).toEqual([]);
    bob.receive('alice', { kind: 'offer', sdp: 'offer-sdp' });
    // While the description is being set: it must still wait.
    bob.receive('alice', candidate('c3'));
    await net.settle();
    expect(link.calls[0]).toBe('remote offer: offer-sdp');
    expect(link.calls.filter((c) => c.startsWith('candidate'))).toEqual([
      'candidate c1',
      'candidate c2',
      'candidate c3',
    ]);
    expect(pairs(net, 'answer')).toEqual(['bob->alice']);
  });

  it('the offerer queues candidates that come before the answer', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    const alice = net.mesh('alice');
    await alice.join();
    alice.receive('bob', { kind: 'here', muted: false });
    alice.receive('bob', candidate('c1'));
    await net.settle();
    const link = net.link('alice', 'bob');
    expect(link.calls).toEqual(['create offer', 'local offer']);
    alice.receive('bob', { kind: 'answer', sdp: 'answer-sdp' });
    await net.settle();
    expect(link.calls.slice(2)).toEqual(['remote answer: answer-sdp', 'candidate c1']);
  });

  it('a local candidate goes to that member as a candidate signal', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    await joinInTurn(net, 'alice', 'bob');
    const c = { candidate: 'candidate:1 1 udp 1 10.0.0.2 5000 typ host', sdp_mid: '0' };
    net.link('alice', 'bob').handlers.onIceCandidate({ ...c, sdp_m_line_index: 0 });
    await net.settle();
    expect(net.sentOf('candidate')).toEqual([
      { from: 'alice', to: 'bob', signal: { kind: 'candidate', ...c, sdp_m_line_index: 0 } },
    ]);
    expect(net.link('bob', 'alice').calls.at(-1)).toBe(`candidate ${c.candidate}`);
  });
});

describe('VoiceMesh: a member restarting our call in a loop', () => {
  it('a join on a live link starts the call over at most once in 2 s', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    await joinInTurn(net, 'alice', 'bob');
    const links = () => net.linksOf('alice', 'bob').length;
    expect(links()).toBe(1);
    for (let i = 0; i < 5; i += 1) net.mesh('alice').receive('bob', { kind: 'join', muted: false });
    expect(links()).toBe(2);
    net.timers.advance(1_999);
    net.mesh('alice').receive('bob', { kind: 'join', muted: false });
    expect(links()).toBe(2);
    net.timers.advance(1);
    net.mesh('alice').receive('bob', { kind: 'join', muted: false });
    expect(links()).toBe(3);
  });

  it('so does a fresh offer on a link that already has one', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    await joinInTurn(net, 'alice', 'bob');
    const links = () => net.linksOf('bob', 'alice').length;
    for (let i = 0; i < 5; i += 1) {
      net.mesh('bob').receive('alice', { kind: 'offer', sdp: `again ${i}` });
    }
    expect(links()).toBe(2);
    net.timers.advance(2_000);
    net.mesh('bob').receive('alice', { kind: 'offer', sdp: 'later' });
    expect(links()).toBe(3);
  });
});
