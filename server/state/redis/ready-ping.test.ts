/**
 * `/readyz` against a hung Redis (redis-server under SIGSTOP): each probe answers 503 within
 * seconds, and all of them together send Redis one PING. Each used to send its own, which
 * ioredis kept queued after the probe stopped waiting: unauthenticated requests piled up
 * commands without limit.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { delay, httpGet, TestRig } from '../../test-util/support';
import { BackendCases } from '../test-util/backend-cases';

const backends = new BackendCases();
const rig = new TestRig();
beforeAll(() => backends.start(), 20_000);
afterAll(async () => {
  backends.redisServer.freeze(false);
  await rig.cleanup();
  await backends.cleanup();
});

const pings = async (redis: Redis): Promise<number> => {
  const stats = await redis.info('commandstats');
  return Number(/cmdstat_ping:calls=(\d+)/.exec(stats)?.[1] ?? 0);
};

it('probes of a hung Redis share one unanswered PING', async () => {
  const server = await rig.start({ backend: await backends.redisBackend('ready') });
  const admin = new Redis(backends.redisServer.url);
  try {
    expect((await httpGet(server.port, '/readyz')).status).toBe(200);
    await admin.config('RESETSTAT');
    backends.redisServer.freeze();
    // Two waves: those after the first gave up (2 s) find its PING still unanswered.
    for (let wave = 0; wave < 2; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => httpGet(server.port, '/readyz')),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(503));
    }
    backends.redisServer.freeze(false);
    await delay(200);
    expect(await pings(admin)).toBe(1);
    // Answered, it is gone: the next probe sends its own and the server is ready.
    expect((await httpGet(server.port, '/readyz')).status).toBe(200);
    expect(await pings(admin)).toBe(2);
  } finally {
    backends.redisServer.freeze(false);
    admin.disconnect();
  }
}, 30_000);
