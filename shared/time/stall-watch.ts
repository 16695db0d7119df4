/**
 * Time a process did not run: its machine asleep (a laptop hosting a LAN party, its lid
 * closed) or the process stopped. Seen from its timers: on waking, a check comes later on
 * the wall clock than its period allows (Linux timers count no time asleep). The server
 * excuses that silence (without it, the first sweep after waking removed every member, the
 * host too); the app checks its link at once instead of a heartbeat interval later. A wall
 * clock set back (an NTP step) shows as a check earlier than the last one: on the server
 * every last beat then lay in the future, and a member whose app died stayed online as long.
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
