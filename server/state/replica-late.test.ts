/**
 * A change another server published before this server read the store, and heard after
 * that read (its subscription lagging behind its store connection), does not set back what
 * the read found: a party's copy, an ownership, an access row (server/store/read-marks.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createParty, joinParty } from '../../shared/party/transitions';
import { PeerInfo } from '../../shared/model';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { TestRig, peerDict } from '../test-util/support';
import { changeMessage } from '../test-util/change-message';
import { AccessKind } from '../access/records';
import { StoreConflict } from '../store/store';
import type { SharedStore, StoredParty } from './backend';
import type { ReplicaTarget } from './replica';
import { refreshParties, reloadAll, reloadConflict } from './replica';
import { receive } from './replica-follow';
import { storedParty } from './replication';

const rig = new TestRig();
afterEach(() => rig.cleanup());

/** A store whose parties read back as given, at commit count `at`. */
function storeWith(parties: Map<string, StoredParty>): SharedStore {
  return {
    load: () => Promise.reject(new Error('not used')),
    loadParties: (ids) => Promise.resolve(new Map(ids.map((id) => [id, parties.get(id)!]))),
    ownersOf: () => Promise.resolve(new Map()),
    accessOf: () => Promise.resolve({ rows: [] }),
  };
}

const partyOf = (id: string, members: string[]) => {
  let party = createParty(id, 'P', PeerInfo.fromDict(peerDict(members[0]!)), new Date()).party!;
  for (const m of members.slice(1))
    party = joinParty(party, PeerInfo.fromDict(peerDict(m)), new Date()).party!;
  return party;
};

describe('a change heard after this server read the store', () => {
  const logger = new MemoryLogger();
  const members = (target: ReplicaTarget, id: string) => [
    ...(target.service.parties.get(id)?.peers.keys() ?? []),
  ];
  const heard = (target: ReplicaTarget, id: string, commit: number, seq: number, value: string) =>
    receive(
      target,
      changeMessage({ commit, parties: [[id, seq, value, `v${seq}`, `v${seq - 1}`]] }),
      'me',
      logger,
    );

  it('is not taken when the read already held it; a later one is', async () => {
    const { context } = await rig.start();
    heard(context, 'party_r', 5, 1, storedParty(partyOf('party_r', ['r'])));
    const read = { party: partyOf('party_r', ['r', 's']), seq: 3, version: 'v3', at: 12 };
    await refreshParties(context, storeWith(new Map([['party_r', read]])), ['party_r']);
    expect(members(context, 'party_r')).toEqual(['r', 's']);
    // Commit 11, published before the read and heard after it: s is not taken out.
    heard(context, 'party_r', 11, 2, storedParty(partyOf('party_r', ['r'])));
    expect(members(context, 'party_r')).toEqual(['r', 's']);
    expect(context.service.seqOf('party_r')).toBe(3);
    heard(context, 'party_r', 13, 4, storedParty(partyOf('party_r', ['r', 's', 't'])));
    expect(members(context, 'party_r')).toEqual(['r', 's', 't']);
    expect(context.service.seqOf('party_r')).toBe(4);
  });

  it('does not bring back a party the read found gone', async () => {
    const { context } = await rig.start();
    const gone = { party: null, seq: 0, version: '', at: 20 };
    await refreshParties(context, storeWith(new Map([['party_g', gone]])), ['party_g']);
    heard(context, 'party_g', 19, 7, storedParty(partyOf('party_g', ['g'])));
    expect(context.service.parties.has('party_g')).toBe(false);
    heard(context, 'party_g', 21, 1, storedParty(partyOf('party_g', ['g'])));
    expect(context.service.parties.has('party_g')).toBe(true);
  });

  it('does not give an ownership back to the session the read found it taken from', async () => {
    const { context } = await rig.start();
    receive(
      context,
      changeMessage({ commit: 4, owners: [['x', 'tok-old-0123456789abcdef']] }),
      'me',
      logger,
    );
    const store: SharedStore = {
      ...storeWith(new Map()),
      ownersOf: () =>
        Promise.resolve(Object.assign(new Map([['x', 'tok-new-0123456789abcdef']]), { at: 12 })),
    };
    await reloadConflict(context, store, new StoreConflict([], ['x']));
    expect(context.sessions.ownerOf('x')).toBe('tok-new-0123456789abcdef');
    // Commit 11, published before the read and heard after it.
    receive(
      context,
      changeMessage({ commit: 11, owners: [['x', 'tok-old-0123456789abcdef']] }),
      'me',
      logger,
    );
    expect(context.sessions.ownerOf('x')).toBe('tok-new-0123456789abcdef');
    receive(context, changeMessage({ commit: 13, owners: [['x', '']] }), 'me', logger);
    expect(context.sessions.ownerOf('x')).toBeUndefined();
  });

  it('still deletes a party the read found gone and this server kept', async () => {
    const { context } = await rig.start();
    heard(context, 'party_z', 28, 1, storedParty(partyOf('party_z', ['z'])));
    // The store lacks it: kept here (its creation here may be being written), not marked.
    const gone = { party: null, seq: 0, version: '', at: 30 };
    await refreshParties(context, storeWith(new Map([['party_z', gone]])), ['party_z']);
    expect(context.service.parties.has('party_z')).toBe(true);
    heard(context, 'party_z', 29, 2, '');
    expect(context.service.parties.has('party_z')).toBe(false);
  });
  const BAN = { kind: AccessKind.BAN, key: 'party_b\u0000x' };
  const banned = JSON.stringify({
    party_id: 'party_b',
    peer_id: 'x',
    name: 'X',
    public_key: null,
    banned_at: new Date(0).toISOString(),
  });
  const heardBan = (target: ReplicaTarget, commit: number, value: string | null) =>
    receive(target, changeMessage({ commit, access: [['ban', BAN.key, value]] }), 'me', logger);

  it('does not set an access row back to what a read back found changed', async () => {
    const { context } = await rig.start();
    const { bans } = context.access;
    heardBan(context, 4, banned);
    expect(bans.isBanned('party_b', 'x', null)).toBe(true);
    // Unbanned since: the store's row, read back at commit 12, is gone.
    const store: SharedStore = {
      ...storeWith(new Map()),
      accessOf: () => Promise.resolve({ rows: [{ ...BAN, value: null }], at: 12 }),
    };
    const conflict = new StoreConflict([], []);
    conflict.touched.access = [BAN];
    await reloadConflict(context, store, conflict);
    expect(bans.isBanned('party_b', 'x', null)).toBe(false);
    // Commit 11 (the ban again, say), published before the read and heard after it.
    heardBan(context, 11, banned);
    expect(bans.isBanned('party_b', 'x', null)).toBe(false);
    heardBan(context, 13, banned);
    expect(bans.isBanned('party_b', 'x', null)).toBe(true);
  });

  it('does not set an access row back to what a whole reload found', async () => {
    const { context } = await rig.start();
    const { bans } = context.access;
    const loaded = { parties: new Map(), owners: new Map(), access: [{ ...BAN, value: banned }] };
    const store: SharedStore = {
      ...storeWith(new Map()),
      load: () => Promise.resolve({ ...loaded, at: 20 }),
    };
    await reloadAll(context, store);
    expect(bans.isBanned('party_b', 'x', null)).toBe(true);
    heardBan(context, 19, null);
    expect(bans.isBanned('party_b', 'x', null)).toBe(true);
    heardBan(context, 21, null);
    expect(bans.isBanned('party_b', 'x', null)).toBe(false);
  });
});
