/**
 * What the parsed command line asks of startServer. Shared by the server's CLI and
 * bench:server's in-memory-store entry, so a diagnostic run takes the same flags.
 */
import fs from 'node:fs';
import type { Logger } from '../../shared/logger';
import type { ParsedCli } from './args';
import type { ServerOptions } from '../server';
import type { StateBackend } from '../state/backend';

function readTls(args: ParsedCli): { cert: Buffer; key: Buffer } | undefined {
  if (!args.tls) return undefined;
  return { cert: fs.readFileSync(args.tls.certFile), key: fs.readFileSync(args.tls.keyFile) };
}

export function serverOptions(
  args: ParsedCli,
  backend: StateBackend | undefined,
  logger: Logger,
): ServerOptions {
  return {
    backend,
    host: args.host,
    port: args.port,
    dataDir: args.dataDir,
    tls: readTls(args),
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
  };
}
