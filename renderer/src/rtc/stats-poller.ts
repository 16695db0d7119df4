/**
 * Reads a WebRTC link's stats while it is connected: voice for the level it hears and its
 * route, screens for their route. One poller, so both links start, stop and skip the same way.
 */

/** Calls `fn` every `ms` until the returned function is called. */
export type Every = (ms: number, fn: () => void) => () => void;

const realEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  return () => clearInterval(timer);
};

export interface StatsWatch<Report> {
  everyMs: number;
  read(report: Report): void;
}

export class StatsPoller<Report> {
  private cancel: (() => void) | null = null;
  private inFlight = false;

  constructor(
    private readonly getStats: () => Promise<Report>,
    private readonly watch: StatsWatch<Report>,
    private readonly every: Every = realEvery,
  ) {}

  /** At once, then every `everyMs`; a second start while running changes nothing. */
  start(): void {
    if (this.cancel !== null) return;
    this.cancel = this.every(this.watch.everyMs, () => void this.poll());
    void this.poll();
  }

  /** No report is read after this, even one asked for before. */
  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  private async poll(): Promise<void> {
    // A slow getStats must not pile up polls behind it.
    if (this.inFlight || this.cancel === null) return;
    this.inFlight = true;
    try {
      const report = await this.getStats();
      if (this.cancel !== null) this.watch.read(report);
    } catch {
      // The connection is closing: the state change that follows says so.
    } finally {
      this.inFlight = false;
    }
  }
}
