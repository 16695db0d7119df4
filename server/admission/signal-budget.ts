/**
 * What `signal` may carry (a call's offer and its candidates: small and few). Unbounded, one
 * member at the rate limit sent another 1.3 MB/s, until the target was cut for not reading and
 * its address (everyone's, behind a LAN party's NAT) refused for a while.
 *
 * The budget is kept per sender and recipient: kept per recipient alone (shared by all who
 * send to it), one member used up another's with four large signals and a trickle after them,
 * and every honest member's offers to that member were refused for as long as it went on (a
 * review measured a call 32 s late). Each sender also has a total, a multiple of one pair's,
 * so that one member cannot send everyone their full share at once.
 */
import { ControlPlaneError } from '../../shared/protocol/errors';
import { ErrorCode } from '../../shared/protocol/protocol';
import { RateDecision, TokenBucket } from './rate-limit';

/** A sender's total across all its recipients, in pairs' budgets. */
export const SENDER_SHARE = 8;

/**
 * Pairs held at once. Each needs a signal between two members of one party, so a flood of new
 * pairs is bounded by the message rate limits; past this the pair used longest ago is
 * forgotten (its budget, refilled after 4 s idle, is then usually full anyway).
 */
export const MAX_SIGNAL_PAIRS = 200_000;

const refused = (message: string) =>
  new ControlPlaneError(message, { code: ErrorCode.RATE_LIMITED });

export class SignalBudget {
  /** `from\nto` → that pair's budget; in order of last use (oldest first). */
  private readonly pairs = new Map<string, TokenBucket>();
  /** Sender peer id → its total. */
  private readonly senders = new Map<string, TokenBucket>();

  /** `perSecond`: one pair's bytes per second (burst four times that); 0 turns it off. */
  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
    private readonly maxPairs = MAX_SIGNAL_PAIRS,
  ) {}

  /**
   * Spends `bytes` of what `from` may send `to`, and of `from`'s total.
   * @throws ControlPlaneError `rate_limited`, to the sender; nothing is spent then
   */
  spend(from: string, to: string, bytes: number): void {
    if (this.perSecond <= 0) return;
    const now = this.now();
    const pair = this.pair(`${from}\n${to}`, now);
    if (pair.take(now, bytes) !== RateDecision.ALLOW) {
      throw refused(`You are sending ${to} too many signals; slow down`);
    }
    const total = this.sender(from, now);
    if (total.take(now, bytes) !== RateDecision.ALLOW) {
      pair.giveBack(now, bytes);
      throw refused('You are sending too many signals; slow down');
    }
  }

  /** How many pairs are held (tests of the bound). */
  get pairCount(): number {
    return this.pairs.size;
  }

  /** Forgets the budgets that refilled (run with the stale sweep). */
  prune(): void {
    const now = this.now();
    for (const buckets of [this.pairs, this.senders]) {
      for (const [key, bucket] of buckets) if (bucket.isFull(now)) buckets.delete(key);
    }
  }

  /** The pair's bucket, moved to the newest end; the oldest forgotten past the bound. */
  private pair(key: string, now: number): TokenBucket {
    const held = this.pairs.get(key);
    if (held) {
      this.pairs.delete(key);
      this.pairs.set(key, held);
      return held;
    }
    if (this.pairs.size >= this.maxPairs) {
      const oldest = this.pairs.keys().next();
      if (!oldest.done) this.pairs.delete(oldest.value);
    }
    const fresh = this.bucket(1, now);
    this.pairs.set(key, fresh);
    return fresh;
  }

  private sender(from: string, now: number): TokenBucket {
    let bucket = this.senders.get(from);
    if (!bucket) this.senders.set(from, (bucket = this.bucket(SENDER_SHARE, now)));
    return bucket;
  }

  private bucket(share: number, now: number): TokenBucket {
    const perSecond = share * this.perSecond;
    return new TokenBucket({ burst: 4 * perSecond, perSecond, maxStrikes: Infinity }, now);
  }
}
