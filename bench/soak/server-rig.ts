/**
 * The server under soak, in this process so that its retained heap can be read after a full
 * GC. It takes its options from the server's own command line (parseCli, serverOptions):
 * production limits and quotas, with the heartbeat, peer timeout, sweep and hello timeout
 * shortened so that presence, sweeps and session pruning happen many times within a run.
 * The store is SQLite in a temporary directory (as `npm run server`), or memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli } from '../../server/cli-args';
import { serverOptions } from '../../server/cli-options';
import { startServer, type ServerOptions } from '../../server/server';
import type { RunningServer } from '../../server/server-core';
import { MemoryPartyStore } from '../../server/store/test-util/memory-store';
import { silentLogger } from '../../shared/logger';

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
  readonly flags: readonly string[];
  /** How long after the last client left every timeout and sweep has run once. */
  readonly settleMs: number;
  stop(): Promise<void>;
}

/**
 * Periods without a flag (keepalive ping, approval expiry, last-seen writes) are shortened
 * the same way, through startServer's options.
 */
export async function startSoakServer(store: 'sqlite' | 'memory'): Promise<SoakServer> {
  const dir = mkdtempSync(join(tmpdir(), 'lanrage-soak-'));
  const flags = soakFlags(dir, SOAK_TIMINGS);
  const options: ServerOptions = {
    ...serverOptions(parseCli(flags, process.env), undefined, silentLogger),
    pingIntervalMs: 1000,
    approvalCheckMs: 500,
    touchPersistMs: 500,
    ...(store === 'memory' ? { store: new MemoryPartyStore() } : {}),
  };
  const server = await startServer(options);
  const t = SOAK_TIMINGS;
  const settleMs = (t.peerTimeoutS + t.helloTimeoutS + 4 * t.sweepS) * 1000 + 1000;
  const stop = async (): Promise<void> => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { server, flags, settleMs, stop };
}
