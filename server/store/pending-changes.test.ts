/**
 * What a batch the store did not take leaves behind: its party changes whole, and its fan-out
 * (signals, pushes to other servers' members) only within bounds, the newest kept; each
 * member's latest presence change only. An outage used to keep every frame and re-send all.
 */
import { describe, expect, it } from 'vitest';
import { PeerInfo } from '../../shared/model';
import { createParty } from '../../shared/party/transitions';
import { peerDict } from '../test-util/support';
import { MAX_KEPT_FANOUT, MAX_KEPT_FANOUT_CHARS, PendingChanges } from './pending-changes';

const frame = (i: number, size = 0): string => JSON.stringify({ i, pad: 'x'.repeat(size) });
const framesOf = (changes: PendingChanges): string[] =>
  (changes.take()?.replication?.fanout ?? []).map(([, f]) => f);

describe('PendingChanges put back', () => {
  it('keeps the party change and only the newest fan-out frames, however many', () => {
    const changes = new PendingChanges(true);
    const party = createParty('party_k', 'K', PeerInfo.fromDict(peerDict('h')), new Date()).party!;
    changes.party('party_k', null, party);
    // Past where unshift(...batch) overflowed the stack (~130 000).
    for (let i = 0; i < 200_000; i++) changes.fanout(['b'], frame(i));
    const batch = changes.take()!;
    changes.fanout(['b'], frame(200_000)); // Came while the batch was being written.
    expect(changes.putBack(batch)).toBe(200_001 - MAX_KEPT_FANOUT);
    expect(changes.fanoutCount).toBe(MAX_KEPT_FANOUT);
    const again = changes.take()!;
    expect(again.parties).toEqual([{ partyId: 'party_k', base: null, next: party }]);
    const kept = again.replication!.fanout.map(([, f]) => f);
    expect(kept[0]).toBe(frame(200_001 - MAX_KEPT_FANOUT));
    expect(kept.at(-1)).toBe(frame(200_000));
  });

  it('keeps the newest frames within their total length; under the bounds, all', () => {
    const changes = new PendingChanges(true);
    const size = 60_000;
    for (let i = 0; i < 200; i++) changes.fanout(['b'], frame(i, size));
    const fits = Math.floor(MAX_KEPT_FANOUT_CHARS / frame(0, size).length);
    expect(changes.putBack(changes.take()!)).toBe(200 - fits);
    const kept = framesOf(changes);
    expect(kept).toHaveLength(fits);
    expect(kept.at(-1)).toBe(frame(199, size));
    for (let i = 0; i < 10; i++) changes.fanout(['b'], frame(i));
    expect(changes.putBack(changes.take()!)).toBe(0);
    expect(framesOf(changes)).toEqual(Array.from({ length: 10 }, (_, i) => frame(i)));
  });

  it('keeps each member’s latest presence change only, in a batch put back', () => {
    const changes = new PendingChanges(true);
    const change = (peerId: string, status: 'online' | 'offline') => ({
      partyId: 'party_k',
      peerId,
      presence: { status, last_seen: '2026-01-01T00:00:00Z', rtt_ms: null },
    });
    changes.presence([change('a', 'online'), change('b', 'online'), change('a', 'offline')]);
    changes.fanout(['b'], frame(0)); // Presence alone makes no batch.
    const batch = changes.take()!;
    changes.presence([change('a', 'online')]);
    changes.putBack(batch);
    const presence = changes.take()!.replication!.presence;
    expect(presence.map((c) => [c.peerId, c.presence.status])).toEqual([
      ['b', 'online'],
      ['a', 'online'],
    ]);
  });
});
