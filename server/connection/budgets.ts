/**
 * What one connection may spend, each a token bucket: messages (the rate limit), joins and
 * leaves (churn) and party snapshot bytes. The address's share is kept by Quotas.
 */
import { ControlPlaneError } from '../../shared/protocol/errors';
import { ErrorCode } from '../../shared/protocol/protocol';
import { perMinuteBucket, snapshotBucket, type QuotaOptions } from '../admission/quotas';
import {
  DEFAULT_RATE_LIMIT,
  RateDecision,
  TokenBucket,
  type RateLimitOptions,
} from '../admission/rate-limit';

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

export const ADDRESS_RATE_REFUSED = new ControlPlaneError(
  'Too many messages from your address; slow down',
  { code: ErrorCode.RATE_LIMITED },
);

type BudgetQuotas = Pick<QuotaOptions, 'churnPerMinute' | 'snapshotBytesPerSecond'>;
/** The address's share of the message budget (Quotas). */
interface AddressBudget {
  readonly options: Pick<QuotaOptions, 'addressMessagesPerSecond'>;
  spendMessages(address: string, cost: number): boolean;
}

/** A frame's word from the budgets: the rate limit's, or `address` when its address's is spent. */
export type FrameDecision = RateDecision | 'address';
/** What a frame costs of its address's budget: one, and one more per KiB. */
const frameCost = (bytes: number): number => 1 + (bytes >> 10);

export class ConnectionBudgets {
  private readonly messages: TokenBucket | null;
  private readonly churn: TokenBucket | null;
  private readonly snapshots: TokenBucket | null;
  /** Frames refused in a row for the address's budget; past the rate limit's strikes, a cut. */
  private addressStrikes = 0;
  private readonly maxAddressStrikes: number;

  constructor(
    rateLimit: RateLimitOptions | null,
    quotas: BudgetQuotas,
    private readonly address: { budget: AddressBudget; key: string },
    now: number,
  ) {
    this.messages = rateLimit ? new TokenBucket(rateLimit, now) : null;
    this.maxAddressStrikes = rateLimit?.maxStrikes ?? DEFAULT_RATE_LIMIT.maxStrikes;
    this.churn = perMinuteBucket(quotas.churnPerMinute, now);
    this.snapshots = snapshotBucket(quotas.snapshotBytesPerSecond, now);
  }

  /** Whether any message budget applies (no clock read per frame without one). */
  get limited(): boolean {
    return this.messages !== null || this.address.budget.options.addressMessagesPerSecond > 0;
  }

  /**
   * The word on one more frame of `bytes`, before it is read: the connection's, its address's.
   * A connection that keeps sending while its address is refused is flooding too: 200 of them
   * sending 64 KiB frames held a server's loop for seconds just receiving what it then refused.
   */
  frame(now: number, bytes: number): FrameDecision {
    const own = this.messages ? this.messages.take(now) : RateDecision.ALLOW;
    if (own !== RateDecision.ALLOW) return own;
    const { budget, key } = this.address;
    if (budget.spendMessages(key, frameCost(bytes))) {
      this.addressStrikes = 0;
      return RateDecision.ALLOW;
    }
    return ++this.addressStrikes > this.maxAddressStrikes ? RateDecision.DISCONNECT : 'address';
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
