/**
 * The commit script checks a party's version, not only its number (party-versions.ts): a
 * change made on a version the store does not hold is refused even when the numbers agree,
 * and what is read back carries the version stored. Commits are counted: each published
 * change and each read carries the count (a change heard after a read that held it is
 * known as one, replica-follow.ts).
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PeerInfo, type PartyInfo } from '../../../shared/model';
import { createParty, joinParty } from '../../../shared/party/transitions';
import { silentLogger } from '../../../shared/logger';
import { StoreConflict, type StoreBatch } from '../../store/store';
import { AccessKind } from '../../access/records';
import { TestRig, delay, guestJoins, hostParty, peerDict } from '../../test-util/support';
import { receive } from '../replica-follow';
import { ChangeMessageSchema, storedParty } from '../replication';
import { BackendCases } from '../test-util/backend-cases';
import { RedisPartyStore } from './store';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());
const rig = new TestRig();
afterEach(() => rig.cleanup());

const peer = (id: string): PeerInfo => PeerInfo.fromDict(peerDict(id));

/** One party moved from (base, baseVersion) to (seq, version). */
function batch(
  base: [PartyInfo | null, number, string],
  next: [PartyInfo, number, string],
): StoreBatch {
  const [party, seq, version] = next;
  return {
    parties: [{ partyId: party.partyId, base: base[0], next: party }],
    owners: [],
    seqs: new Map([[party.partyId, { base: base[1], baseVersion: base[2], seq, version }]]),
  };
}

