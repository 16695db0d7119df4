/** Waits (a failed link's retries, a relay's refresh) that end only when a test fires them. */
import type { Later } from '../rtc/link-retry';

export interface FakeTimer {
  /** The member whose mesh is waiting. */
  owner: string;
  ms: number;
  run: () => void;
}

/** Time that passes only when the test says: each wait is listed until it is fired or cancelled. */
export class FakeTimers {
  readonly pending: FakeTimer[] = [];
  /** How many waits ran, all members together. */
  fired = 0;
  /** The fake clock: moves by a wait's length when the wait runs, or by `advance`. */
  now = 0;

  advance(ms: number): void {
    this.now += ms;
  }

  /** A member's `later`. */
  laterFor(owner: string): Later {
    return (ms, run) => {
      const timer = { owner, ms, run };
      this.pending.push(timer);
      return () => {
        const at = this.pending.indexOf(timer);
        if (at >= 0) this.pending.splice(at, 1);
      };
    };
  }

  /** The waits pending, as "owner ms", oldest first. */
  waits(): string[] {
    return this.pending.map((t) => `${t.owner} ${t.ms}`);
  }

  /** Runs the oldest pending wait, as if its time had come. */
  fireNext(): void {
    const timer = this.pending.shift();
    if (!timer) throw new Error('no wait is pending');
    this.fired += 1;
    this.now += timer.ms;
    timer.run();
  }
}
