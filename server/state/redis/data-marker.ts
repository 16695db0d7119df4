/**
 * Tells when Redis comes back without the data it had: restarted without its append-only file
 * (or RDB), flushed, or replaced by an empty one behind the same address. Its parties,
 * sessions, bindings and bans are then gone, and nothing else would say so: the servers reload
 * from it as after any outage and find nothing. A key written once holds a random value; each
 * server remembers it and reads it again whenever its connection comes back.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../../shared/logger';

export const LOST_DATA_MESSAGE =
  'Redis came back without its data (restarted without its append-only file, or flushed): ' +
  'the parties, sessions, invites and bans it held are gone. Hosts’ apps register their ' +
  'parties again; keep --appendonly yes on this Redis.';

export class RedisDataMarker {
  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly logger: Logger,
    private known: string,
  ) {}

  /** Writes the marker where none is (the first server on this Redis) and reads it. */
  static async place(redis: Redis, key: string, logger: Logger): Promise<RedisDataMarker> {
    return new RedisDataMarker(redis, key, logger, await RedisDataMarker.read(redis, key));
  }

  private static async read(redis: Redis, key: string): Promise<string> {
    await redis.set(key, randomUUID(), 'NX');
    return (await redis.get(key)) ?? '';
  }

  /**
   * Reads the marker again (call when the connection is back): another value than the one
   * known means the data went meanwhile. Logged by every server that finds it; the first puts
   * a new marker. A read that fails waits for the next reconnection.
   */
  async check(): Promise<void> {
    let now: string;
    try {
      now = await RedisDataMarker.read(this.redis, this.key);
    } catch {
      return;
    }
    if (now === this.known) return;
    this.known = now;
    this.logger.error(LOST_DATA_MESSAGE);
  }
}

/** Places the marker and checks it each time the store's connection comes back. */
export async function watchForLostData(
  redis: Redis,
  prefix: string,
  logger: Logger,
): Promise<void> {
  const marker = await RedisDataMarker.place(redis, `${prefix}data-marker`, logger);
  redis.on('ready', () => void marker.check());
}
