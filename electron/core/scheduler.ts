/**
 * Time as the control plane sees it. Everything that waits goes through a Clock so tests
 * can drive hours of heartbeats and cleanups in milliseconds with a ManualClock.
 */

/** An opaque timer handle; only the clock that made it can clear it. */
export type TimerHandle = object;

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** Real time. Timers are unref'd: a forgotten timer never keeps a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const t = globalThis.setTimeout(callback, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    globalThis.clearTimeout(handle as NodeJS.Timeout);
  },
  setInterval(callback, ms) {
    const t = globalThis.setInterval(callback, ms);
    t.unref();
    return t;
  },
  clearInterval(handle) {
    globalThis.clearInterval(handle as NodeJS.Timeout);
  },
};

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

/** Real-time sleep through a clock, for code that waits between retries. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
