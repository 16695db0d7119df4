/** The server's command line, validated with zod. */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  CLEANUP_INTERVAL,
  HEARTBEAT_INTERVAL,
  PEER_TIMEOUT,
  type IntervalBounds,
} from '../../shared/time/intervals';
import { plainFlagIssue } from '../../shared/node/cli-flags';
import { PortTextSchema } from '../../shared/values/port';
import { DEFAULT_SERVER_PORT } from '../../shared/values/server-url';
import { DEFAULT_ADMISSION } from '../admission/admission';
import { CorruptPolicy } from '../store/db-health';
import { DEFAULT_QUOTAS } from '../admission/quotas';
import { DEFAULT_RATE_LIMIT } from '../admission/rate-limit';
import type { ServerOptions } from '../server';
import { RedisUrlSchema } from '../state/redis/url';
import { LOG_LEVELS, type LogLevel } from '../logger';
import { refusedFlag, withEnv } from './env-flags';
import { readFlags } from './flags';
import { TURN_FLAGS, turnFlagsFrom, turnFlagsMismatch, type TurnFlags } from './turn-flags';
import { TrustedProxiesSchema } from './trusted-proxy';

/**
 * Numbers are checked as text first: `z.coerce.number()` reads '' or ' ' as 0, which would
 * silently turn a limit off or pick a random port. Any number of digits: each rule has its
 * maximum, which says "must be at most …" where a cap on digits said "must be a number".
 */
const numberText = (pattern: RegExp, message: string) =>
  z
    .string()
    .refine((text) => !text.startsWith('-'), 'must not be negative')
    .regex(pattern, message)
    .transform(Number);
const count = (max: number) =>
  numberText(/^\d+$/, 'must be a whole number').pipe(z.number().max(max));
const decimal = (message: string) => numberText(/^\d+(\.\d{1,6})?$/, message);
/**
 * Seconds to the millisecond: they become whole milliseconds (Node's HTTP timeouts refuse a
 * fraction, and a server given 1.0005 s stopped at start in Node's words, not ours).
 */
const secondsText = (message: string) => numberText(/^\d+(\.\d{1,3})?$/, message);
const seconds = secondsText('must be a number of seconds, to the millisecond').pipe(
  z.number().positive().max(86_400),
);
/** The intervals the server announces or sweeps by: the bounds every client applies too. */
const interval = (bounds: IntervalBounds) =>
  secondsText('must be a number of seconds, to the millisecond')
    .pipe(
      z
        .number()
        .min(bounds.min, `must be ${bounds.min}–${bounds.max} seconds`)
        .max(bounds.max, `must be ${bounds.min}–${bounds.max} seconds`),
    )
    .default(bounds.defaultSeconds);
/** Seconds where 0 turns the timeout off. */
const secondsOrOff = secondsText('must be a number of seconds, to the millisecond (0 = off)').pipe(
  z.number().max(86_400),
);

