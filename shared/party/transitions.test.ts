import { describe, expect, it } from 'vitest';
import { ControlPlaneError } from '../protocol/errors';
import { PeerInfo } from '../model';
import {
  closeParty,
  createParty,
  endPartyByOperator,
  heartbeat,
  isStale,
  joinParty,
  leaveParty,
  sweepParties,
  sweepParty,
  updatePeer,
} from './transitions';

const T0 = new Date(Date.UTC(2026, 0, 29, 12));
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function peer(id: string): PeerInfo {
  return new PeerInfo({
    peerId: id,
    name: id,
    publicKey: 'key',
    natType: 'open',
    publicIp: '203.0.113.1',
    publicPort: 1,
    localIp: '10.0.0.1',
    localPort: 1,
    lastSeen: new Date(0),
  });
}

function partyWith(...guests: string[]) {
  let party = createParty('p', 'Party', peer('host'), T0).party!;
  for (const g of guests) party = joinParty(party, peer(g), T0).party!;
  return party;
}

describe('party transitions', () => {
  it('createParty makes the host the only peer, stamped now', () => {
    const t = createParty('p', 'Party', peer('host'), T0);
    expect(t.party!.hostId).toBe('host');
    expect([...t.party!.peers.keys()]).toEqual(['host']);
    expect(t.party!.peers.get('host')!.lastSeen).toEqual(T0);
    expect(t.events).toEqual([{ type: 'party_created', party: t.party }]);
  });

  it('joinParty adds a peer; a rejoin refreshes instead', () => {
    const party = partyWith();
    const t = joinParty(party, peer('g'), at(5));
    expect(t.events[0]).toMatchObject({ type: 'peer_joined', peer: { peerId: 'g' } });
    expect(t.party!.peers.get('g')!.lastSeen).toEqual(at(5));
    expect(party.peers.has('g')).toBe(false); // the input is not mutated
    const again = joinParty(t.party!, peer('g'), at(9));
    expect(again.events[0]!.type).toBe('peer_updated');
    expect(again.party!.peers.size).toBe(2);
  });

  it('joinParty refuses a full party', () => {
    const party = partyWith('a');
    expect(() => joinParty(party, peer('b'), T0, { maxPeers: 2 })).toThrow(ControlPlaneError);
    expect(joinParty(party, peer('a'), T0, { maxPeers: 2 }).party!.peers.size).toBe(2);
  });

  it('a guest leaving keeps the party', () => {
    const t = leaveParty(partyWith('a', 'b'), 'a');
    expect([...t.party!.peers.keys()]).toEqual(['host', 'b']);
    expect(t.events).toEqual([{ type: 'peer_left', partyId: 'p', peerId: 'a', reason: 'left' }]);
  });

  it('the host leaving closes the party', () => {
    const t = leaveParty(partyWith('a'), 'host');
    expect(t.party).toBeNull();
    expect(t.events.at(-1)).toEqual({ type: 'party_closed', partyId: 'p', reason: 'host_left' });
  });

  it('the last peer leaving closes the party as empty', () => {
    const t = leaveParty(partyWith(), 'host');
    expect(t.party).toBeNull();
    expect(t.events.at(-1)).toMatchObject({ type: 'party_closed', reason: 'empty' });
  });

  it("the operator ends a party as its host would, with the server's reason", () => {
    const party = joinParty(createParty('p', 'P', peer('h'), T0).party!, peer('b'), T0).party!;
    expect(endPartyByOperator(party)).toEqual({
      party: null,
      events: [{ type: 'party_closed', partyId: 'p', reason: 'ended_by_server' }],
    });
    expect(closeParty(party, 'h').events).toMatchObject([{ reason: 'closed_by_host' }]);
    expect(() => closeParty(party, 'b')).toThrow(ControlPlaneError);
  });

  it('leaving a party one is not in changes nothing', () => {
    const party = partyWith('a');
    expect(leaveParty(party, 'stranger')).toEqual({ party, events: [] });
  });

  it('updatePeer replaces a member and stamps it; a non-member is not_found', () => {
    const t = updatePeer(partyWith('a'), peer('a').with({ name: 'Renamed' }), at(3));
    expect(t.party!.peers.get('a')).toMatchObject({ name: 'Renamed', lastSeen: at(3) });
    expect(t.events[0]!.type).toBe('peer_updated');
    expect(() => updatePeer(partyWith(), peer('x'), T0)).toThrow(/not in party/);
  });

  it('heartbeat refreshes last_seen silently', () => {
    const t = heartbeat(partyWith('a'), 'a', at(60));
    expect(t.party!.peers.get('a')!.lastSeen).toEqual(at(60));
    expect(t.events).toEqual([]);
    expect(() => heartbeat(partyWith(), 'x', T0)).toThrow(ControlPlaneError);
  });

  it('isStale is strictly "silent longer than the timeout"', () => {
    const p = peer('a').with({ lastSeen: T0 });
    expect(isStale(p, at(300), 300_000)).toBe(false);
    expect(isStale(p, at(301), 300_000)).toBe(true);
  });

  it('sweepParty removes stale peers with reason timeout and keeps fresh ones', () => {
    let party = partyWith('old', 'fresh');
    party = heartbeat(party, 'host', at(200)).party!;
    party = heartbeat(party, 'fresh', at(200)).party!;
    const t = sweepParty(party, at(301), 300_000);
    expect([...t.party!.peers.keys()]).toEqual(['host', 'fresh']);
    expect(t.events).toEqual([
      { type: 'peer_left', partyId: 'p', peerId: 'old', reason: 'timeout' },
    ]);
    expect(sweepParty(t.party!, at(302), 300_000).party).toBe(t.party);
  });

  it('sweepParty closes a party whose host went silent, with reason timeout', () => {
    let party = partyWith('g');
    party = heartbeat(party, 'g', at(250)).party!;
    const t = sweepParty(party, at(301), 300_000);
    expect(t.party).toBeNull();
    expect(t.events.at(-1)).toMatchObject({ type: 'party_closed', reason: 'timeout' });
  });

  it('sweepParties reports only the parties that changed', () => {
    const stale = partyWith();
    const fresh = heartbeat(createParty('q', 'Q', peer('h2'), T0).party!, 'h2', at(299)).party!;
    const result = sweepParties(
      new Map([
        ['p', stale],
        ['q', fresh],
      ]),
      at(301),
      300_000,
    );
    expect([...result.changed.keys()]).toEqual(['p']);
    expect(result.changed.get('p')!.party).toBeNull();
    expect(result.events.map((e) => e.type)).toEqual(['peer_left', 'party_closed']);
  });

  it("sweepParties hands each changed party its own events, no other party's", () => {
    const parties = new Map(
      ['p', 'q', 'r'].map((id) => [id, createParty(id, id, peer(`h-${id}`), T0).party!]),
    );
    const result = sweepParties(parties, at(301), 300_000);
    expect(result.events).toHaveLength(6);
    for (const id of ['p', 'q', 'r']) {
      const { party, events } = result.changed.get(id)!;
      expect(party).toBeNull();
      expect(events.map((e) => [e.type, 'partyId' in e && e.partyId])).toEqual([
        ['peer_left', id],
        ['party_closed', id],
      ]);
    }
  });
});

