/**
 * Wrong party passwords are throttled per peer id and per address (IPv6 by /64), each per
 * party: a few guesses are free, then one more every GUESS_REFILL_MS. A throttled guess is
 * refused before any hashing, so guessing costs the server nothing either. A guess is taken
 * before its password is hashed and given back if it was right: taken after the hash, every
 * guess sent at once passed the check while the first ones were still hashing (16 guesses
 * in one burst were all judged).
 *
 * The embedded server keeps the buckets in memory (GuessThrottle); servers sharing a Redis
 * keep them there (server/state/redis/guesses.ts), so moving to another server does not
 * start the count again.
 */
import { TokenBucket } from '../admission/rate-limit';

export const FREE_GUESSES = 5;
export const GUESS_REFILL_MS = 30_000;

export interface GuessLimiter {
  /**
   * Takes one guess from both buckets (0), or takes nothing and says how many seconds this
   * peer must wait to guess again from this address.
   */
  take(partyId: string, peerId: string, address: string): number | Promise<number>;
  /** The guess was right: gives it back to both buckets. */
  refund(partyId: string, peerId: string, address: string): void | Promise<void>;
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

  take(partyId: string, peerId: string, address: string): number {
    const now = this.now();
    const buckets = guessKeys(partyId, peerId, address).map((key) => this.bucket(key));
    const wait = Math.max(...buckets.map((bucket) => bucket.secondsUntil(now, 1)));
    if (wait > 0) return Math.ceil(wait);
    for (const bucket of buckets) bucket.take(now);
    return 0;
  }

  refund(partyId: string, peerId: string, address: string): void {
    const now = this.now();
    for (const key of guessKeys(partyId, peerId, address)) this.bucket(key).giveBack(now);
  }

  /** Forgets buckets that are full again (called from the sweep). */
  prune(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.isFull(now)) this.buckets.delete(key);
    }
  }
}
