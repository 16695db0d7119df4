import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { PartyInfo } from '../../shared/model';
import { PeerInfo } from '../../shared/model';
import { createParty, joinParty } from '../../shared/party/transitions';
import { partySnapshot, snapshotBytes, snapshotFrame, storedPartyJson } from './snapshots';
import { peerDict } from '../test-util/support';

const party = (): PartyInfo =>
  createParty('p1', 'Party', PeerInfo.fromDict(peerDict('h')), new Date(0)).party!;

describe('party snapshots', () => {
  it('frames the party as party_update with the request_id, equal to serializing it', () => {
    const p = party();
    const frame = JSON.parse(snapshotFrame(partySnapshot(p), 'r-1')) as unknown;
    expect(frame).toEqual({ type: 'party_update', request_id: 'r-1', party: p.toStoredDict() });
    const bare = JSON.parse(snapshotFrame(partySnapshot(p), undefined)) as unknown;
    expect(bare).toEqual({ type: 'party_update', party: p.toStoredDict() });
  });

  it('serializes one party version once, and a new version anew', () => {
    const p = party();
    const first = partySnapshot(p).party;
    // Strings compare by content, so the cache shows in the work not done again.
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      expect(partySnapshot(p).party).toBe(first);
      expect(stringify).not.toHaveBeenCalled();
      const renamed = partySnapshot(p.with({ name: 'Renamed' })).party;
      expect(stringify).toHaveBeenCalled();
      expect((JSON.parse(renamed) as { name: string }).name).toBe('Renamed');
    } finally {
      stringify.mockRestore();
    }
  });

  it('frames the presence beside the party, and counts a snapshot in UTF-8 bytes', () => {
    const p = party().with({ name: 'Ünïcode 派对' });
    const presence = JSON.stringify({ h: { status: 'online', last_seen: 'x', rtt_ms: null } });
    const snapshot = partySnapshot(p, presence, 7);
    expect(JSON.parse(snapshotFrame(snapshot, 'r'))).toEqual({
      type: 'party_update',
      request_id: 'r',
      seq: 7,
      party: p.toStoredDict(),
      presence: JSON.parse(presence) as unknown,
    });
    expect(snapshotBytes(snapshot)).toBe(
      Buffer.byteLength(JSON.stringify(p.toStoredDict())) + Buffer.byteLength(presence),
    );
    expect(snapshotBytes(snapshot)).toBeGreaterThan(snapshot.party.length + presence.length);
  });

  it("measures a party version's size once, however many get_party answers it makes", () => {
    const p = party();
    const measure = vi.spyOn(Buffer, 'byteLength');
    try {
      const json = partySnapshot(p).party;
      const partyMeasures = () => measure.mock.calls.filter(([value]) => value === json).length;
      for (let i = 0; i < 3; i++) snapshotBytes(partySnapshot(p, '{}'));
      expect(partyMeasures()).toBe(1);
      const renamed = p.with({ name: 'Ünïcode 派对' });
      expect(snapshotBytes(partySnapshot(renamed))).toBe(
        Buffer.byteLength(JSON.stringify(renamed.toStoredDict())),
      );
    } finally {
      measure.mockRestore();
    }
  });

  it('escapes a request_id that needs it', () => {
    const frame = snapshotFrame(partySnapshot(party()), 'a"b\\c');
    expect((JSON.parse(frame) as { request_id: string }).request_id).toBe('a"b\\c');
  });
});

describe('storedPartyJson', () => {
  it('is byte for byte JSON.stringify(party.toStoredDict()), for any members', () => {
    const member = fc.record({
      // Digits alone too: an object lists such keys first, in numeric order.
      id: fc.oneof(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/),
        fc.nat().map(String),
        fc.constantFrom('4294967294', '4294967295', '007', '0'),
      ),
      name: fc.string({ minLength: 1, maxLength: 24 }).filter((n) => n.trim() === n && n !== ''),
      at: fc.integer({ min: 0, max: 4_000_000_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(member, { maxLength: 12 }), (members) => {
        let p = party();
        for (const m of members) {
          const dict = peerDict(m.id, { name: m.name, last_seen: new Date(m.at).toISOString() });
          let peer: PeerInfo;
          try {
            peer = PeerInfo.fromDict(dict);
          } catch {
            continue; // a name the model refuses is not a member
          }
          p = joinParty(p, peer, new Date(m.at)).party ?? p;
        }
        expect(storedPartyJson(p)).toBe(JSON.stringify(p.toStoredDict()));
        // Asked again, from the members' cached JSON: still the same.
        expect(storedPartyJson(p.with({ name: 'Again' }))).toBe(
          JSON.stringify(p.with({ name: 'Again' }).toStoredDict()),
        );
      }),
    );
  });
});
