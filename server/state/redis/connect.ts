/**
 * Connections to Redis: made to fail commands at once while Redis is away (no offline queue)
 * and to reconnect by themselves, and a first connection that says in words why it failed.
 */
import net from 'node:net';
import { Redis, ReplyError } from 'ioredis';
import type { Logger } from '../../../shared/logger';
import { selectDatabase } from './database';
import { redisWhere } from './url';
import { within } from './within';

const CONNECT_TIMEOUT_MS = 5000;

/** A connection that fails commands while disconnected and reconnects by itself. */
export function connectRedis(url: string, logger: Logger, name: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    connectionName: name,
  });
  let down = false;
  redis.on('error', (error: Error) => {
    // Redis answered, refusing the database in the URL (SELECT): not down, and waitReady's
    // error says it. Other refusals (a wrong password after a restart) are logged as before.
    if (error instanceof ReplyError && /DB index/i.test(error.message)) return;
    if (!down) logger.warn(`Redis (${name}): ${error.message}`);
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info(`Redis (${name}) is back`);
    down = false;
  });
  return redis;
}

/**
 * Where the password came from: `--redis-password-file FILE`, or null for the URL. A host who
 * gave the file was told to check `redis://:PASSWORD@…`, the form README warns `ps` shows.
 */
export type PasswordSource = string | null;

/** What to check when Redis refused the password (or asked for one). */
function passwordHint(passwordFile: PasswordSource): string {
  return passwordFile === null
    ? 'check the password in --redis: redis://:PASSWORD@host:port, or give --redis-password-file'
    : `check the password in --redis-password-file ${passwordFile}`;
}

/**
 * Why the first connection failed: the connection's own error (refused, a wrong password, a
 * certificate), not connect()'s, which only ever said "Connection is closed.".
 */
function whyNotReady(
  error: unknown,
  last: Error | undefined,
  url: string,
  passwordFile: PasswordSource,
): string {
  const why = (last ?? (error as Error)).message;
  if (/WRONGPASS|NOAUTH/.test(why)) return `${why} (${passwordHint(passwordFile)})`;
  // ioredis' own words for a web server or anything else there: "Unknown RESP type 72 "H".
  // Please report this." sent the host to report a bug instead of checking the port.
  if (/Unknown RESP type/.test(why)) {
    return 'what answers there is not Redis (check the host and port in --redis)';
  }
  // A TLS hello to a plain Redis gets no answer: "connect ETIMEDOUT" said nothing of TLS.
  if (url.startsWith('rediss:') && /ETIMEDOUT|no answer|wrong version number/.test(why)) {
    return `${why} (rediss:// speaks TLS: does that Redis serve TLS? If not, use redis://)`;
  }
  return why;
}

/**
 * The error line a Redis writes to a client it turns away at accept, then closes: protected
 * mode (no password, a client from another machine) or maxclients. ioredis reported only
 * `write EPIPE` or `Connection is closed.`; a plain socket reads the line. Null for anything
 * else, or over TLS.
 */
function refusalLine(url: string): Promise<string | null> {
  const { protocol, hostname, port } = new URL(url);
  if (protocol !== 'redis:') return Promise.resolve(null);
  return new Promise((resolve) => {
    const host = hostname.replace(/^\[|\]$/g, '');
    const socket = net.connect({ host, port: Number(port || 6379) });
    let text = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      // Redis's protected-mode line runs to about 1 000 characters: its start is enough.
      resolve(text.startsWith('-') ? (text.slice(1).split(/\r?\n/)[0] ?? '') : null);
    };
    const timer = setTimeout(done, 1000);
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
      if (text.includes('\n') || text.length > 256) done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

/** What Redis said as it turned us away, with what to do when it was protected mode. */
async function turnedAway(url: string, why: string): Promise<string> {
  if (!/EPIPE|ECONNRESET|Connection is closed/.test(why)) return why;
  // A URL it cannot read (it was checked at start) or any surprise keeps the first words.
  const line = await Promise.resolve(url)
    .then(refusalLine)
    .catch(() => null);
  if (line === null) return why;
  if (!line.startsWith('DENIED')) return `Redis said: ${line.slice(0, 200)}`;
  return (
    'Redis takes no connections from other machines while it has no password (protected ' +
    'mode): give it one (requirepass) and this server --redis-password-file'
  );
}

/** Waits for the first connection; a clear error when Redis cannot be reached. */
export async function waitReady(
  redis: Redis,
  url: string,
  passwordFile: PasswordSource = null,
): Promise<void> {
  let last: Error | undefined;
  const onError = (error: Error): void => void (last = error);
  redis.on('error', onError);
  try {
    await within(redis.connect(), CONNECT_TIMEOUT_MS, 'no answer');
  } catch (error) {
    redis.disconnect();
    const why = await turnedAway(url, whyNotReady(error, last, url, passwordFile));
    throw new Error(`cannot reach Redis at ${redisWhere(url)}: ${why}`, { cause: error });
  } finally {
    redis.off('error', onError);
  }
  await selectDatabase(redis, url).catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });
}
