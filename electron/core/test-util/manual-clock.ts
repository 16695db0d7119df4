/** The clock tests drive by hand (see Clock in shared/time/clock.ts). */
import type { Clock, TimerHandle } from '../../../shared/time/clock';

interface ManualTimer {
  readonly id: number;
  due: number;
  readonly every: number | null;
  readonly callback: () => void;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires every timer falling due in
 * order (intervals repeatedly), letting pending promise callbacks run between firings so
 * async work started by one timer settles before the next fires.
 */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<TimerHandle, ManualTimer>();

  constructor(start: number = Date.UTC(2026, 0, 29, 12, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.add(callback, ms, null);
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle);
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    return this.add(callback, ms, Math.max(1, ms));
  }

  clearInterval(handle: TimerHandle): void {
    this.timers.delete(handle);
  }

  /** Timers still scheduled (for tests asserting that close() stopped everything). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * The machine sleeps for `ms`: the wall clock moves on and no timer fires; each waits that
   * much longer, as Linux's timers do, which count no time asleep.
   */
  suspend(ms: number): void {
    this.current += ms;
    for (const timer of this.timers.values()) timer.due += ms;
  }

  /**
   * The wall clock is set (an NTP step; back when negative). Timers count monotonic time, so
   * each still fires as long after its start as it would have: on the wall clock, moved too.
   */
  step(ms: number): void {
    this.suspend(ms);
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      const [handle, timer] = next;
      this.current = Math.max(this.current, timer.due);
      if (timer.every === null) this.timers.delete(handle);
      else timer.due += timer.every;
      timer.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }

  private add(callback: () => void, ms: number, every: number | null): TimerHandle {
    const handle = { manualTimer: this.nextId };
    this.timers.set(handle, {
      id: this.nextId++,
      due: this.current + Math.max(0, ms),
      every,
      callback,
    });
    return handle;
  }

  private nextDue(limit: number): [TimerHandle, ManualTimer] | null {
    let best: [TimerHandle, ManualTimer] | null = null;
    for (const entry of this.timers) {
      const t = entry[1];
      if (t.due > limit) continue;
      if (!best || t.due < best[1].due || (t.due === best[1].due && t.id < best[1].id)) {
        best = entry;
      }
    }
    return best;
  }
}

/** Lets queued promise callbacks (and one round of I/O) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
