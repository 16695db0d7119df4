/**
 * What the operator reads of a store that keeps failing (a full disk, Redis away): the first
 * failure, then at most one line per interval with how many failed since, and one line when
 * commits work again. Every retry (each second, and each message) used to log the same error,
 * and nothing said when the store came back.
 */
import type { Logger } from '../../shared/logger';

export const FAILURE_LOG_INTERVAL_MS = 10_000;

export class CommitFailureLog {
  /** Failed commits since the store last worked; 0 while it works. */
  private failing = 0;
  private unlogged = 0;
  private lastLogAt = -Infinity;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  failed(error: unknown): void {
    this.failing += 1;
    this.unlogged += 1;
    const at = this.now();
    if (at - this.lastLogAt < FAILURE_LOG_INTERVAL_MS) return;
    const since = this.unlogged > 1 ? ` (${this.unlogged} failed commits since the last line)` : '';
    this.logger.error(
      `Storage commit failed: ${String(error)}${since}; changes are answered unavailable ` +
        'and kept, and written once the store works again',
    );
    this.lastLogAt = at;
    this.unlogged = 0;
  }

  worked(): void {
    if (this.failing === 0) return;
    this.logger.info(`Storage commits work again, after ${this.failing} failed`);
    this.failing = 0;
    this.unlogged = 0;
    this.lastLogAt = -Infinity;
  }
}
