/**
 * Who is in voice: leaving it, a member whose app restarted and asks, and the "In voice now"
 * list an app out of voice keeps.
 */
import { describe, expect, it } from 'vitest';
import { FakeVoiceNet } from '../test-util/voice-fakes';
import { joinInTurn, pairs } from '../test-util/voice-mesh-support';

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
      deafened: false,
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
