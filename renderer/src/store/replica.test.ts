import { describe, expect, it } from 'vitest';
import { makeParty, makePeer, makeState, makeStatus } from '../test-util/fixtures';
import { applyStateEvent, EMPTY_REPLICA, mergeParty, type Replica } from './replica';

function withParty(): Replica {
  return applyStateEvent(EMPTY_REPLICA, {
    type: 'snapshot',
    state: makeState({ party: makeParty('alice', ['bob', 'carol']) }),
  });
}

describe('applyStateEvent', () => {
  it('snapshot replaces the whole replica and marks it ready', () => {
    const r = withParty();
    expect(r.ready).toBe(true);
    expect(r.me?.peer_id).toBe('alice');
    expect(Object.keys(r.party!.peers)).toEqual(['alice', 'bob', 'carol']);
    expect(r.settings?.peer_name).toBe('Alice');
  });

  it('a second snapshot keeps unchanged peer objects', () => {
    const r1 = withParty();
    const next = makeParty('alice', ['bob', 'carol']);
    next.peers.bob = makePeer('bob', { last_seen: '2026-01-29T12:00:30' });
    const r2 = applyStateEvent(r1, { type: 'snapshot', state: makeState({ party: next }) });
    expect(r2.party!.peers.alice).toBe(r1.party!.peers.alice);
    expect(r2.party!.peers.carol).toBe(r1.party!.peers.carol);
    expect(r2.party!.peers.bob).not.toBe(r1.party!.peers.bob);
    expect(r2.party!.peers.bob!.last_seen).toBe('2026-01-29T12:00:30');
  });

  it('status replaces only the status', () => {
    const r1 = withParty();
    const r2 = applyStateEvent(r1, {
      type: 'status',
      status: makeStatus({ state: 'reconnecting', reconnectAttempt: 2 }),
    });
    expect(r2.status?.state).toBe('reconnecting');
    expect(r2.status?.reconnectAttempt).toBe(2);
    expect(r2.party).toBe(r1.party);
  });

  it('party replaces the party, keeping identical peers, and null clears it', () => {
    const r1 = withParty();
    const updated = makeParty('alice', ['bob']);
    const r2 = applyStateEvent(r1, { type: 'party', party: updated });
    expect(Object.keys(r2.party!.peers)).toEqual(['alice', 'bob']);
    expect(r2.party!.peers.bob).toBe(r1.party!.peers.bob);
    expect(applyStateEvent(r2, { type: 'party', party: null }).party).toBeNull();
  });

  it('an identical party update returns the same party object', () => {
    const r1 = withParty();
    const r2 = applyStateEvent(r1, { type: 'party', party: makeParty('alice', ['bob', 'carol']) });
    expect(r2.party).toBe(r1.party);
  });

  it('a new peer comes last in arrival and a removed one leaves it; an update keeps its place', () => {
    const r1 = applyStateEvent(withParty(), {
      type: 'peer',
      party_id: 'party_abc123',
      peer: makePeer('42'),
    });
    expect(r1.party!.arrival).toEqual(['alice', 'bob', 'carol', '42']);
    const r2 = applyStateEvent(r1, {
      type: 'peer',
      party_id: 'party_abc123',
      peer: makePeer('bob'),
    });
    expect(r2.party!.arrival).toEqual(['alice', 'bob', 'carol', '42']);
    const r3 = applyStateEvent(r2, {
      type: 'peer_removed',
      party_id: 'party_abc123',
      peer_id: 'bob',
    });
    expect(r3.party!.arrival).toEqual(['alice', 'carol', '42']);
  });

  it('a party whose members came in another order is a change', () => {
    const r1 = withParty();
    const reordered = makeParty('alice', ['bob', 'carol'], { arrival: ['alice', 'carol', 'bob'] });
    const r2 = applyStateEvent(r1, { type: 'party', party: reordered });
    expect(r2.party!.arrival).toEqual(['alice', 'carol', 'bob']);
  });

  it('peer updates one peer and leaves the others untouched', () => {
    const r1 = withParty();
    const bob = makePeer('bob', { public_port: 40000 });
    const r2 = applyStateEvent(r1, { type: 'peer', party_id: 'party_abc123', peer: bob });
    expect(r2.party!.peers.bob).toEqual(bob);
    expect(r2.party!.peers.alice).toBe(r1.party!.peers.alice);
    expect(r2.party!.peers.carol).toBe(r1.party!.peers.carol);
  });

  it('peer adds a new peer, and also refreshes me when it is mine', () => {
    const r1 = withParty();
    const r2 = applyStateEvent(r1, {
      type: 'peer',
      party_id: 'party_abc123',
      peer: makePeer('dave'),
    });
    expect(Object.keys(r2.party!.peers)).toContain('dave');
    const meNow = makePeer('alice', { last_seen: '2026-01-29T12:01:00' });
    const r3 = applyStateEvent(r2, { type: 'peer', party_id: 'party_abc123', peer: meNow });
    expect(r3.me).toEqual(meNow);
  });

  it('peer for another party is ignored', () => {
    const r1 = withParty();
    const r2 = applyStateEvent(r1, {
      type: 'peer',
      party_id: 'other_party',
      peer: makePeer('dave'),
    });
    expect(r2).toBe(r1);
  });

  it('peer_removed drops the peer; unknown peers and other parties are ignored', () => {
    const r1 = withParty();
    const r2 = applyStateEvent(r1, {
      type: 'peer_removed',
      party_id: 'party_abc123',
      peer_id: 'bob',
    });
    expect(Object.keys(r2.party!.peers)).toEqual(['alice', 'carol']);
    expect(
      applyStateEvent(r2, { type: 'peer_removed', party_id: 'party_abc123', peer_id: 'bob' }),
    ).toBe(r2);
    expect(applyStateEvent(r2, { type: 'peer_removed', party_id: 'x', peer_id: 'alice' })).toBe(r2);
  });

  it('discovered replaces the discovered list', () => {
    const parties = [
      {
        party_id: 'p1',
        name: 'LAN',
        host_name: 'Bob',
        peer_count: 2,
        max_peers: 8,
        join_policy: null,
        online_count: null,
        created_at: null,
        where: 'lan' as const,
        address: '192.168.1.20',
        contested: false,
        host_pin: null,
      },
    ];
    expect(applyStateEvent(withParty(), { type: 'discovered', parties }).discovered).toEqual(
      parties,
    );
  });

  it('settings replaces the settings', () => {
    const settings = {
      peer_name: 'Zed',
      control_server: null,
      voice_volumes: {},
      relay_only: false,
      mute_shortcut: null,
    };
    expect(applyStateEvent(withParty(), { type: 'settings', settings }).settings).toEqual(settings);
  });
});

describe('mergeParty', () => {
  it('returns the new party as is when the party id changed', () => {
    const a = makeParty('alice');
    const b = makeParty('alice', [], { party_id: 'other' });
    expect(mergeParty(a, b)).toBe(b);
  });
});

describe('mergeParty: party settings', () => {
  it('keeps the same party object when nothing changed, and takes changed settings', () => {
    const a = makeParty('alice', ['bob']);
    expect(mergeParty(a, makeParty('alice', ['bob']))).toBe(a);
    const locked = makeParty('alice', ['bob'], { settings: { ...a.settings, locked: true } });
    const merged = mergeParty(a, locked);
    expect(merged?.settings.locked).toBe(true);
    // Unchanged peers keep their objects, so their rows do not re-render.
    expect(merged?.peers.bob).toBe(a.peers.bob);
  });
});
