/**
 * The server under soak, in this process so that its retained heap can be read after a full
 * GC. It takes its options from the server's own command line (parseCli, serverOptions):
 * production limits and quotas, with the heartbeat, peer timeout, sweep and hello timeout
 * shortened so that presence, sweeps and session pruning happen many times within a run.
 * The store is SQLite in a temporary directory (as `npm run server`), memory, or Redis
 * (redis-rig.ts: a redis-server of its own and `--redis URL`) shared by two servers, the
 * second holding the hub's parties, so that every cycle's step on them crosses over.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli } from '../../server/cli/args';
import { serverOptions } from '../../server/cli/options';
import { startServer } from '../../server/server';
import type { RunningServer } from '../../server/server-core';
import { MemoryPartyStore } from '../../server/store/test-util/memory-store';
import { silentLogger } from '../../shared/logger';
import type { SoakRedis } from './redis-rig';

export type SoakStore = 'sqlite' | 'memory' | 'redis';

/** What the soak shortens (seconds, as the CLI takes them). */
export interface SoakTimings {
  heartbeatS: number;
  peerTimeoutS: number;
  sweepS: number;
  helloTimeoutS: number;
}

export const SOAK_TIMINGS: SoakTimings = {
  heartbeatS: 0.5,
  peerTimeoutS: 3,
  sweepS: 0.5,
  helloTimeoutS: 2,
};

/** The server's flags for a soak: production limits, short timings. */
export function soakFlags(dataDir: string, t: SoakTimings): string[] {
  return [
    ...['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir],
    ...['--heartbeat-interval', String(t.heartbeatS), '--peer-timeout', String(t.peerTimeoutS)],
    ...['--sweep-interval', String(t.sweepS), '--hello-timeout', String(t.helloTimeoutS)],
  ];
}

export interface SoakServer {
  readonly server: RunningServer;
  /** On Redis, a second server on the same Redis (the hub's); else null. */
  readonly second: RunningServer | null;
  /** Sizes kept outside this process (Redis' keys; none for the embedded stores). */
  outsideSizes(): Promise<Record<string, number>>;
  readonly flags: readonly string[];
  /** How long after the last client left every timeout and sweep has run once. */
  readonly settleMs: number;
  stop(): Promise<void>;
}

/**
 * Periods without a flag (keepalive ping, approval expiry, last-seen writes) are shortened
 * the same way, through startServer's options.
 */
export async function startSoakServer(
  store: SoakStore,
  t: SoakTimings = SOAK_TIMINGS,
): Promise<SoakServer> {
  const dir = mkdtempSync(join(tmpdir(), 'lanrage-soak-'));
  // Imported only here, as the server's CLI does: no other soak loads a Redis client.
  const redis = store === 'redis' ? await (await import('./redis-rig')).startSoakRedis() : null;
  const flags = [...soakFlags(dir, t), ...(redis ? ['--redis', redis.url] : [])];
  const servers: RunningServer[] = [];
  const stop = async (): Promise<void> => {
    for (const running of servers) await running.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    servers.push(await startOne(flags, store, redis));
    if (redis) servers.push(await startOne(flags, store, redis));
  } catch (error) {
    await stop();
    throw error;
  }
  const settleMs = (t.peerTimeoutS + t.helloTimeoutS + 4 * t.sweepS) * 1000 + 1000;
  const outsideSizes = () => redis?.sizes() ?? Promise.resolve({});
  return { server: servers[0]!, second: servers[1] ?? null, flags, settleMs, outsideSizes, stop };
}

/** One server from the soak's command line (with `--redis`, a backend of its own). */
async function startOne(
  flags: string[],
  store: SoakStore,
  redis: SoakRedis | null,
): Promise<RunningServer> {
  const args = parseCli(flags, process.env);
  const backend = await redis?.backend(args);
  return startServer({
    ...serverOptions(args, backend, silentLogger),
    pingIntervalMs: 1000,
    approvalCheckMs: 500,
    touchPersistMs: 500,
    ...(store === 'memory' ? { store: new MemoryPartyStore() } : {}),
  });
}
