/**
 * Who may use the operator's API: a bearer token equal to the secret, compared in constant
 * time (http/bearer.ts). Wrong tokens are throttled per address (IPv6 by /64): a few are
 * free, then one every FAILURE_REFILL_MS. The secret itself is never refused: it has 32
 * characters or more (token-file.ts), which is what makes it unguessable; the count bounds
 * what wrong tries cost. Checked after the count, anyone sharing the operator's address (a
 * NAT, a proxy, a TCP balancer, or the shared count of a full table) kept the operator out
 * with one wrong token every 10 s.
 */
import { addressKey } from '../admission/admission';
import { TokenBucket } from '../admission/rate-limit';
import { bearerCheck } from '../http/bearer';

export const FREE_FAILURES = 5;
export const FAILURE_REFILL_MS = 10_000;
/** Addresses remembered at once; beyond it the ones whose count refilled are forgotten. */
export const MAX_TRACKED = 10_000;
/**
 * Where the wrong tokens of addresses not remembered go once the table is full of counts
 * still running: one count for them all. Forgetting the oldest gave an attacker with more
 * than MAX_TRACKED addresses (a few /64s of IPv6) five fresh tries per address, round after
 * round; now they share five.
 */
const OVERFLOW = '*';

/** The secret admits; else the address's count key, and how long it must wait (0: 401). */
export type AdminVerdict =
  { admitted: true } | { admitted: false; key: string; waitSeconds: number };

export class AdminGate {
  private readonly matches: (authorization: string | undefined) => boolean;
  private readonly failures = new Map<string, TokenBucket>();
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(
    token: string,
    private readonly now: () => number,
  ) {
    this.matches = bearerCheck(token);
  }

  /** Seconds this address must wait before its next wrong try counts (0: it may try now). */
  waitSeconds(address: string | undefined): number {
    return this.waitOf(this.keyOf(address));
  }

  private waitOf(key: string): number {
    const bucket = this.failures.get(key);
    return bucket ? Math.ceil(bucket.secondsUntil(this.now())) : 0;
  }

  /**
   * The secret admits whatever the address's count. A wrong token is counted while the
   * address has tries left; once they are spent it is only told how long to wait.
   */
  check(authorization: string | undefined, address: string | undefined): AdminVerdict {
    if (this.matches(authorization)) return { admitted: true };
    const key = this.keyOf(address);
    const waitSeconds = this.waitOf(key);
    if (waitSeconds === 0) this.fail(key);
    return { admitted: false, key, waitSeconds };
  }

  /** The address's own count, or the shared one while the table is full of running counts. */
  private keyOf(address: string | undefined): string {
    const key = addressKey(address);
    if (this.failures.has(key) || this.failures.size < MAX_TRACKED) return key;
    this.prune(this.now());
    return this.failures.size < MAX_TRACKED ? key : OVERFLOW;
  }

  private fail(key: string): void {
    const now = this.now();
    let bucket = this.failures.get(key);
    if (!bucket) {
      bucket = new TokenBucket(
        { burst: FREE_FAILURES, perSecond: 1000 / FAILURE_REFILL_MS, maxStrikes: Infinity },
        now,
      );
      this.failures.set(key, bucket);
    }
    bucket.take(now);
  }

  /**
   * Forgets the counts that refilled (a full count is what an unknown address gets), at most
   * once a second: a full table is walked whole, and strangers must not make each try do it.
   */
  private prune(now: number): void {
    if (now - this.prunedAt < 1000) return;
    this.prunedAt = now;
    for (const [key, bucket] of this.failures) if (bucket.isFull(now)) this.failures.delete(key);
  }
}
