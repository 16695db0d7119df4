/**
 * Sweeps, the presence check and host hand-over must run on exactly one server at a time:
 * two sweeping at once would tell every member twice, with two numbers for one event. One
 * server holds a lock with an expiry and renews it; if it dies, another takes over once the
 * lock expires. A lone server (the embedded store) always holds it.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger';
import { RELEASE_SCRIPT, RENEW_SCRIPT } from './redis/commit';
import { within } from './redis/within';

export interface LeaderLock {
  /** Whether this server may run the sweeps now. */
  held(): boolean;
  close(): Promise<void>;
}

export const ALWAYS_LEADER: LeaderLock = { held: () => true, close: () => Promise.resolve() };

/** Default lifetime of the lock: a dead leader is replaced within about this long. */
export const LOCK_TTL_MS = 10_000;
const CLOSE_WAIT_MS = 1000;

export class RedisLeaderLock implements LeaderLock {
  private holding = false;
  /** Until when (on `elapsed`) the lock is surely ours: its expiry as of the last renewal. */
  private validUntil = 0;
  private readonly timer: NodeJS.Timeout;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly id: string,
    private readonly logger: Logger,
    private readonly ttlMs = LOCK_TTL_MS,
    // Monotonic: on the wall clock, a step back (NTP) kept a lease Redis had let expire.
    private readonly elapsed: () => number = () => performance.now(),
  ) {
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(ttlMs / 3)));
    this.timer.unref();
    void this.tick();
  }

  held(): boolean {
    return this.holding && this.elapsed() < this.validUntil;
  }

  /** Takes the lock when free, renews it when ours; on any doubt, we do not hold it. */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(async () => {
      const started = this.elapsed();
      try {
        const renewed = this.holding
          ? await this.redis.eval(RENEW_SCRIPT, 1, this.key, this.id, String(this.ttlMs))
          : await this.redis.set(this.key, this.id, 'PX', this.ttlMs, 'NX');
        const now = renewed === 1 || renewed === 'OK';
        if (now !== this.holding) {
          this.logger.info(now ? 'This server now runs the sweeps' : 'Lost the sweep lock');
        }
        this.holding = now;
        if (now) this.validUntil = started + this.ttlMs;
      } catch {
        // Said, so that the next "now runs the sweeps" (once Redis answers) reads as a return.
        if (this.holding) this.logger.info('Lost the sweep lock: Redis did not answer');
        this.holding = false;
      }
    });
    return this.ticking;
  }

  /**
   * Lets the lock go, waiting for Redis at most a second each step: a drain waited forever on
   * a hung Redis (the lock then expires by itself).
   */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const bounded = (step: Promise<unknown>): Promise<unknown> =>
      within(step, CLOSE_WAIT_MS, 'Redis did not answer').catch(() => undefined);
    await bounded(this.ticking);
    if (this.holding) await bounded(this.redis.eval(RELEASE_SCRIPT, 1, this.key, this.id));
    this.holding = false;
  }
}
