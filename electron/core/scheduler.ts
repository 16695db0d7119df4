/**
 * Time as the control plane sees it. Everything that waits goes through a Clock so tests
 * can drive hours of heartbeats and cleanups in milliseconds with a ManualClock
 * (test-util/manual-clock.ts).
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

/** Real-time sleep through a clock, for code that waits between retries. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