describe('member names', () => {
  const named = (id: string, name: string) => peer(id).with({ name });

  it('a joiner whose name a member already shows gets a visible suffix', () => {
    let party = createParty('p', 'Party', named('host', 'Host'), T0).party!;
    const t = joinParty(party, named('imp', 'Host'), T0);
    expect(t.party!.peers.get('imp')!.name).toBe('Host (2)');
    expect(t.events).toMatchObject([{ type: 'peer_joined', peer: { name: 'Host (2)' } }]);
    party = joinParty(t.party!, named('third', 'host'), T0).party!;
    expect(party.peers.get('third')!.name).toBe('host (3)');
    expect(party.peers.get('host')!.name).toBe('Host');
  });

  it('a rename to a name another member shows gets the suffix; a peer keeps its own name', () => {
    const party = joinParty(
      createParty('p', 'Party', named('host', 'Host'), T0).party!,
      named('b', 'Bob'),
      T0,
    ).party!;
    expect(updatePeer(party, named('b', 'Host'), T0).party!.peers.get('b')!.name).toBe('Host (2)');
    expect(updatePeer(party, named('b', 'Bob'), T0).party!.peers.get('b')!.name).toBe('Bob');
    expect(joinParty(party, named('b', 'Bob'), T0).party!.peers.get('b')!.name).toBe('Bob');
  });
});
