/**
 * The connection limits' defaults and how the server options become the HTTP server's
 * timeouts, each connection's options and the admission caps.
 */
import type http from 'node:http';
import type { Logger } from '../../shared/logger';
import { Admission, DEFAULT_ADMISSION, fitToDescriptors, type AdmissionOptions } from './admission';
import type { ConnectionOptions } from '../connection/connection';
import { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rate-limit';

/**
 * What may queue for one client before it counts as not reading: eight snapshots of a full
 * (256-peer, ~64 KiB) party. 200 clients that never read once held 1.94 GB at 4 MiB each.
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 512 * 1024;
/** A connection that has not sent `hello` by then is closed. */
export const DEFAULT_HELLO_TIMEOUT_MS = 10_000;
/** An HTTP request (the upgrade included) must have sent its headers by then (slowloris). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

export interface LimitOptions {
  /** null disables rate limiting (benchmarks). */
  rateLimit?: RateLimitOptions | null;
  maxBufferedBytes?: number;
  /** Connection caps (defaults: DEFAULT_ADMISSION, lowered to fit `ulimit -n`). */
  admission?: Partial<AdmissionOptions>;
  helloTimeoutMs?: number;
  handshakeTimeoutMs?: number;
}

/** Slow or silent handshakes (slowloris) are cut; checked every second, not every 30 s. */
export function handshakeTimeouts(
  options: LimitOptions,
): http.ServerOptions & { handshakeTimeout: number } {
  const ms = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  return {
    // Over TLS the HTTP timeouts start once the TLS handshake is done: a handshake left
    // half-sent held its socket for Node's default 120 s, and a draining server waited for it.
    handshakeTimeout: ms,
    headersTimeout: ms,
    requestTimeout: ms,
    connectionsCheckingInterval: Math.min(ms, 1000),
  };
}

export function connectionOptions(options: LimitOptions): ConnectionOptions {
  return {
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    rateLimit: options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit,
    helloTimeoutMs: options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS,
  };
}

/** `held`: how many WebSocket connections the server holds now. */
export function createAdmission(
  options: LimitOptions,
  logger: Logger,
  held: () => number,
): Admission {
  const caps = fitToDescriptors({ ...DEFAULT_ADMISSION, ...options.admission }, logger);
  const silentMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  return new Admission(caps, logger, held, silentMs);
}
