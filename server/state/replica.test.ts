/**
 * Following another server's changes: a valid change is applied to this server's copy and
 * its frames reach this server's own connections; this server's own change and anything
 * malformed (Redis is infrastructure, not trusted to be right) change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createParty, joinParty } from '../../shared/party/transitions';
import { PeerInfo } from '../../shared/model';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { TestRig, hostParty, peerDict } from '../test-util/support';
import { AccessKind, type AccessRow } from '../access/records';
import { StoreConflict } from '../store/store';
import type { SharedStore, StoredParty } from './backend';
import type { ReplicaTarget } from './replica';
import { refreshParties, reloadConflict } from './replica';
import { receive } from './replica-follow';
import {
  ChangeMessageSchema,
  changeParts,
  isOwnChange,
  ownChangeTest,
  partyWrites,
  storedParty,
  type ChangeMessage,
} from './replication';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const change = (over: Partial<ChangeMessage>): string =>
  JSON.stringify({
    from: 'other',
    parties: [],
    owners: [],
    presence: [],
    seen: [],
    fanout: [],
    access: [],
    ...over,
  } satisfies ChangeMessage);

describe('receive', () => {
  it('applies another server’s change and sends its frames to local members', async () => {
    const server = await rig.start();
    const host = await rig.connect();
    await hostParty(host, 'party_local', 'h');
    const logger = new MemoryLogger();
    const target = server.context;
    const party = createParty(
      'party_remote',
      'R',
      PeerInfo.fromDict(peerDict('r')),
      new Date(),
    ).party!;
    const frame = JSON.stringify({
      type: 'peer_left',
      party_id: 'party_local',
      peer_id: 'x',
      seq: 9,
    });
    receive(
      target,
      change({
        parties: [['party_remote', 4, storedParty(party)]],
        owners: [['r', 'tok-of-r-0123456789abcdef']],
        fanout: [[['h'], frame]],
      }),
      'me',
      logger,
    );
    expect(target.service.parties.get('party_remote')?.peers.has('r')).toBe(true);
    expect(target.service.seqOf('party_remote')).toBe(4);
    expect(target.service.presence.presenceOf('party_remote').r?.status).toBe('online');
    expect(target.sessions.ownerOf('r')).toBe('tok-of-r-0123456789abcdef');
    expect(await host.nextOfType('peer_left')).toMatchObject({ peer_id: 'x', seq: 9 });
    // Deleted on the other server: gone here too.
    receive(target, change({ parties: [['party_remote', 5, '']] }), 'me', logger);
    expect(target.service.parties.has('party_remote')).toBe(false);
    expect(logger.messages('warn')).toEqual([]);
  });

  it('ignores its own change and anything malformed, with a warning', async () => {
    const server = await rig.start();
    const logger = new MemoryLogger();
    const party = createParty('party_x', 'X', PeerInfo.fromDict(peerDict('x')), new Date()).party!;
    const own = change({ from: 'me', parties: [['party_x', 1, storedParty(party)]] });
    receive(server.context, own, 'me', logger);
    // Its own is known by its first bytes and not even read (no warning for what follows).
    receive(server.context, '{"from":"me",not json', 'me', logger);
    // A server whose id only starts like this one's is another server.
    receive(
      server.context,
      change({ from: 'me2', parties: [['party_x', 1, storedParty(party)]] }),
      'me',
      logger,
    );
    expect(server.context.service.parties.has('party_x')).toBe(true);
    receive(server.context, change({ parties: [['party_x', 2, '']] }), 'me', logger);
    for (const raw of ['not json', '[]', change({ parties: [['party_x', -1, '{}']] })]) {
      receive(server.context, raw, 'me', logger);
    }
    receive(server.context, change({ parties: [['party_x', 1, '{"bad":1}']] }), 'me', logger);
    expect(server.context.service.parties.has('party_x')).toBe(false);
    expect(logger.messages('warn')).toHaveLength(4);
  });
});

describe('reloadConflict', () => {
  it('keeps an access row this server changed while the refused batch was read back', async () => {
    const server = await rig.start();
    await hostParty(await rig.connect(), 'party_rc', 'h');
    const { access } = server.context;
    let answer: (rows: AccessRow[]) => void = () => undefined;
    const store: SharedStore = {
      load: () => Promise.reject(new Error('not used')),
      loadParties: () => Promise.resolve(new Map()),
      ownersOf: () => Promise.resolve(new Map()),
      accessOf: () => new Promise((resolve) => (answer = resolve)),
    };
    const row = { kind: AccessKind.BAN, key: 'party_rc\u0000x' };
    const conflict = new StoreConflict(['party_rc'], []);
    conflict.touched.access = [row];
    const reloaded = reloadConflict(server.context, store, conflict);
    // The host bans x while the store's copy of that row (none) is on its way back.
    access.bans.ban('party_rc', 'x', 'X', null, new Date());
    answer([{ ...row, value: null }]);
    await reloaded;
    expect(access.bans.isBanned('party_rc', 'x', null)).toBe(true);
  });
});

/** A store whose parties read back as given, at commit count `at`. */
function storeWith(parties: Map<string, StoredParty>): SharedStore {
  return {
    load: () => Promise.reject(new Error('not used')),
    loadParties: (ids) => Promise.resolve(new Map(ids.map((id) => [id, parties.get(id)!]))),
    ownersOf: () => Promise.resolve(new Map()),
    accessOf: () => Promise.resolve([]),
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
      change({ commit, parties: [[id, seq, value, `v${seq}`, `v${seq - 1}`]] }),
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
      change({ commit: 4, owners: [['x', 'tok-old-0123456789abcdef']] }),
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
      change({ commit: 11, owners: [['x', 'tok-old-0123456789abcdef']] }),
      'me',
      logger,
    );
    expect(context.sessions.ownerOf('x')).toBe('tok-new-0123456789abcdef');
    receive(context, change({ commit: 13, owners: [['x', '']] }), 'me', logger);
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
});

