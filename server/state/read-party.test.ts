/**
 * readParty with this server's copy: members stored exactly as in the copy are taken from
 * it, anything else is validated as before, and the result is the party the value holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PeerInfo, type PartyInfo } from '../../shared/model';
import { createParty, joinParty, leaveParty } from '../../shared/party/transitions';
import { peerDict } from '../test-util/support';
import { readParty, storedParty } from './replication';

const peer = (id: string, name = `Player ${id}`): PeerInfo =>
  PeerInfo.fromDict(peerDict(id, { name }));
const at = new Date('2026-12-02T10:00:00Z');

describe('readParty', () => {
  const base = ['b', 'c'].reduce(
    (party, id) => joinParty(party, peer(id), at).party!,
    createParty('party_r', 'R', peer('h'), at).party!,
  );

  it('keeps the copy’s members that did not change and reads the others', () => {
    const next = joinParty(leaveParty(base, 'b').party!, peer('d'), at).party!;
    const read = readParty(storedParty(next), base);
    expect(read.toStoredDict()).toEqual(readParty(storedParty(next)).toStoredDict());
    expect([...read.peers.keys()]).toEqual([...next.peers.keys()]);
    expect(read.peers.get('h')).toBe(base.peers.get('h'));
    expect(read.peers.get('c')).toBe(base.peers.get('c'));
    expect(read.peers.get('d')).not.toBe(next.peers.get('d'));
  });

  it('reads a member whose stored form differs, even in one field', () => {
    const renamed = base.with({
      peers: new Map(base.peers).set('c', base.peers.get('c')!.with({ name: 'Carol' })),
    });
    const read = readParty(storedParty(renamed), base);
    expect(read.peers.get('c')?.name).toBe('Carol');
    expect(read.peers.get('c')).not.toBe(base.peers.get('c'));
  });

  it('still refuses a corrupt member beside members it could reuse', () => {
    const value = JSON.parse(storedParty(base)) as {
      peers: Record<string, { public_port: number }>;
    };
    value.peers.c!.public_port = 99999;
    expect(() => readParty(JSON.stringify(value), base)).toThrow(/peers\.c\.public_port/);
    // The party's own fields are checked whatever its members.
    const party = JSON.parse(storedParty(base)) as Record<string, unknown>;
    expect(() => readParty(JSON.stringify({ ...party, name: '' }), base)).toThrow(/name/);
  });

  it('reads a member key the schema skips as a fresh read does, never as an empty member', () => {
    const value = JSON.parse(storedParty(base)) as { peers: Record<string, unknown> };
    const entries = Object.entries(value.peers).map(
      ([id, dict]) => `"${id}":${JSON.stringify(dict)}`,
    );
    const forged = JSON.stringify({ ...value.peers.c!, peer_id: '__proto__' });
    const raw = JSON.stringify({ ...value, peers: {} }).replace(
      '"peers":{}',
      `"peers":{${[...entries, `"__proto__":${forged}`].join(',')}}`,
    );
    const read = readParty(raw, base);
    expect([...read.peers.keys()]).toEqual([...readParty(raw).peers.keys()]);
    expect([...read.peers.values()].every((p) => p instanceof PeerInfo)).toBe(true);
  });

  it('reads a member changed in any one field (value, type, a key more or less) as a fresh read does', () => {
    const stored = JSON.parse(storedParty(base)) as { peers: Record<string, object> };
    const field = fc.constantFrom(...Object.keys(stored.peers.c!), 'extra');
    const value = fc.oneof(
      fc.constantFrom(undefined, null, '', 0, -0, 51820, '51820', 'Player c', true, {}),
      fc.string({ maxLength: 8 }),
      fc.integer({ min: -1, max: 70_000 }),
    );
    const outcome = (read: () => PartyInfo) => {
      try {
        return { dict: read().toStoredDict() };
      } catch (error) {
        return { error: String(error) };
      }
    };
    fc.assert(
      fc.property(field, value, fc.boolean(), (key, v, reorder) => {
        const c: Record<string, unknown> = { ...stored.peers.c!, [key]: v };
        const member = reorder ? Object.fromEntries(Object.entries(c).reverse()) : c;
        const raw = JSON.stringify({ ...stored, peers: { ...stored.peers, c: member } });
        const read = outcome(() => readParty(raw, base));
        expect(read).toStrictEqual(outcome(() => readParty(raw)));
        if ('dict' in read && JSON.stringify(member) === JSON.stringify(stored.peers.c)) {
          expect(readParty(raw, base).peers.get('c')).toBe(base.peers.get('c'));
        }
      }),
      { numRuns: 500 },
    );
  });
});
