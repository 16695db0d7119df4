/**
 * What the desktop app does when its window's page dies or hangs. The party lives in the main
 * process, so it goes on either way; without this a crashed page (a GPU driver that crashed
 * under a game, memory run out) left a blank window until LANrage was restarted, and a hung
 * one nothing to do about it. A page that crashes is loaded again, unless it keeps crashing;
 * a page that hangs gets a question: wait for it, or reload it. Reloading loses nothing: the
 * page takes its state from the app again.
 */

/** Electron's RenderProcessGoneDetails.reason. */
export type GoneReason =
  | 'clean-exit'
  | 'abnormal-exit'
  | 'killed'
  | 'crashed'
  | 'oom'
  | 'launch-failed'
  | 'integrity-failure'
  | 'memory-eviction';

export interface MessageBox {
  message: string;
  detail: string;
}

/** The shell's side: Electron's web contents and dialogs. */
export interface WatchedWindow {
  reload(): void;
  /** A question with `buttons`; resolves with the index chosen (0 when `signal` closed it). */
  ask(box: MessageBox & { buttons: string[] }, signal: AbortSignal): Promise<number>;
  tell(box: MessageBox): void;
}

export interface CrashLimits {
  /** Reloads within `windowMs` after which the page is left closed until the user asks. */
  reloads: number;
  windowMs: number;
}

export const CRASH_LIMITS: CrashLimits = { reloads: 3, windowMs: 60_000 };

const GOES_ON =
  'Your party goes on: LANrage keeps running in the tray. Choose Show LANrage in the tray ' +
  'menu to open the window again.';

/** Reasons a reload would meet again: the page cannot start at all. */
const CANNOT_START: ReadonlySet<GoneReason> = new Set(['launch-failed', 'integrity-failure']);

export class RendererWatch {
  private readonly reloads: number[] = [];
  private question: AbortController | null = null;
  /** The page is gone and was not loaded again: showing the window loads it. */
  private closed = false;

  constructor(
    private readonly window: WatchedWindow,
    private readonly now: () => number,
    private readonly limits: CrashLimits = CRASH_LIMITS,
  ) {}

  /** The page's process is gone (`render-process-gone`). */
  gone(reason: GoneReason): void {
    this.closeQuestion();
    // The window closing or the app quitting: nothing went wrong.
    if (reason === 'clean-exit') return;
    if (CANNOT_START.has(reason)) return this.leaveClosed(this.cannotStart(reason));
    const now = this.now();
    const recent = this.reloads.filter((at) => now - at < this.limits.windowMs);
    if (recent.length >= this.limits.reloads) {
      return this.leaveClosed(this.keepsCrashing(reason, recent.length + 1));
    }
    this.reloads.splice(0, this.reloads.length, ...recent, now);
    this.window.reload();
  }

  /** The page stopped handling input (`unresponsive`): one question at a time. */
  unresponsive(): void {
    if (this.question) return;
    const question = new AbortController();
    this.question = question;
    const box = {
      message: "LANrage's window is not responding",
      detail:
        'Your party goes on; only the window is stuck. Wait for it, or reload it: what it ' +
        'shows comes back from LANrage.',
      buttons: ['Wait', 'Reload'],
    };
    this.window
      .ask(box, question.signal)
      .then((choice) => {
        if (this.question !== question) return;
        this.question = null;
        if (choice === 1) this.window.reload();
      })
      .catch(() => {
        if (this.question === question) this.question = null;
      });
  }

  /** The page answers again (`responsive`): the question is moot. */
  responsive(): void {
    this.closeQuestion();
  }

  /** The window is shown (tray, second launch): a page left closed is loaded again. */
  shown(): void {
    if (!this.closed) return;
    this.closed = false;
    this.reloads.length = 0;
    this.window.reload();
  }

  private closeQuestion(): void {
    const question = this.question;
    this.question = null;
    question?.abort();
  }

  private leaveClosed(box: MessageBox): void {
    this.closed = true;
    this.window.tell(box);
  }

  private cannotStart(reason: GoneReason): MessageBox {
    return {
      message: "LANrage's window could not start",
      detail: `Its page could not be started (${reason}); reinstalling LANrage should mend it. ${GOES_ON}`,
    };
  }

  private keepsCrashing(reason: GoneReason, times: number): MessageBox {
    return {
      message: "LANrage's window keeps closing unexpectedly",
      detail:
        `Its page stopped (${reason}) ${times} times in ${this.limits.windowMs / 1000} s, so ` +
        `it was not loaded again. ${GOES_ON}`,
    };
  }
}
