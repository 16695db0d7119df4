/**
 * Where the next commit runs: on the event loop, or on the writer thread.
 *
 * The writer thread keeps an fsync from stalling every connection, but each commit then pays
 * two thread hand-offs (post the rows, wake the loop with the answer): on this project's
 * 2-core test machine ~0.2–0.3 ms of a join's ~1.3 ms at p50 on an idle server, beside a
 * ~0.25 ms fsync (README, Performance).
 * When the loop is mostly idle nothing is waiting behind a short fsync, so the commit runs
 * right there. When the loop is busy (an fsync there would hold up queued work that the
 * thread lets run meanwhile), when the thread still has a commit (order), or after commits
 * on the loop turned slow or found the database locked (a slow disk must not keep stalling
 * the loop), commits go to the thread. So does a batch the group committer starts while the
 * previous commit's answers are still to be sent (group-commit.ts): its fsync would hold
 * them up.
 */
import { performance } from 'node:perf_hooks';

/** Above this share of busy time (over the last LOAD_WINDOW_MS), commits go to the thread. */
export const INLINE_MAX_UTILIZATION = 0.5;
/**
 * Commits on the loop averaging more than this send commits to the thread for a while. A
 * moving average: one slow fsync of a few ms among quick ones is a blip the loop can take;
 * a single one of ~10 ms or more, or a run of slow ones, is a disk to stay away from.
 */
export const SLOW_INLINE_MS = 2;
/** Weight of the newest commit in the moving average. */
export const AVERAGE_WEIGHT = 0.2;
/**
 * How long commits stay on the thread after a slow or locked commit on the loop: 1 s, then
 * twice as long each time it happens again, up to a minute; QUICK_RUN quick commits on the
 * loop in a row start over at 1 s. A server's first commits (the WAL file made, the cache
 * cold) are often slow once; a slow disk stays slow.
 */
export const THREAD_HOLD_MS = 1000;
export const THREAD_HOLD_MAX_MS = 60_000;
export const QUICK_RUN = 200;
/** The event loop's utilization is measured over windows of this length. */
export const LOAD_WINDOW_MS = 100;

export interface RouteClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** The event loop's busy share (0..1) lately. */
  utilization(): number;
}

export class CommitRoute {
  private threadUntil = Number.NEGATIVE_INFINITY;
  private averageMs = 0;
  /** Holds in a row without QUICK_RUN quick commits between them. */
  private strikes = 0;
  private quickRun = 0;

  private readonly slowAverageMs: number;
  private readonly onLoop: boolean;

  constructor(
    private readonly clock: RouteClock = loopClock(),
    options: {
      /** The moving average above which commits go to the thread (default SLOW_INLINE_MS). */
      slowAverageMs?: number;
      /** false: never on the loop (`--commits-on-loop off`). */
      onLoop?: boolean;
    } = {},
  ) {
    this.slowAverageMs = options.slowAverageMs ?? SLOW_INLINE_MS;
    this.onLoop = options.onLoop ?? true;
  }

  /** Whether the next commit may run on the loop; `threadBusy`: the thread has commits. */
  inline(threadBusy: boolean): boolean {
    if (!this.onLoop || threadBusy || this.clock.now() < this.threadUntil) return false;
    return this.clock.utilization() <= INLINE_MAX_UTILIZATION;
  }

  /** A commit on the loop took `ms`. */
  tookInline(ms: number): void {
    this.averageMs += AVERAGE_WEIGHT * (ms - this.averageMs);
    if (this.averageMs > this.slowAverageMs) return this.holdOnThread();
    if (++this.quickRun >= QUICK_RUN) this.strikes = 0;
  }

  /** The database was locked, or commits on the loop were slow: the thread's for a while. */
  holdOnThread(): void {
    const hold = Math.min(THREAD_HOLD_MAX_MS, THREAD_HOLD_MS * 2 ** this.strikes);
    this.threadUntil = this.clock.now() + hold;
    this.strikes++;
    this.quickRun = 0;
    this.averageMs = 0;
  }
}

/** The real clock: performance.now() and Node's event loop utilization. */
export function loopClock(): RouteClock {
  let since = performance.eventLoopUtilization();
  let sinceAt = performance.now();
  let last = 0;
  return {
    now: () => performance.now(),
    utilization: () => {
      const at = performance.now();
      if (at - sinceAt >= LOAD_WINDOW_MS) {
        const current = performance.eventLoopUtilization();
        last = performance.eventLoopUtilization(current, since).utilization;
        since = current;
        sinceAt = at;
      }
      return last;
    },
  };
}
