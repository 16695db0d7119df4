/**
 * The Redis backend (`--redis redis://host:port`): parties, event numbers, ownerships and
 * last seen in Redis (store.ts), changes followed over pub/sub on a second
 * connection, the sweep lock with an expiry (leader-lock.ts). Several servers started with
 * the same URL serve the same parties.
 */
import type { Logger } from '../../../shared/logger';
import type { StateBackend } from '../backend';
import { RedisLeaderLock, LOCK_TTL_MS } from '../leader-lock';
import { refreshParties, reloadAll, reloadConflict, type ReplicaTarget } from '../replica';
import { receive } from '../replica-follow';
import { checkRedisConfig } from './config-check';
import { RedisGuessThrottle } from './guesses';
import { redisWhere } from './url';
import { ownChangeTest } from '../replication';
import { connectRedis, waitReady } from './connect';
import { RedisPartyStore } from './store';
import { watchForLostData } from './data-marker';

export interface RedisBackendOptions {
  /** Key prefix, so tests (or two deployments) can share one Redis. */
  prefix?: string;
  lockTtlMs?: number;
  /** `--redis-password-file`, named when Redis refuses the password. */
  passwordFile?: string;
}

type Subscriber = ReturnType<typeof connectRedis>;

/** The second connection, for pub/sub; the store is closed again when it cannot connect. */
async function openSubscriber(
  url: string,
  logger: Logger,
  store: RedisPartyStore,
): Promise<Subscriber> {
  const subscriber = connectRedis(url, logger, 'lanrage-follow');
  subscriber.options.enableOfflineQueue = true;
  try {
    await waitReady(subscriber, url);
  } catch (error) {
    await store.close();
    throw error;
  }
  return subscriber;
}

/**
 * A reload once the store's connection is back too: the two connections come back in either
 * order, and a reload on a store connection still down fails (its commands are not queued),
 * which left every change missed meanwhile missing here until that party changed again.
 */
function reloadWhenBack(store: RedisPartyStore, logger: Logger, target: ReplicaTarget): () => void {
  let waiting = false;
  const reload = (): void => {
    waiting = false;
    reloadAll(target, store).catch((error: unknown) =>
      logger.warn(`Could not reload from Redis: ${String(error)}`),
    );
  };
  return () => {
    if (store.redis.status === 'ready') return reload();
    if (waiting) return;
    waiting = true;
    store.redis.once('ready', reload);
  };
}

/** Applies the other servers' changes to `target` as they are published. */
async function follow(
  subscriber: Subscriber,
  channel: string,
  store: RedisPartyStore,
  logger: Logger,
  target: ReplicaTarget,
): Promise<void> {
  const isOwn = ownChangeTest(store.instanceId);
  subscriber.on('messageBuffer', (from: Buffer, raw: Buffer) => {
    if (isOwn(raw) || from.toString() !== channel) return;
    const stale = receive(target, raw.toString(), store.instanceId, logger);
    if (stale.length === 0) return;
    refreshParties(target, store, stale).catch((error: unknown) =>
      logger.warn(`Could not read parties back from Redis: ${String(error)}`),
    );
  });
  // Changes published while this server was cut off from Redis were missed.
  subscriber.on('ready', reloadWhenBack(store, logger, target));
  await subscriber.subscribe(channel);
  // Anything committed between the load and the subscription.
  await reloadAll(target, store);
}

export async function openRedisBackend(
  url: string,
  logger: Logger,
  options: RedisBackendOptions = {},
): Promise<StateBackend> {
  const store = await RedisPartyStore.open(url, logger, options.prefix, options.passwordFile);
  await checkRedisConfig(store.redis, redisWhere(url), logger);
  await watchForLostData(store.redis, store.prefix, logger);
  const subscriber = await openSubscriber(url, logger, store);
  const leader = new RedisLeaderLock(
    store.redis,
    `${store.prefix}leader`,
    store.instanceId,
    logger,
    options.lockTtlMs ?? LOCK_TTL_MS,
  );
  // A lone server sweeps from the start; with others, whoever was first keeps the lock.
  await leader.tick();
  return {
    store,
    leader,
    shared: true,
    follow: (target: ReplicaTarget) => follow(subscriber, store.channel, store, logger, target),
    onConflict(conflict, target) {
      return reloadConflict(target, store, conflict).catch((error: unknown) =>
        logger.warn(`Could not reload after a conflict: ${String(error)}`),
      );
    },
    refresh(partyIds, target) {
      return refreshParties(target, store, partyIds).catch((error: unknown) => {
        // Asked for each request naming a party this server lacks: while Redis is away (said
        // once, as is its return) each logged ioredis' "Stream isn't writeable…", one line
        // per request a client cared to send.
        if (store.redis.status !== 'ready') return;
        logger.warn(`Could not read parties back from Redis: ${String(error)}`);
      });
    },
    guesses: (now) => new RedisGuessThrottle(store.redis, store.prefix, now),
    async close() {
      await leader.close();
      subscriber.disconnect();
    },
  };
}
