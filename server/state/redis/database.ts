/**
 * `--redis redis://host:port/N`: the Redis database a deployment keeps its state in. Two
 * deployments on one Redis may use two databases; nothing of one may reach the other.
 */
import type { Redis } from 'ioredis';
import { redisWhere } from './url';

/** The database the URL names (`/N`, else 0); ioredis keeps it as `options.db`. */
export const databaseOf = (redis: Redis): number => redis.options.db ?? 0;

/**
 * ioredis logs a refused SELECT (a `/N` past Redis's `databases`) and goes on in database 0,
 * where another deployment's parties may be: a server on `/99` served database 0's.
 * @throws Error naming the database and Redis when it cannot be used.
 */
export async function selectDatabase(redis: Redis, url: string): Promise<void> {
  const db = databaseOf(redis);
  if (db === 0) return;
  try {
    await redis.select(db);
  } catch (error) {
    const why = (error as Error).message;
    throw new Error(`cannot use database ${db} of Redis at ${redisWhere(url)}: ${why}`, {
      cause: error,
    });
  }
}

/**
 * The channel commits are published on. Pub/sub is one namespace for every database of a
 * Redis: servers on `/1` and on `/2` heard each other's changes and served each other's
 * parties. Database 0 keeps the channel it always had.
 */
export function changesChannel(prefix: string, db: number): string {
  return db === 0 ? `${prefix}changes` : `${prefix}changes@db${db}`;
}
