/**
 * Whether the app still answers the page. The page's link to it (Electron's IPC, or headless
 * mode's WebSocket) stays open when the app's process hangs or is stopped, and the app pushes
 * only changes: without asking, the page kept saying the last thing it heard ("Connected") for as
 * long as the app was frozen.
 */

/** How often the page asks, counted from the last answer. */
export const APP_PING_INTERVAL_MS = 5_000;
/**
 * How long an unanswered ask waits before the page says the app is not responding: Windows
 * says a window is "Not Responding" after 5 s without handling its messages.
 */
export const APP_ANSWER_TIMEOUT_MS = 5_000;

/**
 * A wait for an answer that ends this much later than it was set to ended after the PC slept
 * (the page's timers stop with it, and the clock runs on): the app, asleep too, is given its
 * time again rather than called not responding the moment the PC wakes.
 */
export const SUSPEND_SLACK_MS = 2_000;

interface WatchTimers {
  setTimeout: (run: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimeout: (handle: ReturnType<typeof setTimeout>) => void;
  /** Wall-clock ms: it goes on while the PC sleeps. */
  now: () => number;
}

export interface AppWatchOptions {
  /** Resolves when the app answered; rejects when the call failed without an answer. */
  ping: () => Promise<unknown>;
  /** Told each time the app stops or starts answering (it starts out answering). */
  onChange: (answering: boolean) => void;
  intervalMs?: number;
  timeoutMs?: number;
  timers?: WatchTimers;
}

/** Bound wrappers: browsers throw "Illegal invocation" on window.setTimeout with another `this`. */
const GLOBAL_TIMERS: WatchTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle),
  now: () => Date.now(),
};

/** Runs `run` after `ms` awake: set again when it ends after the PC slept. Returns cancel. */
function awakeTimeout(timers: WatchTimers, ms: number, run: () => void): () => void {
  let handle: ReturnType<typeof setTimeout>;
  const arm = (): void => {
    const due = timers.now() + ms;
    handle = timers.setTimeout(() => (timers.now() - due > SUSPEND_SLACK_MS ? arm() : run()), ms);
  };
  arm();
  return () => timers.clearTimeout(handle);
}

/**
 * Asks one question at a time: a frozen app does not pile up asks to answer when it wakes.
 * A call that fails (the bridge dropped: the bridge says so itself) changes nothing and is
 * asked again later. Returns the function that stops watching.
 */
export function watchApp(options: AppWatchOptions): () => void {
  const timers = options.timers ?? GLOBAL_TIMERS;
  const intervalMs = options.intervalMs ?? APP_PING_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? APP_ANSWER_TIMEOUT_MS;
  let answering = true;
  let stopped = false;
  let next: ReturnType<typeof setTimeout> | null = null;
  let overdue: (() => void) | null = null;

  const tell = (now: boolean) => {
    if (stopped || now === answering) return;
    answering = now;
    options.onChange(now);
  };
  const settle = (answered: boolean) => {
    overdue?.();
    overdue = null;
    if (answered) tell(true);
    if (!stopped) next = timers.setTimeout(ask, intervalMs);
  };
  function ask(): void {
    next = null;
    overdue = awakeTimeout(timers, timeoutMs, () => tell(false));
    let asked: Promise<unknown>;
    try {
      asked = options.ping();
    } catch {
      asked = Promise.reject(new Error('ping threw'));
    }
    asked.then(
      () => settle(true),
      () => settle(false),
    );
  }

  next = timers.setTimeout(ask, intervalMs);
  return () => {
    stopped = true;
    if (next !== null) timers.clearTimeout(next);
    overdue?.();
  };
}
