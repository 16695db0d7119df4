/**
 * The reconnect cycle of the remote control plane (the spec's `_reconnect`): wait, try to
 * connect, repeat until connected or closed. The first `maxAttempts` rounds are counted
 * attempts; after them the plane falls back to local mode and the rounds go on as
 * background probes. This loop owns the waiting, so close() can cut a wait short and only
 * one cycle ever runs.
 */
import type { Logger } from '../../shared/logger';
import type { Clock, TimerHandle } from './scheduler';

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

export class ReconnectLoop {
  /** Counted attempts in the current outage. */
  attempts = 0;
  private gaveUp = false;
  private running = false;
  private sleeper: { handle: TimerHandle; wake: () => void } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly options: { delayMs: number; maxAttempts: number; logger: Logger },
    private readonly hooks: ReconnectHooks,
  ) {}

  /** Connected: the next outage starts counting from zero. */
  reset(): void {
    this.attempts = 0;
    this.gaveUp = false;
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
    return new Promise((resolve) => {
      const wake = (): void => {
        this.sleeper = null;
        resolve();
      };
      this.sleeper = { handle: this.clock.setTimeout(wake, this.options.delayMs), wake };
    });
  }
}
