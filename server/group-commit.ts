/**
 * Group commit: every change made while handling the messages of one event-loop tick is
 * written in a single transaction, and only then are the answers and fan-out sent. So
 * each change is durable before anyone hears of it, at one fsync per tick, not per message.
 */
import type { PartyInfo } from '../shared/model';
import type { Logger } from './logger';
import type { OwnerChange, PartyChange, PartyStore } from './store';

export interface AfterCommit {
  /** Runs once the batch holding this tick's changes is durable. */
  onCommit: () => void;
  /** Runs instead when that batch could not be written. */
  onFail?: (error: unknown) => void;
}

const RETRY_MS = 1000;

export class GroupCommitter {
  private dirty = new Map<string, PartyChange>();
  private owners: OwnerChange[] = [];
  private waiting: AfterCommit[] = [];
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Batches written so far (for tests and benchmarks). */
  commits = 0;

  constructor(
    private readonly store: PartyStore,
    private readonly logger: Logger,
  ) {}

  /** Records that a party went from `base` (before this change) to `next`. */
  recordParty(partyId: string, base: PartyInfo | null, next: PartyInfo | null): void {
    const pending = this.dirty.get(partyId);
    // Keep the oldest base: it is what the store holds, so the diff covers every change.
    if (pending) pending.next = next;
    else this.dirty.set(partyId, { partyId, base, next });
    this.schedule();
  }

  recordOwner(peerId: string, token: string): void {
    this.owners.push({ peerId, token });
    this.schedule();
  }

  afterCommit(callback: AfterCommit): void {
    this.waiting.push(callback);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes what is pending now, then runs the callbacks. Safe to call at any time. */
  flush(): void {
    this.scheduled = false;
    const waiting = this.waiting;
    this.waiting = [];
    try {
      if (this.dirty.size > 0 || this.owners.length > 0) {
        this.store.commit({ parties: [...this.dirty.values()], owners: this.owners });
        this.commits += 1;
      }
      this.dirty = new Map();
      this.owners = [];
    } catch (error) {
      // Keep the changes for a retry; those waiting are told their change is not durable.
      this.logger.error(`Storage commit failed: ${String(error)}`);
      for (const w of waiting) w.onFail?.(error);
      this.scheduleRetry();
      return;
    }
    for (const w of waiting) w.onCommit();
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  get pending(): boolean {
    return this.dirty.size > 0 || this.owners.length > 0 || this.waiting.length > 0;
  }

  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.flush();
  }
}
