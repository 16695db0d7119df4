/**
 * Test support: the backends one protocol suite runs against (describe.each): the embedded
 * store, and Redis (a real redis-server shared by the file's tests, one key prefix per
 * server so tests do not see each other's parties).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { silentLogger, type Logger } from '../../../shared/logger';
import type { ServerOptions } from '../../server';
import { TestRig } from '../../test-util/support';
import { MemoryPartyStore } from '../../store/test-util/memory-store';
import { openRedisBackend, type RedisBackendOptions } from '../redis/backend';
import { RedisTestServer } from '../../test-util/redis-server';

/** Options for one server; `shared` names the state several servers (or a restart) share. */
export type BackendOptions = (shared: string) => Promise<Partial<ServerOptions>>;

export class BackendCases {
  private redis: RedisTestServer | null = null;
  private readonly memory = new Map<string, MemoryPartyStore>();
  private readonly run = randomUUID().slice(0, 8);

  async start(): Promise<void> {
    this.redis = await RedisTestServer.start();
  }

  async cleanup(): Promise<void> {
    await this.redis?.cleanup();
  }

  get redisServer(): RedisTestServer {
    if (!this.redis) throw new Error('BackendCases.start() first');
    return this.redis;
  }

  /** A Redis backend on the shared test server (`via`: through a relay on this port). */
  redisBackend(
    shared: string,
    options: RedisBackendOptions = {},
    logger: Logger = silentLogger,
    via?: number,
  ) {
    const url = via === undefined ? this.redisServer.url : `redis://127.0.0.1:${via}`;
    return openRedisBackend(url, logger, {
      prefix: `t${this.run}:${shared}:`,
      ...options,
    });
  }

  readonly cases: Array<[string, BackendOptions]> = [
    [
      'embedded',
      (shared) => {
        // The same store object stands for the same disk across a restart.
        let store = this.memory.get(shared);
        if (!store) this.memory.set(shared, (store = new MemoryPartyStore()));
        return Promise.resolve({ store });
      },
    ],
    ['redis', async (shared) => ({ backend: await this.redisBackend(shared) })],
  ];
}

/**
 * Two in-process servers for a file's tests and a real redis-server for them to share: the
 * servers and their clients go after each test, the redis-server after the file. Call it at
 * the top level of the test file.
 */
export function twoServersOnRedis(): { backends: BackendCases; rigA: TestRig; rigB: TestRig } {
  const backends = new BackendCases();
  const rigA = new TestRig();
  const rigB = new TestRig();
  beforeAll(() => backends.start(), 20_000);
  afterAll(() => backends.cleanup());
  afterEach(async () => {
    await rigA.cleanup();
    await rigB.cleanup();
  });
  return { backends, rigA, rigB };
}

/**
 * One in-process server at a time for a file's tests on each backend, and a real
 * redis-server for the Redis case: the server and its clients go after each test, the
 * redis-server after the file. Call it at the top level of the test file.
 */
export function oneServerPerBackend(): { backends: BackendCases; rig: TestRig } {
  const rig = new TestRig();
  afterEach(() => rig.cleanup());
  const backends = new BackendCases();
  beforeAll(() => backends.start(), 20_000);
  afterAll(() => backends.cleanup());
  return { backends, rig };
}
