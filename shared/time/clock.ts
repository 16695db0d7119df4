/**
 * Time as the control plane sees it, the app's and the server's alike. Everything that waits
 * goes through a Clock so tests can drive hours of heartbeats and cleanups in milliseconds
 * with a ManualClock (electron/core/test-util/manual-clock.ts).
 */

/**
 * An opaque timer handle; only the clock that made it can clear it. Node's timers are
 * objects and a browser's are numbers: shared/ compiles for both.
 */
export type TimerHandle = object | number;

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

type Native = ReturnType<typeof globalThis.setTimeout>;

/** Under Node a timer keeps the process alive unless unref'd; a browser's has no unref. */
function unrefd(timer: Native): TimerHandle {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

/** Real time. Timers are unref'd: a forgotten timer never keeps a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => unrefd(globalThis.setTimeout(callback, ms)),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Native),
  setInterval: (callback, ms) => unrefd(globalThis.setInterval(callback, ms)),
  clearInterval: (handle) => globalThis.clearInterval(handle as Native),
};

/** Real-time sleep through a clock, for code that waits between retries. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
