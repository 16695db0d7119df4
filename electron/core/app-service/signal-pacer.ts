/**
 * Spaces the app's signals out. The server lets a connection send 20 messages a second
 * (burst 40, `--rate-limit`) for everything, heartbeats and party changes included, and
 * closes one that keeps sending while refused; joining voice in a party of 30 says `join`
 * to 29 members at once. At one signal per gap, voice never spends more than half of that
 * budget, and what cannot wait in a bounded queue is refused here, not by the server.
 */
import { sleep, type Clock } from '../../../shared/time/clock';
import { ControlPlaneError } from '../../../shared/protocol/errors';

/** 10 signals a second: a two-member call's set-up (3–4 signals) is ready within 0.4 s. */
export const SIGNAL_GAP_MS = 100;
/** About a 64-member party's worth of joins and answers. */
export const MAX_WAITING_SIGNALS = 128;

export class SignalPacer {
  private nextAt = 0;
  private waiting = 0;

  constructor(
    private readonly clock: Clock,
    private readonly gapMs = SIGNAL_GAP_MS,
    private readonly maxWaiting = MAX_WAITING_SIGNALS,
  ) {}

  /** Resolves when the next signal may go. @throws rate_limited when too many wait */
  async turn(): Promise<void> {
    if (this.waiting >= this.maxWaiting) {
      throw new ControlPlaneError('Too many voice messages are waiting to be sent; try again.', {
        code: 'rate_limited',
      });
    }
    const now = this.clock.now();
    // Never further ahead than the signals already waiting need: a clock set back must not
    // hold the next signal for as long as it moved.
    const at = Math.max(now, Math.min(this.nextAt, now + this.gapMs * (this.waiting + 1)));
    this.nextAt = at + this.gapMs;
    if (at <= now) return;
    this.waiting += 1;
    try {
      await sleep(this.clock, at - now);
    } finally {
      this.waiting -= 1;
    }
  }
}
