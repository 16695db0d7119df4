/**
 * The fan-out of one transition: every per-party change is its own event, numbered by the
 * caller; a snapshot goes only to connections too old for that event (`legacy`), never to
 * everyone in the middle of the event stream.
 */
import { describe, expect, it } from 'vitest';
import { PeerInfo, type PartyInfo } from '../../shared/model';
import { kickPeer, updateSettings } from '../../shared/access/transitions';
import type { PartyEvent } from '../../shared/party/events';
import { withDefaults } from '../../shared/party/settings';
import { createParty, joinParty } from '../../shared/party/transitions';
import {
  BAN_REASON_SINCE,
  PEER_EVENTS_SINCE,
  SETTINGS_EVENTS_SINCE,
} from '../../shared/protocol/protocol';
import { deliveriesFor, messageFor } from './fanout';

const T0 = new Date(Date.UTC(2026, 0, 29, 12));

function peer(id: string, name = id): PeerInfo {
  return new PeerInfo({
    peerId: id,
    name,
    publicKey: 'key',
    natType: 'open',
    publicIp: '203.0.113.1',
    publicPort: 1,
    localIp: '10.0.0.1',
    localPort: 1,
    lastSeen: T0,
  });
}

function partyOf(...guests: string[]): PartyInfo {
  let party = createParty('p', 'Party', peer('host'), T0).party!;
  for (const g of guests) party = joinParty(party, peer(g), T0).party!;
  return party;
}

const snapshot = (party: PartyInfo) => ({ type: 'party_update' as const, party: party.toDict() });

describe('deliveriesFor', () => {
  it('sends a settings change as one settings_changed, the snapshot only as its legacy', () => {
    const before = partyOf('a', 'b');
    const t = updateSettings(before, 'host', withDefaults({ locked: true, maxPeers: 5 }));
    const out = deliveriesFor(before, t.party, t.events, new Set(['host']), snapshot);
    expect(out).toHaveLength(1);
    expect(out[0]!.recipients).toEqual(['a', 'b']);
    expect(out[0]!.message).toEqual({
      type: 'settings_changed',
      party_id: 'p',
      settings: {
        host_migration: false,
        max_peers: 5,
        join_policy: 'open',
        locked: true,
        visibility: 'private',
      },
    });
    expect(out[0]!.legacy).toEqual({ message: snapshot(t.party!), since: SETTINGS_EVENTS_SINCE });
  });

  it('sends one peer_updated per peer when a transition changes several', () => {
    const before = partyOf('a', 'b', 'c');
    const a = peer('a', 'Ann');
    const b = peer('b', 'Bob');
    const peers = new Map(before.peers).set('a', a).set('b', b);
    const after = before.with({ peers });
    const events: PartyEvent[] = [
      { type: 'peer_updated', partyId: 'p', peer: a },
      { type: 'peer_updated', partyId: 'p', peer: b },
    ];
    const out = deliveriesFor(before, after, events, new Set(), snapshot);
    expect(out.map((d) => d.message)).toEqual([
      { type: 'peer_updated', party_id: 'p', peer: a.toDict() },
      { type: 'peer_updated', party_id: 'p', peer: b.toDict() },
    ]);
    for (const d of out) {
      expect(d.recipients).toEqual(['host', 'a', 'b', 'c']);
      expect(d.legacy).toEqual({ message: snapshot(after), since: PEER_EVENTS_SINCE });
    }
  });

  it('tells the other events as they were, with no snapshot', () => {
    const before = partyOf('a');
    const t = joinParty(before, peer('b'), T0);
    const out = deliveriesFor(before, t.party, t.events, new Set(['b']), snapshot);
    expect(out).toHaveLength(1);
    expect(out[0]!.message).toMatchObject({ type: 'peer_joined', party_id: 'p' });
    expect(out[0]!.legacy).toBeUndefined();
  });

  // Protocol 1.11: `banned` to the host who banned, and only to it; `kicked` to everyone else.
  it('says a ban as banned to the host (kicked before 1.11), kicked to the others, one number', () => {
    const before = partyOf('a', 'b');
    const t = kickPeer(before, 'host', 'a', true);
    const out = deliveriesFor(before, t.party, t.events, new Set(), snapshot);
    const left = (reason: string) => ({ type: 'peer_left', party_id: 'p', peer_id: 'a', reason });
    expect(out).toEqual([
      {
        recipients: ['host'],
        message: left('banned'),
        legacy: { message: left('kicked'), since: BAN_REASON_SINCE },
      },
      { recipients: ['b'], message: left('kicked'), sameSeq: true },
    ]);
    // Said alone, as a timed-out member or any other member is told of it: kicked.
    expect(messageFor(t.events[0]!)).toEqual(left('kicked'));
  });

  it('tells a host that caused a ban itself (answered directly) nothing, the others kicked', () => {
    const before = partyOf('a', 'b');
    const t = kickPeer(before, 'host', 'a', true);
    const out = deliveriesFor(before, t.party, t.events, new Set(['host']), snapshot);
    expect(out).toEqual([
      {
        recipients: ['b'],
        message: { type: 'peer_left', party_id: 'p', peer_id: 'a', reason: 'kicked' },
      },
    ]);
  });
});
