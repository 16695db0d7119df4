/**
 * Wrong party passwords are throttled per peer id and per address (IPv6 by /64), each per
 * party: a few guesses are free, then one more every GUESS_REFILL_MS. A throttled guess is
 * refused before any hashing, so guessing costs the server nothing either.
 */
import { TokenBucket } from '../admission/rate-limit';

export const FREE_GUESSES = 5;
export const GUESS_REFILL_MS = 30_000;

export class GuessThrottle {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly now: () => number) {}

  private keys(partyId: string, peerId: string, address: string): string[] {
    return [`p\u0000${partyId}\u0000${peerId}`, `a\u0000${partyId}\u0000${address}`];
  }

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
    for (const key of this.keys(partyId, peerId, address)) {
      wait = Math.max(wait, this.bucket(key).secondsUntil(now, 1));
    }
    return Math.ceil(wait);
  }

  /** A wrong guess: spends one from both. */
  wrong(partyId: string, peerId: string, address: string): void {
    const now = this.now();
    for (const key of this.keys(partyId, peerId, address)) this.bucket(key).take(now);
  }

  /** Forgets buckets that are full again (called from the sweep). */
  prune(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.isFull(now)) this.buckets.delete(key);
    }
  }
}
