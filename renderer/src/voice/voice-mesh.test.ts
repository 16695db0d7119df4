import { describe, expect, it } from 'vitest';
import type { VoiceSignal } from '../../../shared/voice';
import { type FakeMic, FakeVoiceNet, tick } from '../test-util/voice-fakes';
import { MIC_ERROR, type VoiceMesh } from './voice-mesh';

/** Each member joins voice in turn, every signal delivered before the next one joins. */
async function joinInTurn(net: FakeVoiceNet, ...peerIds: string[]): Promise<void> {
  for (const peerId of peerIds) {
    await net.mesh(peerId).join();
    await net.settle();
  }
}

const pairs = (net: FakeVoiceNet, kind: VoiceSignal['kind']) =>
  net.sentOf(kind).map((s) => `${s.from}->${s.to}`);

const candidate = (text: string): VoiceSignal => ({
  kind: 'candidate',
  candidate: text,
  sdp_mid: '0',
  sdp_m_line_index: 0,
});

const calm = { muted: false, speaking: false, relayed: false };

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

describe('VoiceMesh: leaving', () => {
  it('leave tells every member, hangs up, gives the mic back; the others drop me', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await joinInTurn(net, 'alice', 'bob');
    net.link('bob', 'alice').report('connected');
    net.mesh('alice').leave();
    await net.settle();
    expect(pairs(net, 'leave').sort()).toEqual(['alice->bob', 'alice->carol']);
    expect(net.link('alice', 'bob').closed).toBe(true);
    expect(net.mics.get('alice')?.stopped).toBe(true);
    expect(net.view('alice')).toEqual({
      joined: false,
      joining: false,
      muted: false,
      error: null,
      peers: {},
      // Bob is still in voice, and Alice's panel says so.
      present: ['bob'],
    });
    expect(net.link('bob', 'alice').closed).toBe(true);
    expect(net.view('bob').peers).toEqual({});
    expect(net.view('bob').joined).toBe(true);
  });

  it('a member who left the party loses their link', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await joinInTurn(net, 'alice', 'bob', 'carol');
    net.mesh('alice').membersChanged(['alice', 'bob']);
    expect(net.link('alice', 'carol').closed).toBe(true);
    expect(net.link('alice', 'bob').closed).toBe(false);
    expect(Object.keys(net.view('alice').peers)).toEqual(['bob']);
  });

  it('leaving while the microphone opens gives it back and stays out', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    let open = (): void => undefined;
    net.micGate = new Promise((resolve) => (open = resolve));
    const joining = net.mesh('alice').join();
    expect(net.view('alice').joining).toBe(true);
    net.mesh('alice').leave();
    open();
    await joining;
    expect(net.mics.get('alice')?.stopped).toBe(true);
    expect(net.view('alice')).toMatchObject({ joined: false, joining: false });
    expect(net.sent).toEqual([]);
  });
});

describe('VoiceMesh: failures', () => {
  it('a microphone that does not open leaves me out of voice with an error', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    net.noMic.add('alice');
    await net.mesh('alice').join();
    expect(net.view('alice')).toMatchObject({ joined: false, joining: false, error: MIC_ERROR });
    expect(MIC_ERROR).toMatch(/could not open your microphone/i);
    expect(net.sent).toEqual([]);
    net.noMic.delete('alice');
    await net.mesh('alice').join();
    expect(net.view('alice')).toMatchObject({ joined: true, error: null });
  });

  it.each(['unreachable', 'throwing'] as const)(
    'a send that fails (%s) marks that member failed, and only them',
    async (how) => {
      const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
      await joinInTurn(net, 'alice');
      net[how].add('bob');
      await joinInTurn(net, 'bob', 'carol');
      expect(net.view('alice').peers.bob?.state).toBe('failed');
      expect(net.view('alice').peers.carol?.state).toBe('connecting');
      net.link('alice', 'carol').report('connected');
      expect(net.view('alice').peers.carol?.state).toBe('connected');
    },
  );

  it('a description the link refuses marks that member failed', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    const bob = net.mesh('bob');
    await bob.join();
    bob.receive('alice', { kind: 'here', muted: false });
    net.link('bob', 'alice').refuseRemote = true;
    bob.receive('alice', { kind: 'offer', sdp: 'bad' });
    await net.settle();
    expect(net.view('bob').peers.alice?.state).toBe('failed');
    expect(pairs(net, 'answer')).toEqual([]);
  });
});

