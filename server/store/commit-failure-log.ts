/**
 * What the operator reads of a store that keeps failing (a full disk, Redis away): the first
 * failure, then at most one line per interval with how many failed since, and one line when
 * commits work again. Every retry (each second, and each message) used to log the same error,
 * and nothing said when the store came back.
 */
import type { Logger } from '../../shared/logger';
import { LineThrottle } from '../log-throttle';

export const FAILURE_LOG_INTERVAL_MS = 10_000;

export class CommitFailureLog {
  /** Failed commits since the store last worked; 0 while it works. */
  private failing = 0;
  private lastError = '';
  /** Fan-out frames dropped meanwhile (pending-changes.ts keeps the newest only). */
  private dropped = 0;
  private readonly throttle: LineThrottle;

  constructor(
    private readonly logger: Logger,
    now: () => number = () => performance.now(),
  ) {
    this.throttle = new LineThrottle(FAILURE_LOG_INTERVAL_MS, now);
  }

  /** The last commit's error while commits fail; null once one works. */
  get refusing(): string | null {
    return this.failing > 0 ? this.lastError : null;
  }

  failed(error: unknown): void {
    this.failing += 1;
    this.lastError = String(error);
    const held = this.throttle.take();
    if (held === null) return;
    // This one and those held back.
    const since = held > 0 ? ` (${held + 1} failed commits since the last line)` : '';
    this.logger.error(
      `Storage commit failed: ${String(error)}${since}; changes are answered unavailable ` +
        'and kept, and written once the store works again',
    );
  }

  /** Frames to members on other servers given up while the store failed. */
  droppedFanout(count: number): void {
    this.dropped += count;
  }

  worked(): void {
    if (this.failing === 0) return;
    const dropped =
      this.dropped > 0
        ? `; ${this.dropped} frames to members on other servers (signals, events) were dropped`
        : '';
    this.logger.info(`Storage commits work again, after ${this.failing} failed${dropped}`);
    this.failing = 0;
    this.dropped = 0;
    this.throttle.reset();
  }
}