describe('isOwnChange', () => {
  it('knows a change this server published, and only that one', () => {
    const { head, parties, tail } = changeParts('server-a', { parties: [], owners: [] }, []);
    const raw = head + parties + tail;
    expect(isOwnChange(raw, 'server-a')).toBe(true);
    expect(isOwnChange(raw, 'server-b')).toBe(false);
    expect(isOwnChange(raw, 'server-')).toBe(false);
    // The same on the bytes as they come from Redis.
    expect(ownChangeTest('server-a')(Buffer.from(raw))).toBe(true);
    expect(ownChangeTest('server-')(Buffer.from(raw))).toBe(false);
    expect(ownChangeTest('server-a')(Buffer.from('{"from"'))).toBe(false);
  });
});

describe('changeParts', () => {
  it('joined as the commit script publishes them, makes a change the others read', () => {
    const party = createParty('party_x', 'X', PeerInfo.fromDict(peerDict('x')), new Date()).party!;
    const batch = {
      parties: [{ partyId: 'party_x', base: null, next: party }],
      owners: [{ peerId: 'x', token: 'tok-x' }],
      seqs: new Map([['party_x', { base: 0, seq: 1, baseVersion: '', version: 'v1' }]]),
      replication: {
        presence: [],
        fanout: [[['x'], '{"type":"peer_left"}']] as [string[], string][],
      },
    };
    const { head, parties, tail } = changeParts('server-a', batch, partyWrites(batch));
    const parsed = ChangeMessageSchema.parse(JSON.parse(head + parties + tail));
    expect(parsed.parties).toEqual([['party_x', 1, storedParty(party), 'v1', '']]);
    expect(parsed).toMatchObject({ from: 'server-a', owners: [['x', 'tok-x']] });
    expect(parsed.fanout).toEqual(batch.replication.fanout);
  });
});
