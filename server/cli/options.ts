/**
 * What the parsed command line asks of startServer. Shared by the server's CLI and
 * bench:server's in-memory-store entry, so a diagnostic run takes the same flags.
 */
import type { Logger } from '../../shared/logger';
import type { ParsedCli } from './args';
import type { ServerOptions } from '../server';
import type { StateBackend } from '../state/backend';
import { readTlsFiles } from './tls-files';
import { readAdminToken } from '../admin/token-file';
import type { RelayOptions } from '../relay/turn-credentials';
import { readTurnRelay } from './turn-flags';

/** @throws Error naming the flag when a TLS file cannot be read or is not what it should be. */
export function readTls(args: ParsedCli): { cert: Buffer; key: Buffer } | undefined {
  return args.tls ? readTlsFiles(args.tls) : undefined;
}

/** @throws Error naming the flag when the operator's secret file is unfit (token-file.ts). */
export function readAdmin(args: ParsedCli): string | undefined {
  return args.adminTokenFile === null ? undefined : readAdminToken(args.adminTokenFile);
}

/** @throws Error naming the flag when the secret file is unfit (the admin token's rules). */
export function readMetricsToken(args: ParsedCli): string | undefined {
  const file = args.metricsTokenFile;
  return file === null ? undefined : readAdminToken(file, '--metrics-token-file');
}

/** @throws Error naming the flag when the relay's secret file is unfit (turn-flags.ts). */
export function readRelay(args: ParsedCli): RelayOptions | undefined {
  return args.turn === null ? undefined : readTurnRelay(args.turn);
}

export function serverOptions(
  args: ParsedCli,
  backend: StateBackend | undefined,
  logger: Logger,
  tls = readTls(args),
  adminToken = readAdmin(args),
  relay = readRelay(args),
  metricsToken = readMetricsToken(args),
): ServerOptions {
  return {
    adminToken,
    metricsToken,
    ...(relay === undefined ? {} : { relay }),
    backend,
    host: args.host,
    port: args.port,
    dataDir: args.dataDir,
    tls,
    peerTimeoutMs: args.peerTimeoutMs,
    sweepIntervalMs: args.sweepIntervalMs,
    heartbeatIntervalS: args.heartbeatIntervalS,
    rateLimit:
      args.rateLimit === 0
        ? null
        : { burst: Math.max(2 * args.rateLimit, 10), perSecond: args.rateLimit, maxStrikes: 100 },
    logger,
    ...args.limits,
    ...(args.publicUrl === null ? {} : { publicUrl: args.publicUrl }),
    ...(args.trustedProxies.length === 0 ? {} : { trustedProxies: args.trustedProxies }),
  };
}
