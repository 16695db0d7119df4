import { describe, expect, it } from 'vitest';
import { createParty, heartbeat, joinParty, leaveParty } from '../../shared/party-transitions';
import { diffParty, sameParty } from './party-diff';
import { makePeer } from './test-util/fixtures';

const T0 = new Date(Date.UTC(2026, 0, 29));
const base = createParty('p', 'P', makePeer('host'), T0).party!;

describe('diffParty', () => {
  it('describes joins, leaves and updates, ignoring last_seen alone', () => {
    const withA = joinParty(base, makePeer('a'), T0).party!;
    expect(diffParty(base, withA).map((e) => e.type)).toEqual(['peer_joined']);
    expect(diffParty(withA, leaveParty(withA, 'a').party).map((e) => e.type)).toEqual([
      'peer_left',
    ]);
    const beat = heartbeat(withA, 'a', new Date(T0.getTime() + 1000)).party!;
    expect(diffParty(withA, beat)).toEqual([]);
    expect(sameParty(withA, beat)).toBe(false);
    const renamed = joinParty(withA, makePeer('a', 'Renamed'), T0).party!;
    expect(diffParty(withA, renamed)).toMatchObject([{ type: 'peer_updated' }]);
  });

  it('a vanished party is closed', () => {
    expect(diffParty(base, null)).toEqual([
      { type: 'party_closed', partyId: 'p', reason: 'host_left' },
    ]);
    expect(sameParty(base, createParty('p', 'P', makePeer('host'), T0).party!)).toBe(true);
  });
});
