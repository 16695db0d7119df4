/**
 * The reconnect cycle of the remote control plane (the spec's `_reconnect`): wait, try to
 * connect, repeat until connected or closed. The first `maxAttempts` rounds are counted
 * attempts; after them the plane falls back to local mode and the rounds go on as
 * background probes. This loop owns the waiting, so close() can cut a wait short and only
 * one cycle ever runs.
 *
 * A server that drains for a restart says so (close code 1012): it will be back in a moment,
 * so the cycle starts with a short, jittered wait (spreading the clients of a big server)
 * that doubles each round up to the usual delay, instead of everyone waiting the full delay.
 */
import type { Logger } from '../../../shared/logger';
import type { Clock, TimerHandle } from '../../../shared/time/clock';

export interface ReconnectHooks {
  /** True once there is nothing left to do: connected again, or closed. */
  done(): boolean;
  /** A counted attempt is about to start (after the wait). */
  onAttempt(attempt: number): void;
  /** The attempts are used up: fall back to local mode (called once per outage). */
  onGiveUp(): void;
  /** Throws when the server still cannot be reached. */
  connect(): Promise<void>;
}

export interface ReconnectOptions {
  delayMs: number;
  maxAttempts: number;
  logger: Logger;
  /** First wait after a restart notice, before jitter (×0.5–1.5); default 500 ms. */
  restartDelayMs?: number;
  /** In [0, 1); default Math.random. */
  random?: () => number;
}

export const DEFAULT_RESTART_DELAY_MS = 500;

export class ReconnectLoop {
  /** Counted attempts in the current outage. */
  attempts = 0;
  private gaveUp = false;
  private running = false;
  private sleeper: { handle: TimerHandle; wake: () => void } | null = null;
  /** The next wait; shorter than delayMs only after a restart notice. */
  private nextDelayMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly options: ReconnectOptions,
    private readonly hooks: ReconnectHooks,
  ) {
    this.nextDelayMs = options.delayMs;
  }

  /** The server said it is restarting: the coming waits start short (see the file comment). */
  expectRestart(): void {
    const base = this.options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
    const jitter = 0.5 + (this.options.random ?? Math.random)();
    this.nextDelayMs = Math.min(base * jitter, this.options.delayMs);
  }

  /** Connected: the next outage starts counting from zero, with the usual delay. */
  reset(): void {
    this.attempts = 0;
    this.gaveUp = false;
    this.nextDelayMs = this.options.delayMs;
  }

  /** Runs the cycle; a second call while one runs returns at once. */
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.hooks.done()) {
        this.nextRound();
        await this.sleep();
        if (this.hooks.done()) return;
        try {
          await this.hooks.connect();
        } catch (error) {
          this.options.logger.info(`Reconnect failed: ${String(error)}`);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Ends the current wait now (the loop then sees done() and stops). */
  cancel(): void {
    if (!this.sleeper) return;
    this.clock.clearTimeout(this.sleeper.handle);
    this.sleeper.wake();
  }

  private nextRound(): void {
    if (this.attempts < this.options.maxAttempts) {
      this.attempts += 1;
      this.hooks.onAttempt(this.attempts);
    } else if (!this.gaveUp) {
      this.gaveUp = true;
      this.hooks.onGiveUp();
    }
  }

  private sleep(): Promise<void> {
    const delayMs = this.nextDelayMs;
    this.nextDelayMs = Math.min(delayMs * 2, this.options.delayMs);
    return new Promise((resolve) => {
      const wake = (): void => {
        this.sleeper = null;
        resolve();
      };
      this.sleeper = { handle: this.clock.setTimeout(wake, delayMs), wake };
    });
  }
}
