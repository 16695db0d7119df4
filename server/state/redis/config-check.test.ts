/**
 * The start-up warnings about a Redis that would lose acknowledged changes, read from a real
 * redis-server whose config the test changes at run time.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../shared/logger';
import { spawnServer } from '../../test-util/process';
import { RedisTestServer } from '../../test-util/redis-server';
import { RawClient, delay, hostParty } from '../../test-util/support';
import { checkRedisConfig, redisConfigWarnings } from './config-check';

let redis: RedisTestServer;
let client: Redis;
const lines: { level: string; text: string }[] = [];
const logger: Logger = {
  debug: (text) => lines.push({ level: 'debug', text }),
  info: (text) => lines.push({ level: 'info', text }),
  warn: (text) => lines.push({ level: 'warn', text }),
  error: (text) => lines.push({ level: 'error', text }),
};

beforeEach(async () => {
  redis = await RedisTestServer.start();
  client = new Redis(redis.url, { lazyConnect: true });
  await client.connect();
  lines.length = 0;
}, 20_000);
afterEach(async () => {
  client.disconnect();
  await redis.cleanup();
});

describe('checkRedisConfig', () => {
  it('says nothing of a Redis set up as the README asks', async () => {
    await checkRedisConfig(client, 'here', logger);
    expect(lines).toEqual([]);
  });

  it('warns of a Redis that evicts keys when full and keeps no append-only file', async () => {
    await client.config('SET', 'maxmemory', '100mb');
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await client.config('SET', 'appendonly', 'no');
    await checkRedisConfig(client, 'here', logger);
    expect(lines.map((l) => l.level)).toEqual(['warn', 'warn']);
    expect(lines[0]!.text).toContain(
      'Redis at here evicts keys when full (maxmemory-policy allkeys-lru)',
    );
    expect(lines[1]!.text).toContain('Redis at here keeps no append-only file');
  });

  it("warns of this machine's clock minutes off Redis's, and not of one in step", async () => {
    await checkRedisConfig(client, 'here', logger, () => Date.now() - 5 * 60_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toMatch(/^This machine's clock is (299|300|301) s behind that of Redis/);
    lines.length = 0;
    await checkRedisConfig(client, 'here', logger, () => Date.now() + 5 * 60_000);
    expect(lines[0]!.text).toContain('s ahead of that of Redis at here');
    lines.length = 0;
    await checkRedisConfig(client, 'here', logger);
    expect(lines).toEqual([]);
  });

  it('asks a Redis that hides CONFIG to be checked by hand, and goes on', async () => {
    await client.call('ACL', 'SETUSER', 'default', '-config');
    await checkRedisConfig(client, 'here', logger);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info' });
    expect(lines[0]!.text).toContain('make sure it runs with maxmemory-policy noeviction');
  });
});

it('is what a server started on such a Redis logs, and it serves all the same', async () => {
  await client.config('SET', 'appendonly', 'no');
  const proc = await spawnServer(['--port', '0', '--redis', redis.url, '--log-level', 'warn']);
  try {
    for (let i = 0; i < 50 && !proc.stderr().includes('append-only'); i++) await delay(20);
    expect(proc.stderr()).toContain(`Redis at 127.0.0.1:${redis.port} keeps no append-only file`);
    // Warned, not stopped: a party is made and kept in that Redis all the same.
    const c = await RawClient.connect(proc.url);
    try {
      await hostParty(c, 'party_warned', 'h');
    } finally {
      await c.close();
    }
    expect(await client.hexists('lanrage:party', 'party_warned')).toBe(1);
  } finally {
    await proc.kill();
  }
}, 30_000);

describe('redisConfigWarnings', () => {
  const good = { maxmemory: '0', 'maxmemory-policy': 'noeviction', appendonly: 'yes' };
  it('lets an eviction policy be while there is no memory limit', () => {
    expect(redisConfigWarnings({ ...good, 'maxmemory-policy': 'allkeys-lru' }, 'r')).toEqual([]);
  });

  it('names a once-a-second fsync as losing about a second', () => {
    const [warning, ...rest] = redisConfigWarnings({ ...good, appendfsync: 'everysec' }, 'r');
    expect(rest).toEqual([]);
    expect(warning).toContain('appendfsync everysec');
    expect(redisConfigWarnings({ ...good, appendfsync: 'always' }, 'r')).toEqual([]);
  });
});