describe('VoiceMesh: a member whose app restarted mid-call', () => {
  it('asks as an app out of voice does: their call ends here, and I answer that I am in', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    await joinInTurn(net, 'alice', 'bob');
    const old = net.link('alice', 'bob');
    old.report('connected');
    net.mesh('alice').receive('bob', { kind: 'ask' });
    await net.settle();
    expect(old.closed).toBe(true);
    expect(net.view('alice').peers).toEqual({});
    // Alice answered Bob's join with here once; now his ask, once more.
    expect(pairs(net, 'here')).toEqual(['alice->bob', 'alice->bob']);
    // No retry brings the old call back: Bob is out of voice until he joins.
    old.report('failed');
    expect(net.view('alice').peers).toEqual({});
  });

  it('out of voice, their asking takes them off "In voice now"', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await joinInTurn(net, 'alice', 'bob');
    expect(net.view('carol').present).toEqual(['alice', 'bob']);
    net.mesh('carol').receive('bob', { kind: 'ask' });
    expect(net.view('carol').present).toEqual(['alice']);
  });
});

describe('VoiceMesh: who is in voice, seen from outside', () => {
  it('a member out of voice asks each member once; those in voice answer here', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await joinInTurn(net, 'bob');
    net.mesh('bob').setMuted(true);
    await net.settle();
    // Dan's app opens on the party: it asks everyone, Bob (in voice, muted) answers.
    const dan = new FakeVoiceNet(['dan']);
    net.meshes.set('dan', dan.mesh('dan'));
    dan.inbox.length = 0;
    const members = ['alice', 'bob', 'carol', 'dan'];
    for (const mesh of net.meshes.values()) mesh.membersChanged(members);
    await dan.settle();
    for (const s of dan.sent) net.inbox.push(s);
    await net.settle();
    expect(dan.sent.map((s) => `${s.signal.kind}->${s.to}`).sort()).toEqual([
      'ask->alice',
      'ask->bob',
      'ask->carol',
    ]);
    expect(pairs(net, 'here')).toEqual(['bob->dan']);
    // Alice and Carol, out of voice, asked Dan (new to them), who is not in voice either.
    expect(pairs(net, 'ask').sort()).toEqual(['alice->dan', 'carol->dan']);
    expect(net.linksOf('bob', 'dan')).toEqual([]);
    // The same members again ask nobody.
    const before = net.sent.length + dan.sent.length;
    for (const mesh of net.meshes.values()) mesh.membersChanged(members);
    await net.settle();
    expect(net.sent.length + dan.sent.length).toBe(before);
  });

  it('out of voice, the panel follows joins and leaves, and members leaving the party', async () => {
    const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
    await joinInTurn(net, 'alice', 'bob');
    expect(net.view('carol').present).toEqual(['alice', 'bob']);
    net.mesh('alice').leave();
    await net.settle();
    expect(net.view('carol').present).toEqual(['bob']);
    net.mesh('carol').membersChanged(['alice', 'carol']);
    expect(net.view('carol').present).toEqual([]);
  });

  it('joining voice links to those shown in voice, and the list of the outside is emptied', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    await joinInTurn(net, 'bob', 'alice');
    expect(net.view('alice').present).toEqual([]);
    expect(Object.keys(net.view('alice').peers)).toEqual(['bob']);
  });
});

/** Alice (who offers to Bob) and Bob in voice, both links connected. */
async function connectedPair(): Promise<FakeVoiceNet> {
  const net = new FakeVoiceNet(['alice', 'bob']);
  await joinInTurn(net, 'alice', 'bob');
  net.link('alice', 'bob').report('connected');
  net.link('bob', 'alice').report('connected');
  return net;
}

const bobState = (net: FakeVoiceNet) => net.view('alice').peers.bob?.state;

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