export const CliArgsSchema = z
  .object({
    // A blank or quote kept by an env file was looked up as a host name: ENOTFOUND.
    host: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^\s"']+$/, 'must be an address or host name, without blanks or quotes')
      .default('127.0.0.1'),
    port: PortTextSchema.default(DEFAULT_SERVER_PORT),
    'data-dir': z.string().min(1).optional(),
    'tls-cert': z.string().min(1).optional(),
    'tls-key': z.string().min(1).optional(),
    /** The operator's secret: turns on the moderation API (`/admin/…`, server/admin/). */
    'admin-token-file': z.string().min(1).optional(),
    /** A secret Prometheus must send as a bearer token to read `/metrics`. */
    'metrics-token-file': z.string().min(1).optional(),
    /** Parties, sessions and presence in this Redis, shared with other servers using it. */
    redis: RedisUrlSchema.optional(),
    /** Redis's password, kept out of `ps` (redis-secret.ts). */
    'redis-password-file': z.string().min(1).optional(),
    'peer-timeout': interval(PEER_TIMEOUT),
    'sweep-interval': interval(CLEANUP_INTERVAL),
    'heartbeat-interval': interval(HEARTBEAT_INTERVAL),
    /** Messages per second per connection; 0 turns rate limiting off. */
    'rate-limit': decimal('must be a number')
      .pipe(z.number().max(1_000_000))
      .default(DEFAULT_RATE_LIMIT.perSecond),
    'max-connections': count(1_000_000)
      .pipe(z.number().min(1))
      .default(DEFAULT_ADMISSION.maxConnections),
    'max-connections-per-ip': count(1_000_000)
      .pipe(z.number().min(1))
      .default(DEFAULT_ADMISSION.maxPerAddress),
    'hello-timeout': secondsOrOff.default(10),
    /** Seconds an address is refused after a cut for not reading (doubling); 0 = off. */
    'cut-backoff': secondsOrOff.default(DEFAULT_ADMISSION.cutBackoffMs / 1000),
    'handshake-timeout': seconds.default(10),
    'max-unsent-kib': count(1_048_576).pipe(z.number().min(64)).default(512),
    'max-parties-per-peer': count(1_000_000).default(DEFAULT_QUOTAS.maxPartiesPerPeer),
    'max-parties-per-ip': count(1_000_000).default(DEFAULT_QUOTAS.maxPartiesPerAddress),
    'parties-per-minute': count(1_000_000).default(DEFAULT_QUOTAS.creationsPerMinute),
    'peer-ids-per-minute': count(1_000_000).default(DEFAULT_QUOTAS.peerIdsPerMinute),
    'joins-per-minute': count(1_000_000).default(DEFAULT_QUOTAS.churnPerMinute),
    'update-interval': secondsOrOff.default(DEFAULT_QUOTAS.updateIntervalMs / 1000),
    'snapshot-kib-per-second': count(1_048_576).default(
      DEFAULT_QUOTAS.snapshotBytesPerSecond / 1024,
    ),
    'snapshot-kib-per-second-per-ip': count(1_048_576).default(
      DEFAULT_QUOTAS.addressSnapshotBytesPerSecond / 1024,
    ),
    'signal-kib-per-second': count(1_048_576).default(DEFAULT_QUOTAS.signalBytesPerSecond / 1024),
    /** Messages per second from one address, all its connections together; 0 = off. */
    'rate-limit-per-ip': count(1_000_000).default(DEFAULT_QUOTAS.addressMessagesPerSecond),
    'on-corrupt': z
      .enum(CorruptPolicy, { error: 'must be set-aside or refuse' })
      .default('set-aside'),
    /** `off`: every commit on the writer thread, even while the loop is idle. */
    'commits-on-loop': z.enum(['auto', 'off'], { error: 'must be auto or off' }).default('auto'),
    'log-level': z
      .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
      .default('info'),
    /** Where browsers reach this server (`https://lan.example.org`): invite web links. */
    'public-url': z
      .string()
      .max(200)
      .refine(isPublicUrl, {
        message: 'must be an http(s) URL without a path, e.g. https://lan.example.org',
      })
      .optional(),
    /** The load balancers whose connections start with a PROXY header (client-address.ts). */
    'trusted-proxy': TrustedProxiesSchema.optional(),
    ...TURN_FLAGS,
  })
  .superRefine((a, ctx) => {
    const mismatch = turnFlagsMismatch(a);
    if (mismatch)
      ctx.addIssue({ code: 'custom', path: [mismatch.path], message: mismatch.message });
  })
  .refine((a) => (a['tls-cert'] === undefined) === (a['tls-key'] === undefined), {
    message: '--tls-cert and --tls-key must be given together',
  })
  .refine((a) => a['redis-password-file'] === undefined || a.redis !== undefined, {
    path: ['redis-password-file'],
    message: 'needs --redis (the server it is the password of)',
  })
  // Clients beat at the interval the server announces: a timeout within one interval swept
  // every member that beat on time, a second after it joined.
  .refine((a) => a['peer-timeout'] >= 2 * a['heartbeat-interval'], {
    path: ['peer-timeout'],
    message: 'must be at least twice --heartbeat-interval, or members beating on time are removed',
  });
export type CliArgs = z.infer<typeof CliArgsSchema>;

/** What the limit flags set in startServer's options. */
export type LimitFlagOptions = Required<
  Pick<
    ServerOptions,
    | 'admission'
    | 'helloTimeoutMs'
    | 'handshakeTimeoutMs'
    | 'maxBufferedBytes'
    | 'quotas'
    | 'onCorrupt'
    | 'commitsOnLoop'
  >
>;

