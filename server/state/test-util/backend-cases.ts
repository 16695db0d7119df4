/**
 * Test support: the backends one protocol suite runs against (describe.each): the embedded
 * one on `npm run server`'s SQLite store (a data folder per shared state, in a temp folder
 * the file removes), and Redis (a real redis-server shared by the file's tests, one key prefix
 * per server so tests do not see each other's parties).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { silentLogger, type Logger } from '../../../shared/logger';
import type { ServerOptions } from '../../server';
import { TestRig } from '../../test-util/support';
import { SqlitePartyStore } from '../../store/sqlite-store';
import { openRedisBackend, type RedisBackendOptions } from '../redis/backend';
import { RedisTestServer } from '../../test-util/redis-server';

/** Options for one server; `shared` names the state several servers (or a restart) share. */
export type BackendOptions = (shared: string) => Promise<Partial<ServerOptions>>;

export class BackendCases {
  private redis: RedisTestServer | null = null;
  private dataDirs: string | null = null;
  private readonly run = randomUUID().slice(0, 8);

  async start(): Promise<void> {
    this.dataDirs = mkdtempSync(join(tmpdir(), 'lanrage-backends-'));
    this.redis = await RedisTestServer.start();
  }

  async cleanup(): Promise<void> {
    await this.redis?.cleanup();
    if (this.dataDirs) rmSync(this.dataDirs, { recursive: true, force: true });
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
        if (!this.dataDirs) throw new Error('BackendCases.start() first');
        // A new store on the same folder after a restart reads back what was committed. The
        // store the writer thread runs, on the loop: starting a thread under tsx took each
        // test 2-4 s (threaded-store.test.ts covers the thread).
        return Promise.resolve({ store: new SqlitePartyStore(join(this.dataDirs, shared)) });
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
