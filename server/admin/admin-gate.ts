/**
 * Who may use the operator's API: a bearer token equal to the secret, compared in constant
 * time (http/bearer.ts). Wrong tokens are throttled per address (IPv6 by /64): a few are
 * free, then one every FAILURE_REFILL_MS, so the secret cannot be guessed at network speed.
 */
import { addressKey } from '../admission/admission';
import { TokenBucket } from '../admission/rate-limit';
import { bearerCheck } from '../http/bearer';

export const FREE_FAILURES = 5;
export const FAILURE_REFILL_MS = 10_000;
/** Addresses remembered at once; beyond it the ones whose count refilled are forgotten. */
const MAX_TRACKED = 10_000;

export class AdminGate {
  private readonly matches: (authorization: string | undefined) => boolean;
  private readonly failures = new Map<string, TokenBucket>();

  constructor(
    token: string,
    private readonly now: () => number,
  ) {
    this.matches = bearerCheck(token);
  }

  /** Seconds this address must wait before its next try (0: it may try now). */
  waitSeconds(address: string | undefined): number {
    const bucket = this.failures.get(addressKey(address));
    return bucket ? Math.ceil(bucket.secondsUntil(this.now())) : 0;
  }

  /** Whether `Authorization` holds the secret; a failure counts against the address. */
  admits(authorization: string | undefined, address: string | undefined): boolean {
    const ok = this.matches(authorization);
    if (!ok) this.fail(addressKey(address));
    return ok;
  }

  private fail(key: string): void {
    const now = this.now();
    let bucket = this.failures.get(key);
    if (!bucket) {
      this.prune(now);
      bucket = new TokenBucket(
        { burst: FREE_FAILURES, perSecond: 1000 / FAILURE_REFILL_MS, maxStrikes: Infinity },
        now,
      );
      this.failures.set(key, bucket);
    }
    bucket.take(now);
  }

  /** Keeps the table bounded: refilled counts go first, then the oldest. */
  private prune(now: number): void {
    if (this.failures.size < MAX_TRACKED) return;
    for (const [key, bucket] of this.failures) if (bucket.isFull(now)) this.failures.delete(key);
    for (const key of this.failures.keys()) {
      if (this.failures.size < MAX_TRACKED) break;
      this.failures.delete(key);
    }
  }
}
