import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../shared/logger';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { delay } from '../test-util/support';
import { RedisLeaderLock } from './leader-lock';
import { connectRedis, waitReady } from './redis/connect';
import { RedisTestServer } from '../test-util/redis-server';

let redis: RedisTestServer;
beforeAll(async () => {
  redis = await RedisTestServer.start();
}, 20_000);
afterAll(() => redis.cleanup());

async function connection() {
  const c = connectRedis(redis.url, silentLogger, 'lock-test');
  await waitReady(c, redis.url);
  return c;
}

describe('RedisLeaderLock', () => {
  it('is held by one server at a time, and taken over once a dead holder lets it expire', async () => {
    const [c1, c2] = [await connection(), await connection()];
    const first = new RedisLeaderLock(c1, 'k', 'one', silentLogger, 400);
    await first.tick();
    const second = new RedisLeaderLock(c2, 'k', 'two', silentLogger, 400);
    await second.tick();
    expect([first.held(), second.held()]).toEqual([true, false]);
    // Renewals keep it past its lifetime.
    await delay(600);
    expect([first.held(), second.held()]).toEqual([true, false]);
    // The holder dies: its connection is gone, it renews no more, and stops trusting its copy.
    c1.disconnect();
    const diedAt = Date.now();
    for (let i = 0; i < 40 && !second.held(); i++) await delay(50);
    expect(second.held()).toBe(true);
    expect(first.held()).toBe(false);
    expect(Date.now() - diedAt).toBeLessThan(1500);
    await first.close();
    await second.close();
    expect(await c2.get('k')).toBeNull();
    c2.disconnect();
  });

  it('says it lost the lock when Redis stops answering, so taking it again reads as a return', async () => {
    const own = await RedisTestServer.start();
    const c = connectRedis(own.url, silentLogger, 'lock-test-2');
    await waitReady(c, own.url);
    const log = new MemoryLogger();
    const lock = new RedisLeaderLock(c, 'k2', 'one', log, 400);
    await lock.tick();
    await own.stop();
    await lock.tick();
    expect(lock.held()).toBe(false);
    await own.launch();
    for (let i = 0; i < 100 && !lock.held(); i++) await delay(50);
    expect(lock.held()).toBe(true);
    expect(log.messages('info')).toEqual([
      'This server now runs the sweeps',
      'Lost the sweep lock: Redis did not answer',
      'This server now runs the sweeps',
    ]);
    await lock.close();
    c.disconnect();
    await own.cleanup();
  }, 20_000);
  it('counts its lease on a monotonic clock, not the wall clock a step could set back', async () => {
    const c = await connection();
    let elapsed = 0;
    const lock = new RedisLeaderLock(c, 'mono', 'one', silentLogger, 60_000, () => elapsed);
    await lock.tick();
    expect(lock.held()).toBe(true);
    // The wall clock says the lease is a moment old; the lease's own clock, that it ran out.
    elapsed = 60_001;
    expect(lock.held()).toBe(false);
    await lock.tick();
    expect(lock.held()).toBe(true);
    await lock.close();
    c.disconnect();
  });

  it('by default counts on a clock no wall-clock step moves', async () => {
    const c = await connection();
    const lock = new RedisLeaderLock(c, 'mono-default', 'one', silentLogger, 60_000);
    await lock.tick();
    expect(lock.held()).toBe(true);
    // The wall clock jumps two minutes ahead: a lease counted on it would have run out.
    const wall = Date.now();
    const jumped = vi.spyOn(Date, 'now').mockReturnValue(wall + 120_000);
    try {
      expect(lock.held()).toBe(true);
    } finally {
      jumped.mockRestore();
      await lock.close();
      c.disconnect();
    }
  });
});
