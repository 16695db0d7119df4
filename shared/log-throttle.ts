/**
 * At most one log line per interval for something that may recur as fast as a client or a
 * failing store makes it, each line saying how many were held back since the last.
 */
export class LineThrottle {
  private held = 0;
  private lastAt = -Infinity;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** How many were held back since the last line when this one may be logged; null: hold it. */
  take(): number | null {
    const at = this.now();
    if (at - this.lastAt < this.intervalMs) {
      this.held += 1;
      return null;
    }
    const held = this.held;
    this.held = 0;
    this.lastAt = at;
    return held;
  }

  /** The next one is logged at once (the trouble ended). */
  reset(): void {
    this.held = 0;
    this.lastAt = -Infinity;
  }
}