describe('RedisPartyStore versions', () => {
  it('refuses a change on another version at the same number, and reads versions back', async () => {
    const prefix = `versions${Date.now()}:`;
    const open = (): Promise<RedisPartyStore> =>
      RedisPartyStore.open(backends.redisServer.url, silentLogger, prefix);
    const [a, b] = [await open(), await open()];
    const created = createParty('party_v', 'V', peer('h'), new Date()).party!;
    await a.commit(batch([null, 0, ''], [created, 1, 'a1']));
    // Both servers change it at number 1; the second is refused.
    const withB = joinParty(created, peer('b'), new Date()).party!;
    const withA = joinParty(created, peer('a'), new Date()).party!;
    await b.commit(batch([created, 1, 'a1'], [withB, 2, 'b2']));
    await expect(a.commit(batch([created, 1, 'a1'], [withA, 2, 'a2']))).rejects.toThrow(
      StoreConflict,
    );
    // Server a's copy is now its refused number 2: a change on it agrees with the store's
    // number, not its version, and must not write over b's join.
    const onRefused = joinParty(withA, peer('c'), new Date()).party!;
    await expect(a.commit(batch([withA, 2, 'a2'], [onRefused, 3, 'a3']))).rejects.toThrow(
      StoreConflict,
    );
    const stored = (await a.loadParties(['party_v'])).get('party_v')!;
    expect(stored).toMatchObject({ seq: 2, version: 'b2' });
    expect([...stored.party!.peers.keys()].sort()).toEqual(['b', 'h']);
    // On the version read back, the change goes through.
    const onStored = joinParty(stored.party!, peer('a'), new Date()).party!;
    await a.commit(batch([stored.party, 2, 'b2'], [onStored, 3, 'a3']));
    const loaded = await b.load();
    expect(loaded.versions?.get('party_v')).toBe('a3');
    expect(loaded.seqs?.get('party_v')).toBe(3);
    await Promise.all([a.close(), b.close()]);
  });

  it('counts its commits in what it publishes and in what it reads back', async () => {
    const prefix = `count${Date.now()}:`;
    const open = (): Promise<RedisPartyStore> =>
      RedisPartyStore.open(backends.redisServer.url, silentLogger, prefix);
    const [a, b] = [await open(), await open()];
    const listener = new Redis(backends.redisServer.url);
    const published: unknown[] = [];
    listener.on('message', (_channel: string, raw: string) => published.push(JSON.parse(raw)));
    await listener.subscribe(a.channel);
    const created = createParty('party_n', 'N', peer('h'), new Date()).party!;
    await a.commit(batch([null, 0, ''], [created, 1, 'a1']));
    const withB = joinParty(created, peer('b'), new Date()).party!;
    await b.commit(batch([created, 1, 'a1'], [withB, 2, 'b2']));
    // Refused: it writes nothing, so it counts nothing.
    await expect(a.commit(batch([created, 1, 'a1'], [created, 2, 'a2']))).rejects.toThrow(
      StoreConflict,
    );
    expect((await a.loadParties(['party_n', 'party_none'])).get('party_none')).toMatchObject({
      party: null,
      at: 2,
    });
    expect((await b.loadParties(['party_n'])).get('party_n')).toMatchObject({ seq: 2, at: 2 });
    expect((await a.load()).at).toBe(2);
    expect((await a.ownersOf(['h'])).at).toBe(2);
    const ban = { kind: AccessKind.BAN, key: 'party_n\u0000x' };
    expect(await b.accessOf([ban])).toEqual({ rows: [{ ...ban, value: null }], at: 2 });
    for (let i = 0; i < 50 && published.length < 2; i++) await delay(20);
    expect(published.map((m) => ChangeMessageSchema.parse(m).commit)).toEqual([1, 2]);
    listener.disconnect();
    await Promise.all([a.close(), b.close()]);
  });

  it('takes another server’s presence number only on the version it was made on', async () => {
    const server = await rig.start({ backend: await backends.redisBackend('eq') });
    await hostParty(await rig.connect(), 'party_eq', 'h');
    const { service } = server.context;
    const mine = service.versions.versionOf('party_eq');
    const moved = (seq: number, base: string): string =>
      JSON.stringify({
        from: 'other',
        parties: [['party_eq', seq, '=', `v${seq}`, base]],
        owners: [],
        presence: [],
        seen: [],
        fanout: [],
      });
    expect(receive(server.context, moved(2, mine), 'me', silentLogger)).toEqual([]);
    expect([service.seqOf('party_eq'), service.versions.versionOf('party_eq')]).toEqual([2, 'v2']);
    // Made on a version this copy is not: its content cannot be taken for v3's.
    expect(receive(server.context, moved(3, 'elsewhere'), 'me', silentLogger)).toEqual([
      'party_eq',
    ]);
    expect(service.versions.isStale('party_eq')).toBe(true);
  });

  it('serves a party an older server changed (no versions written, three-element tuples)', async () => {
    const prefix = `oldserver${Date.now()}:`;
    const server = await rig.start({ backend: await backends.redisBackend('old', { prefix }) });
    const host = await rig.connect();
    await hostParty(host, 'party_old', 'h');
    const { service } = server.context;
    // A server from before versions adds a member: it writes the party and its number,
    // leaves `ver` as it was, and publishes the party as [id, seq, value].
    const old = await RedisPartyStore.open(backends.redisServer.url, silentLogger, prefix);
    const withO = joinParty(service.parties.get('party_old')!, peer('o'), new Date()).party!;
    const seq = service.seqOf('party_old') + 1;
    await old.redis.hset(`${prefix}party`, 'party_old', storedParty(withO));
    await old.redis.hset(`${prefix}seq`, 'party_old', String(seq));
    const message = { from: 'old', parties: [['party_old', seq, storedParty(withO)]] };
    const rest = { owners: [], presence: [], seen: [], fanout: [], access: [] };
    await old.redis.publish(`${prefix}changes`, JSON.stringify({ ...message, ...rest }));
    for (let i = 0; i < 200 && service.seqOf('party_old') !== seq; i += 1) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(service.parties.get('party_old')?.peers.has('o')).toBe(true);
    // This server's next change on it goes through (refused once on the stale `ver`, read
    // back, handled again), and keeps the older server's member.
    const { answer } = await guestJoins(rig, 'party_old', 'g');
    expect(answer).toMatchObject({ type: 'party_update' });
    const stored = (await old.loadParties(['party_old'])).get('party_old')!;
    expect([...stored.party!.peers.keys()].sort()).toEqual(['g', 'h', 'o']);
    expect(stored.seq).toBe(seq + 1);
    expect(stored.version).toBe(service.versions.versionOf('party_old'));
    await old.close();
  });

  it('tells a presence change again when the batch that told it was refused', async () => {
    const prefix = `retell${Date.now()}:`;
    await rig.start({ backend: await backends.redisBackend('retell', { prefix }) });
    const host = await rig.connect();
    await hostParty(host, 'party_rt', 'h');
    const guest = await rig.connect();
    const token = await guest.hello();
    await guest.request({ type: 'join_party', party_id: 'party_rt', peer: peerDict('x') });
    const status = (value: string) => (f: Record<string, unknown>) =>
      f.type === 'peer_status' && f.peer_id === 'x' && f.status === value;
    await guest.close();
    await host.next(status('offline'), 3000);
    // Another server moved the party meanwhile: the commit telling x is back is refused.
    const other = await RedisPartyStore.open(backends.redisServer.url, silentLogger, prefix);
    await other.redis.hset(`${prefix}ver`, 'party_rt', 'elsewhere');
    await other.close();
    const back = await rig.connect();
    expect(await back.hello(token)).toBe(token);
    const told = await host.next(status('online'), 3000);
    // x hears its own status too: no answer of its own carries that number.
    expect(await back.next(status('online'), 3000)).toEqual(told);
  });

  it('never acknowledges a beat with the number of a presence change that was refused', async () => {
    const prefix = `softack${Date.now()}:`;
    const server = await rig.start({ backend: await backends.redisBackend('softack', { prefix }) });
    const host = await rig.connect();
    await hostParty(host, 'party_sa', 'h');
    const { guest } = await guestJoins(rig, 'party_sa', 'x');
    const seq = server.context.service.seqOf('party_sa');
    // Another server's event takes the next number, unheard here yet.
    const other = await RedisPartyStore.open(backends.redisServer.url, silentLogger, prefix);
    await other.redis.hset(`${prefix}seq`, 'party_sa', String(seq + 1));
    await other.redis.hset(`${prefix}ver`, 'party_sa', 'elsewhere');
    await other.close();
    // A new round trip is a presence change: its commit is refused.
    const ack = await guest.request({
      type: 'heartbeat',
      party_id: 'party_sa',
      peer_id: 'x',
      rtt_ms: 250,
    });
    expect(ack.type).toBe('heartbeat_ack');
    // seq + 1 is the other server's event: an ack claiming it would make x drop that event.
    expect(ack.seq).not.toBe(seq + 1);
    const isX = (f: Record<string, unknown>) => f.type === 'peer_status' && f.peer_id === 'x';
    const told = await host.next(isX, 3000);
    expect(told).toMatchObject({ rtt_ms: 250, seq: seq + 2 });
    if (ack.seq === undefined) expect(await guest.next(isX, 3000)).toEqual(told);
    else expect(ack.seq).toBe(seq + 2);
  });
});
