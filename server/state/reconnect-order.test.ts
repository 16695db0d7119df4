/**
 * A server cut off from Redis misses the changes published meanwhile and reads everything
 * back when it is back. Its two connections (the store's and the one following changes) come
 * back in either order; the read-back must wait for the store's, or it fails and the missed
 * change stays missing here.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { hostParty, peerDict } from '../test-util/support';
import { twoServersOnRedis } from './test-util/backend-cases';
import { RedisPartyStore } from './redis/store';

const { backends, rigA, rigB } = twoServersOnRedis();

describe('reconnecting to Redis', () => {
  it('reads back what it missed when the follow connection is back before the store’s', async () => {
    const backendA = await backends.redisBackend('order');
    const serverA = await rigA.start({ backend: backendA });
    await rigB.start({ backend: await backends.redisBackend('order') });
    await hostParty(await rigA.connect(), 'party_order', 'h');
    const guest = await rigB.connect();
    await guest.hello();
    const storeA = backendA.store;
    if (!(storeA instanceof RedisPartyStore)) throw new Error('a Redis store');
    // Server A's store connection comes back only after its follow connection.
    storeA.redis.options.retryStrategy = () => 800;
    const admin = new Redis(backends.redisServer.url);
    const storeId = String(await storeA.redis.client('ID'));
    await admin.call('CLIENT', 'KILL', 'ID', storeId);
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    admin.disconnect();
    // Server B commits a join while A follows nothing: A misses its publication.
    const joined = await guest.request({
      type: 'join_party',
      party_id: 'party_order',
      peer: peerDict('g'),
    });
    expect(joined).toMatchObject({ type: 'party_update' });
    const { service } = serverA.context;
    expect(service.parties.get('party_order')?.peers.has('g')).toBe(false);
    for (let i = 0; i < 300 && !service.parties.get('party_order')?.peers.has('g'); i += 1) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(service.parties.get('party_order')?.peers.has('g')).toBe(true);
    expect(storeA.redis.status).toBe('ready');
  });
});
