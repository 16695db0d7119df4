/**
 * The soak on Redis (`--store redis`): a real redis-server of its own (the tests' helper:
 * a free loopback port, append-only persistence, a temp dir, killed at the end), the Redis
 * backend opened from the server's own parsed command line (`--redis URL`, as server/cli.ts
 * does), and the sizes Redis keeps per party, peer and row, read on a connection of the
 * soak's own so that the servers' connections carry nothing more than their traffic.
 * Loaded only for `--store redis` (server-rig.ts), so no other soak loads a Redis client.
 */
import { ACCESS_KINDS } from '../../server/access/records';
import type { ParsedCli } from '../../server/cli/args';
import type { StateBackend } from '../../server/state/backend';
import { openRedisBackend } from '../../server/state/redis/backend';
import { RedisTestServer } from '../../server/test-util/redis-server';
import { connectRedis, waitReady } from '../../server/state/redis/connect';
import { DEFAULT_PREFIX } from '../../server/state/redis/store';
import { silentLogger } from '../../shared/logger';
import { REDIS_BY_DESIGN } from './targets';

/** What each access kind is listed as (a by-design kind with its reason). */
const ACCESS_NAMES: Record<string, string> = {
  used_id: REDIS_BY_DESIGN[0]!,
  key: REDIS_BY_DESIGN[1]!,
  notice: REDIS_BY_DESIGN[2]!,
};

export interface SoakRedis {
  readonly url: string;
  /** A backend for one more server on this Redis, as `npm run server -- --redis` opens it. */
  backend(args: ParsedCli): Promise<StateBackend | undefined>;
  /** Redis' hashes and keys, by name (`redis:party`, `redis:access ban`, …). */
  sizes(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export async function startSoakRedis(): Promise<SoakRedis> {
  const server = await RedisTestServer.start();
  const reader = connectRedis(server.url, silentLogger, 'lanrage-soak-sizes');
  try {
    await waitReady(reader, server.url);
  } catch (error) {
    await server.cleanup();
    throw error;
  }
  const backend = async (args: ParsedCli) =>
    args.redisUrl ? openRedisBackend(args.redisUrl, silentLogger) : undefined;
  const stop = async (): Promise<void> => {
    reader.disconnect();
    await server.cleanup();
  };
  return { url: server.url, backend, sizes: () => redisSizes(reader), stop };
}

type Reader = ReturnType<typeof connectRedis>;

/** Keys matching `pattern` (SCAN: the soak's few thousand keys, never KEYS on a big set). */
async function keysOf(reader: Reader, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await reader.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** The sizes of the backend's hashes (server/state/redis/commit.ts lists them) and keyed sets. */
async function redisSizes(reader: Reader): Promise<Record<string, number>> {
  const at = DEFAULT_PREFIX;
  const sizes: Record<string, number> = {};
  for (const hash of ['party', 'seq', 'ver', 'owners']) {
    sizes[`redis:${hash}`] = await reader.hlen(`${at}${hash}`);
  }
  // Last seen, a hash per party: its fields are its members' (the live parties' members).
  const seen = await keysOf(reader, `${at}seen:*`);
  sizes['redis:seen keys'] = seen.length;
  sizes['redis:seen fields'] = 0;
  for (const key of seen) sizes['redis:seen fields'] += await reader.hlen(key);
  sizes['redis:guess keys'] = (await keysOf(reader, `${at}guess:*`)).length;
  // Access rows by kind ('<kind> <key>'): the ones that grow by design apart from the rest;
  // every kind listed, so that one absent at the warm-up is compared too.
  const nameOf = (kind: string): string => ACCESS_NAMES[kind] ?? `redis:access ${kind}`;
  for (const kind of ACCESS_KINDS) sizes[nameOf(kind)] = 0;
  for (const field of await reader.hkeys(`${at}access`)) {
    const kind = field.slice(0, field.indexOf(' '));
    const name = nameOf(kind);
    sizes[name] = (sizes[name] ?? 0) + 1;
  }
  return sizes;
}
