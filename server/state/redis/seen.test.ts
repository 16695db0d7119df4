/**
 * A party's last-seen hash in Redis holds its members' fields and no one else's: a member
 * that left takes its field with it, and a touch written after it left (queued before the
 * leave, or another server's) does not add it back. It only ever grew before: bench:soak on
 * Redis found two fields more a cycle in its lasting open party.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerInfo, type PartyInfo } from '../../../shared/model';
import { createParty, joinParty, leaveParty } from '../../../shared/party/transitions';
import { silentLogger } from '../../../shared/logger';
import type { PeerTouch, StoreBatch } from '../../store/store';
import { peerDict } from '../../test-util/support';
import { RedisPartyStore } from './store';
import { RedisTestServer } from '../../test-util/redis-server';

let redis: RedisTestServer;
beforeAll(async () => {
  redis = await RedisTestServer.start();
}, 20_000);
afterAll(() => redis.cleanup());

const peer = (id: string): PeerInfo => PeerInfo.fromDict(peerDict(id));
const touch = (peerId: string, ms: number): PeerTouch => ({
  partyId: 'party_s',
  peerId,
  lastSeen: new Date(ms),
});

/** The party moved from `base` at number seq - 1 to `next` at seq, with these touches. */
function batch(base: PartyInfo | null, next: PartyInfo, seq: number, touches: PeerTouch[] = []) {
  const seqs = new Map([[next.partyId, { base: seq - 1, baseVersion: '', seq, version: '' }]]);
  const parties = [{ partyId: next.partyId, base, next }];
  return { parties, owners: [], seqs, touches } satisfies StoreBatch;
}

describe('RedisPartyStore last seen', () => {
  it('keeps a field per member only, whatever order touches come in', async () => {
    const store = await RedisPartyStore.open(redis.url, silentLogger, 'lastseen:');
    const created = createParty('party_s', 'S', peer('h'), new Date()).party!;
    await store.commit(batch(null, created, 1));
    const joined = joinParty(created, peer('x'), new Date()).party!;
    await store.commit(batch(created, joined, 2, [touch('h', 1000)]));
    await store.commit({ parties: [], owners: [], touches: [touch('x', 2000)] });
    const fields = () => store.redis.hkeys('lastseen:seen:party_s');
    expect((await fields()).sort()).toEqual(['h', 'x']);
    // x beats and leaves in one batch, then a touch queued before the leave comes.
    const left = leaveParty(joined, 'x').party!;
    await store.commit(batch(joined, left, 3, [touch('x', 3000)]));
    await store.commit({ parties: [], owners: [], touches: [touch('x', 4000), touch('h', 4000)] });
    expect(await fields()).toEqual(['h']);
    expect(await store.redis.hget('lastseen:seen:party_s', 'h')).toBe(new Date(4000).toISOString());
    await store.close();
  });

  it('still writes a member an older server let in without a field', async () => {
    const store = await RedisPartyStore.open(redis.url, silentLogger, 'older:');
    const created = createParty('party_s', 'S', peer('h'), new Date()).party!;
    await store.commit(batch(null, created, 1));
    await store.commit(batch(created, joinParty(created, peer('y'), new Date()).party!, 2));
    await store.redis.hdel('older:seen:party_s', 'y'); // As an older server's join left it.
    await store.commit({ parties: [], owners: [], touches: [touch('y', 5000), touch('z', 5000)] });
    expect(await store.redis.hget('older:seen:party_s', 'y')).toBe(new Date(5000).toISOString());
    expect(await store.redis.hexists('older:seen:party_s', 'z')).toBe(0);
    await store.close();
  });
});
