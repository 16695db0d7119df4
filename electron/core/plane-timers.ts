/**
 * The control plane's two timers: the sweep of silent peers, and the one timer sending
 * automatic heartbeats (whose period the server may announce). A run that fails is logged,
 * never thrown into the timer; nothing starts or runs once stopped.
 */
import type { Logger } from '../../shared/logger';
import type { Clock, TimerHandle } from '../../shared/clock';

export interface PlaneTasks {
  cleanup(): Promise<void>;
  heartbeat(): Promise<void>;
}

export class PlaneTimers {
  private cleanupTimer: TimerHandle | null = null;
  private heartbeatTimer: TimerHandle | null = null;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly tasks: PlaneTasks,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(cleanupIntervalMs: number, heartbeatIntervalMs: number): void {
    if (this.stopped || this.cleanupTimer) return;
    this.cleanupTimer = this.clock.setInterval(
      () => this.runGuarded('cleanup', () => this.tasks.cleanup()),
      cleanupIntervalMs,
    );
    this.restartHeartbeat(heartbeatIntervalMs);
  }

  /** A new heartbeat period: restarts the heartbeat timer if it runs. */
  setHeartbeatPeriod(intervalMs: number): void {
    if (this.heartbeatTimer) this.restartHeartbeat(intervalMs);
  }

  /** Stops both timers for good. */
  stop(): void {
    this.stopped = true;
    if (this.cleanupTimer) this.clock.clearInterval(this.cleanupTimer);
    if (this.heartbeatTimer) this.clock.clearInterval(this.heartbeatTimer);
    this.cleanupTimer = this.heartbeatTimer = null;
  }

  private restartHeartbeat(intervalMs: number): void {
    if (this.heartbeatTimer) this.clock.clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = this.clock.setInterval(
      () => this.runGuarded('heartbeat', () => this.tasks.heartbeat()),
      intervalMs,
    );
  }

  private runGuarded(what: string, task: () => Promise<void>): void {
    if (this.stopped) return;
    task().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`${what} failed: ${reason}`);
    });
  }
}
