/**
 * What one connection may spend, each a token bucket: messages (the rate limit), joins and
 * leaves (churn) and party snapshot bytes. The address's share is kept by Quotas.
 */
import { ControlPlaneError } from '../../shared/errors';
import { ErrorCode } from '../../shared/protocol';
import { perMinuteBucket, snapshotBucket, type QuotaOptions } from '../admission/quotas';
import { RateDecision, TokenBucket, type RateLimitOptions } from '../admission/rate-limit';

/*
 * Refusals a flood meets thousands of times a second are made once: building an Error (its
 * stack trace) per refused frame was 5 % of the server's CPU under the never-reading attack.
 * Only their message and code are sent.
 */
const SNAPSHOTS_REFUSED = new ControlPlaneError('Too many party snapshots asked for; slow down', {
  code: ErrorCode.RATE_LIMITED,
});
export const RATE_REFUSED = new ControlPlaneError('Too many messages; slow down', {
  code: ErrorCode.RATE_LIMITED,
});

type BudgetQuotas = Pick<QuotaOptions, 'churnPerMinute' | 'snapshotBytesPerSecond'>;

export class ConnectionBudgets {
  private readonly messages: TokenBucket | null;
  private readonly churn: TokenBucket | null;
  private readonly snapshots: TokenBucket | null;

  constructor(rateLimit: RateLimitOptions | null, quotas: BudgetQuotas, now: number) {
    this.messages = rateLimit ? new TokenBucket(rateLimit, now) : null;
    this.churn = perMinuteBucket(quotas.churnPerMinute, now);
    this.snapshots = snapshotBucket(quotas.snapshotBytesPerSecond, now);
  }

  /** Whether there is a rate limit at all (no clock read per frame without one). */
  get limited(): boolean {
    return this.messages !== null;
  }

  /** The rate limit's word on one more frame. */
  message(now: number): RateDecision {
    return this.messages ? this.messages.take(now) : RateDecision.ALLOW;
  }

  /** A join or a leave; refused (`quota_exceeded`) once the connection churns too fast. */
  spendChurn(now: number): void {
    if (!this.churn || this.churn.take(now) === RateDecision.ALLOW) return;
    throw new ControlPlaneError('Too many joins and leaves on this connection; slow down', {
      code: ErrorCode.QUOTA_EXCEEDED,
    });
  }

  /**
   * A party snapshot of `bytes` sent to this connection; refused (`rate_limited`) over the budget.
   */
  spendSnapshot(now: number, bytes: number): void {
    const bucket = this.snapshots;
    if (bucket && bucket.take(now, bytes) !== RateDecision.ALLOW) throw SNAPSHOTS_REFUSED;
  }
}
