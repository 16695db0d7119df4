/**
 * Who may use the operator's API: a bearer token equal to the secret, compared in constant
 * time (digests of equal length, so not even the length leaks). Wrong tokens are throttled
 * per address (IPv6 by /64): a few are free, then one every FAILURE_REFILL_MS, so the
 * secret cannot be guessed at network speed.
 */
import crypto from 'node:crypto';
import { addressKey } from '../admission/admission';
import { TokenBucket } from '../admission/rate-limit';

export const FREE_FAILURES = 5;
export const FAILURE_REFILL_MS = 10_000;
/** Addresses remembered at once; beyond it the ones whose count refilled are forgotten. */
const MAX_TRACKED = 10_000;

const digest = (text: string): Buffer => crypto.createHash('sha256').update(text).digest();

export class AdminGate {
  private readonly secret: Buffer;
  private readonly failures = new Map<string, TokenBucket>();

  constructor(
    token: string,
    private readonly now: () => number,
  ) {
    this.secret = digest(token);
  }

  /** Seconds this address must wait before its next try (0: it may try now). */
  waitSeconds(address: string | undefined): number {
    const bucket = this.failures.get(addressKey(address));
    return bucket ? Math.ceil(bucket.secondsUntil(this.now())) : 0;
  }

  /** Whether `Authorization` holds the secret; a failure counts against the address. */
  admits(authorization: string | undefined, address: string | undefined): boolean {
    const match = /^Bearer (.+)$/i.exec(authorization ?? '');
    const given = digest(match?.[1] ?? '');
    // Compared even when there is no token, so both failures take the same time.
    const ok = crypto.timingSafeEqual(given, this.secret) && match !== null;
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
