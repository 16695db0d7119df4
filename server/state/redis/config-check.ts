/**
 * What the Redis we were given will do with acknowledged changes. Parties, ownerships and
 * bans live only there: a Redis that evicts keys under memory pressure, or keeps no
 * append-only file, loses acknowledged parties without an error anyone sees. Hosts often
 * start from a managed or default Redis (RDB snapshots only, an LRU policy), so the server
 * says so at start instead of leaving it to be found after the loss. Nothing is changed.
 * Likewise this machine's clock against Redis's: changes between running servers carry the
 * sender's clock (replica-follow.ts), but a server starting reads the last-seen times the others
 * stored on theirs.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../../shared/logger';

const ASKED = ['maxmemory', 'maxmemory-policy', 'appendonly', 'appendfsync'] as const;
type Config = Partial<Record<(typeof ASKED)[number], string>>;

/** The warnings `config` deserves; `where` names the Redis in each. */
export function redisConfigWarnings(config: Config, where: string): string[] {
  const warnings: string[] = [];
  const policy = config['maxmemory-policy'];
  if (config.maxmemory !== '0' && policy !== undefined && policy !== 'noeviction') {
    warnings.push(
      `Redis at ${where} evicts keys when full (maxmemory-policy ${policy}): parties and ` +
        'identities may vanish without an error. Set maxmemory-policy noeviction, so a full ' +
        'Redis refuses changes instead.',
    );
  }
  if (config.appendonly === 'no') {
    warnings.push(
      `Redis at ${where} keeps no append-only file: changes acknowledged since its last ` +
        'snapshot are lost if it stops. Run it with --appendonly yes --appendfsync always.',
    );
  } else if (config.appendfsync !== undefined && config.appendfsync !== 'always') {
    warnings.push(
      `Redis at ${where} syncs its append-only file with appendfsync ${config.appendfsync}: ` +
        'about the last second of acknowledged changes is lost if its machine crashes. ' +
        'appendfsync always keeps every one.',
    );
  }
  return warnings;
}

async function readConfig(redis: Redis): Promise<Config> {
  const config: Config = {};
  for (const key of ASKED) {
    const pair = (await redis.call('CONFIG', 'GET', key)) as string[];
    if (pair.length === 2) config[key] = pair[1];
  }
  return config;
}

/** Further apart than this, the clocks of servers sharing a Redis move removals visibly. */
export const CLOCK_TOLERANCE_MS = 2000;

/** The warning a clock `offsetMs` behind Redis's (negative: ahead) deserves, if any. */
export function clockWarning(offsetMs: number, where: string): string | null {
  if (Math.abs(offsetMs) <= CLOCK_TOLERANCE_MS) return null;
  const seconds = Math.round(Math.abs(offsetMs) / 1000);
  const side = offsetMs > 0 ? 'behind' : 'ahead of';
  return (
    `This machine's clock is ${seconds} s ${side} that of Redis at ${where}. A server that ` +
    'starts reads the last-seen times other servers stored on their clocks, so members may be ' +
    'removed early or kept late. Sync it (NTP: timedatectl set-ntp true).'
  );
}

/** Redis's clock minus ours, ms, from TIME against the middle of the exchange. */
async function offsetFromRedis(redis: Redis, now: () => number): Promise<number> {
  const sentAt = now();
  const [seconds, micros] = await redis.time();
  const receivedAt = now();
  return Number(seconds) * 1000 + Number(micros) / 1000 - (sentAt + receivedAt) / 2;
}

/** Logs what could lose acknowledged changes; a Redis that hides CONFIG (managed ones) too. */
export async function checkRedisConfig(
  redis: Redis,
  where: string,
  logger: Logger,
  now: () => number = Date.now,
): Promise<void> {
  // A Redis that refuses TIME (renamed away) leaves only the config to check.
  const offset = await offsetFromRedis(redis, now).catch(() => 0);
  const clock = clockWarning(offset, where);
  if (clock !== null) logger.warn(clock);
  let config: Config;
  try {
    config = await readConfig(redis);
  } catch (error) {
    logger.info(
      `Could not read the config of Redis at ${where} (${(error as Error).message}); make sure ` +
        'it runs with maxmemory-policy noeviction and appendonly yes, appendfsync always.',
    );
    return;
  }
  for (const warning of redisConfigWarnings(config, where)) logger.warn(warning);
}