export interface ParsedCli {
  host: string;
  port: number;
  dataDir: string;
  tls: { certFile: string; keyFile: string } | null;
  /** `--admin-token-file`; null: the moderation API is off. */
  adminTokenFile: string | null;
  /** `--metrics-token-file`; null: `/metrics` is open to whoever reaches the port. */
  metricsTokenFile: string | null;
  /** null: the embedded SQLite store. */
  redisUrl: string | null;
  /** `--redis-password-file`: read into redisUrl at start (redis-secret.ts). */
  redisPasswordFile: string | null;
  peerTimeoutMs: number;
  sweepIntervalMs: number;
  heartbeatIntervalS: number;
  /** Messages per second; 0 = unlimited. */
  rateLimit: number;
  limits: LimitFlagOptions;
  logLevel: LogLevel;
  /** `--public-url`, without a trailing slash; null when not given. */
  publicUrl: string | null;
  /** `--turn-url` and `--turn-secret-file` (read at start: turn-flags.ts); null: no relay. */
  turn: TurnFlags | null;
  /** `--trusted-proxy`, as `address/prefix`; empty: no PROXY header is read. */
  trustedProxies: string[];
}

function isPublicUrl(text: string): boolean {
  try {
    const url = new URL(text);
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username;
    return (url.protocol === 'https:' || url.protocol === 'http:') && bare;
  } catch {
    return false;
  }
}

/** The data directory: `--data-dir`, else `$LANRAGE_HOME/server` (`~/.lanrage/server`). */
export function dataDirFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag === '') throw new Error('--data-dir: must not be empty');
  const home = env.LANRAGE_HOME || path.join(os.homedir(), '.lanrage');
  return path.resolve(flag ?? path.join(home, 'server'));
}

function limitsFrom(a: CliArgs): LimitFlagOptions {
  return {
    admission: {
      maxConnections: a['max-connections'],
      maxPerAddress: a['max-connections-per-ip'],
      cutBackoffMs: a['cut-backoff'] * 1000,
    },
    helloTimeoutMs: a['hello-timeout'] * 1000,
    handshakeTimeoutMs: a['handshake-timeout'] * 1000,
    maxBufferedBytes: a['max-unsent-kib'] * 1024,
    quotas: {
      maxPartiesPerPeer: a['max-parties-per-peer'],
      maxPartiesPerAddress: a['max-parties-per-ip'],
      creationsPerMinute: a['parties-per-minute'],
      peerIdsPerMinute: a['peer-ids-per-minute'],
      churnPerMinute: a['joins-per-minute'],
      updateIntervalMs: a['update-interval'] * 1000,
      snapshotBytesPerSecond: a['snapshot-kib-per-second'] * 1024,
      addressSnapshotBytesPerSecond: a['snapshot-kib-per-second-per-ip'] * 1024,
      signalBytesPerSecond: a['signal-kib-per-second'] * 1024,
      addressMessagesPerSecond: a['rate-limit-per-ip'],
    },
    onCorrupt: a['on-corrupt'],
    commitsOnLoop: a['commits-on-loop'] === 'auto',
  };
}

/**
 * The flags, each not given read from its `LANRAGE_SERVER_` variable (env-flags.ts).
 * @throws Error with a message fit for the terminal.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): ParsedCli {
  const names = Object.keys(CliArgsSchema.shape);
  const read = withEnv(readFlags(argv, names).values, names, env, true);
  const parsed = CliArgsSchema.safeParse(read.values, { error: plainFlagIssue });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = issue?.path.length ? `${refusedFlag(issue.path.join('.'), read)}: ` : '';
    throw new Error(`${flag}${issue?.message ?? 'invalid arguments'}`);
  }
  const a = parsed.data;
  return {
    host: a.host,
    port: a.port,
    dataDir: dataDirFrom(a['data-dir'], env),
    tls: a['tls-cert'] && a['tls-key'] ? { certFile: a['tls-cert'], keyFile: a['tls-key'] } : null,
    adminTokenFile: a['admin-token-file'] ?? null,
    metricsTokenFile: a['metrics-token-file'] ?? null,
    redisUrl: a.redis ?? null,
    redisPasswordFile: a['redis-password-file'] ?? null,
    peerTimeoutMs: a['peer-timeout'] * 1000,
    sweepIntervalMs: a['sweep-interval'] * 1000,
    heartbeatIntervalS: a['heartbeat-interval'],
    rateLimit: a['rate-limit'],
    limits: limitsFrom(a),
    logLevel: a['log-level'],
    publicUrl: a['public-url'] === undefined ? null : new URL(a['public-url']).origin,
    turn: turnFlagsFrom(a),
    trustedProxies: a['trusted-proxy'] ?? [],
  };
}
