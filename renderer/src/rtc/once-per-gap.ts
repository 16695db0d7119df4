/**
 * Answers a member at most once per gap without dropping the last ask: a member asking in a
 * loop would fill my paced signal queue with answers, yet an ask that comes soon after another
 * (its app linked again) must still get one. The first runs at once; those within the gap
 * become one run at its end, with what the last of them asked for.
 */
import type { Later } from './link-retry';
import { MIN_RESTART_GAP_MS } from './restart-guard';

export class OncePerGap {
  /** Peer id → when its last run went (ms, on `now`'s clock). */
  private readonly last = new Map<string, number>();
  /** Peer id → the run waiting for the end of its gap. */
  private readonly waiting = new Map<string, () => void>();

  constructor(
    private readonly now: () => number,
    private readonly later: Later,
    private readonly gapMs = MIN_RESTART_GAP_MS,
  ) {}

  run(peerId: string, fn: () => void): void {
    const now = this.now();
    const last = this.last.get(peerId);
    // A clock set back (now < last) never holds a run for as long as it moved.
    if (last === undefined || now - last >= this.gapMs || now < last) {
      this.last.set(peerId, now);
      return fn();
    }
    const already = this.waiting.has(peerId);
    this.waiting.set(peerId, fn);
    if (!already) this.later(last + this.gapMs - now, () => this.runWaiting(peerId));
  }

  private runWaiting(peerId: string): void {
    const fn = this.waiting.get(peerId);
    this.waiting.delete(peerId);
    this.last.set(peerId, this.now());
    fn?.();
  }
}
