/**
 * Time this server did not run: its machine asleep (a laptop hosting a LAN party, its lid
 * closed) or its process stopped. Nobody could reach it then, so that silence is nobody's:
 * without this, the first sweep after waking removed every member, the host too, and told
 * each "you were removed after being offline". Seen from the timers: on waking, a check
 * comes later on the wall clock than its period allows (Linux timers count no time asleep).
 */

/** A shorter stall is not worth excusing: it moves no removal anyone would notice. */
export const MIN_STALL_MS = 5000;

export class StallWatch {
  /**
   * `periodMs`: the longest the checks are apart while the server runs; `lastAt`: when the
   * checks start (a sleep before the first one counts too).
   */
  constructor(
    private readonly periodMs: number,
    private lastAt: number,
  ) {}

  /** How long the server stood still before `now` (0 when it ran as it should). */
  check(now: number): number {
    const stalled = now - this.lastAt - this.periodMs;
    this.lastAt = now;
    return stalled >= Math.max(this.periodMs, MIN_STALL_MS) ? stalled : 0;
  }
}
