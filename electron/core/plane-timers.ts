/**
 * The control plane's timers: the one sending automatic heartbeats (whose period the server
 * may announce) and the check for a PC waking from sleep. No sweep of silent peers: that is
 * the server's. A run that fails is logged, never thrown into the timer; nothing starts or
 * runs once stopped.
 */
import type { Logger } from '../../shared/logger';
import type { Clock, TimerHandle } from '../../shared/time/clock';
import { StallWatch } from '../../shared/time/stall-watch';

/**
 * How often the wall clock is compared with the timers'. A PC waking from sleep learns it
 * within this and beats at once: the link it had is likely gone (the server stopped hearing
 * it), and until a heartbeat failed, up to an interval later, the party showed everyone as
 * before the sleep and the status "Connected".
 */
export const WAKE_CHECK_MS = 5000;

export interface PlaneTasks {
  heartbeat(): Promise<void>;
}

export class PlaneTimers {
  private heartbeatTimer: TimerHandle | null = null;
  private wakeTimer: TimerHandle | null = null;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly tasks: PlaneTasks,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(heartbeatIntervalMs: number): void {
    if (this.stopped || this.heartbeatTimer) return;
    this.restartHeartbeat(heartbeatIntervalMs);
    const watch = new StallWatch(WAKE_CHECK_MS, this.clock.now());
    this.wakeTimer = this.clock.setInterval(() => {
      if (watch.check(this.clock.now()) <= 0) return;
      this.logger.info('This PC was asleep: checking the link with a heartbeat now');
      this.runGuarded('heartbeat', () => this.tasks.heartbeat());
    }, WAKE_CHECK_MS);
  }

  /** A new heartbeat period: restarts the heartbeat timer if it runs. */
  setHeartbeatPeriod(intervalMs: number): void {
    if (this.heartbeatTimer) this.restartHeartbeat(intervalMs);
  }

  /** Stops the timers for good. */
  stop(): void {
    this.stopped = true;
    if (this.heartbeatTimer) this.clock.clearInterval(this.heartbeatTimer);
    if (this.wakeTimer) this.clock.clearInterval(this.wakeTimer);
    this.heartbeatTimer = this.wakeTimer = null;
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
