/**
 * A token bucket per connection. A message over the limit is refused; a client that keeps
 * sending while refused (more than `maxStrikes` refusals before the bucket refills) is
 * flooding and gets disconnected.
 */
export interface RateLimitOptions {
  /** Messages allowed in a burst. */
  burst: number;
  /** Sustained messages per second. */
  perSecond: number;
  /** Refused messages tolerated before the connection is closed. */
  maxStrikes: number;
}

/**
 * The app sends a heartbeat every 30 s and a handful of requests when it joins or
 * reconnects; 20 a second (40 at once) leaves it ample room while a flood from 200
 * connections is held to ~4 000 messages a second instead of ~10 000.
 */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 40, perSecond: 20, maxStrikes: 100 };

export const RateDecision = {
  ALLOW: 'allow',
  REFUSE: 'refuse',
  DISCONNECT: 'disconnect',
} as const;
export type RateDecision = (typeof RateDecision)[keyof typeof RateDecision];

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private strikes = 0;

  constructor(
    private readonly options: RateLimitOptions,
    now: number,
  ) {
    this.tokens = options.burst;
    this.updatedAt = now;
  }

  /** Takes `cost` tokens (a cost above the burst is allowed once the bucket is full). */
  take(now: number, cost = 1): RateDecision {
    this.refill(now);
    // A client that went quiet long enough to refill completely is forgiven.
    if (this.tokens >= this.options.burst) this.strikes = 0;
    if (this.tokens >= Math.min(cost, this.options.burst)) {
      this.tokens -= cost;
      return RateDecision.ALLOW;
    }
    this.strikes += 1;
    return this.strikes > this.options.maxStrikes ? RateDecision.DISCONNECT : RateDecision.REFUSE;
  }

  /** Puts back `cost` tokens taken earlier (never above the burst). */
  giveBack(now: number, cost = 1): void {
    this.refill(now);
    this.tokens = Math.min(this.options.burst, this.tokens + cost);
  }

  /** Whether the bucket has refilled completely (it may then be forgotten). */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.options.burst;
  }

  /** Seconds until `cost` tokens are there (0: now). */
  secondsUntil(now: number, cost = 1): number {
    this.refill(now);
    const missing = Math.min(cost, this.options.burst) - this.tokens;
    return missing <= 0 ? 0 : missing / this.options.perSecond;
  }

  private refill(now: number): void {
    const elapsedS = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.options.burst, this.tokens + elapsedS * this.options.perSecond);
    this.updatedAt = now;
  }
}
