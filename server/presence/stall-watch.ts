/**
 * Time this server did not run: its machine asleep (a laptop hosting a LAN party, its lid
 * closed) or its process stopped. Nobody could reach it then, so that silence is nobody's:
 * without this, the first sweep after waking removed every member, the host too, and told
 * each "you were removed after being offline". Seen from the timers: on waking, a check
 * comes later on the wall clock than its period allows (Linux timers count no time asleep).
 * A wall clock set back (an NTP step) shows as a check earlier than the last one: every
 * last beat then lies in the future, and a member whose app died stayed online that long.
 */

/** A shorter jump is not worth correcting: it moves no removal anyone would notice. */
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

  /**
   * How far the wall clock moved before `now` without the server running: the time it stood
   * still, or minus how far the clock was set back (0 when it ran as it should).
   */
  check(now: number): number {
    const elapsed = now - this.lastAt;
    this.lastAt = now;
    if (elapsed <= -MIN_STALL_MS) return elapsed;
    const stalled = elapsed - this.periodMs;
    return stalled >= Math.max(this.periodMs, MIN_STALL_MS) ? stalled : 0;
  }
}
