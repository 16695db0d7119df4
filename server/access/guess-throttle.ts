/**
 * Wrong party passwords are throttled per peer id and per address (IPv6 by /64), each per
 * party: a few guesses are free, then one more every GUESS_REFILL_MS. A throttled guess is
 * refused before any hashing, so guessing costs the server nothing either.
 *
 * The embedded server keeps the buckets in memory (GuessThrottle); servers sharing a Redis
 * keep them there (server/state/redis-guesses.ts), so moving to another server does not
 * start the count again.
 */
import { TokenBucket } from '../admission/rate-limit';

export const FREE_GUESSES = 5;
export const GUESS_REFILL_MS = 30_000;

export interface GuessLimiter {
  /** Seconds until this peer may guess again from this address (0: now). */
  waitSeconds(partyId: string, peerId: string, address: string): number | Promise<number>;
  /** A wrong guess: spends one from both buckets. */
  wrong(partyId: string, peerId: string, address: string): void | Promise<void>;
  /** Forgets what is full again (called from the sweep). */
  prune(): void;
}

/** The two buckets a guess spends from: the peer's and the address's, in this party. */
export function guessKeys(partyId: string, peerId: string, address: string): string[] {
  return [`p\u0000${partyId}\u0000${peerId}`, `a\u0000${partyId}\u0000${address}`];
}

export class GuessThrottle implements GuessLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly now: () => number) {}

  private bucket(key: string): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const perSecond = 1000 / GUESS_REFILL_MS;
      bucket = new TokenBucket(
        { burst: FREE_GUESSES, perSecond, maxStrikes: Infinity },
        this.now(),
      );
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Seconds until this peer may guess again from this address (0: now). */
  waitSeconds(partyId: string, peerId: string, address: string): number {
    const now = this.now();
    let wait = 0;
    for (const key of guessKeys(partyId, peerId, address)) {
      wait = Math.max(wait, this.bucket(key).secondsUntil(now, 1));
    }
    return Math.ceil(wait);
  }

  /** A wrong guess: spends one from both. */
  wrong(partyId: string, peerId: string, address: string): void {
    const now = this.now();
    for (const key of guessKeys(partyId, peerId, address)) this.bucket(key).take(now);
  }

  /** Forgets buckets that are full again (called from the sweep). */
  prune(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.isFull(now)) this.buckets.delete(key);
    }
  }
}
