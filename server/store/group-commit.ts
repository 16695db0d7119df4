/**
 * Group commit: the changes made while handling messages are written together in one
 * transaction, and only then are the answers sent, so each change is durable before the one
 * who asked for it hears it was made. The other members hear of it sooner (`whenTellable`).
 * One commit is in flight at a time: whatever arrives while it
 * is being written waits and goes into the next one, so under load a batch grows to cover
 * everything since the last fsync instead of costing one fsync per event-loop tick. When a
 * commit finishes, the next batch goes to the store before the finished one's answers are
 * sent, so the writer and the loop's sends overlap (README, Performance).
 *
 * Heartbeats only refresh `last_seen`, which is soft state: they are acknowledged without
 * waiting for a disk write (unless the beat changed the member's presence: its ack names
 * that event's number) and persisted in batches every `touchPersistMs`. A crash loses at
 * most that much of last-seen progress, and the server gives every loaded peer a fresh
 * grace period on start (see the PartyService constructor), so a restart never sweeps a live peer.
 */
import type { PartyInfo } from '../../shared/model';
import { accessRowId, type AccessKind, type AccessSink } from '../access/records';
import type { Logger } from '../../shared/logger';
import { counted } from '../../shared/counted';
import { CommitFailureLog } from './commit-failure-log';
import type { CommitOptions, PartyStore, SeqChange, StoreBatch } from './store';
import { StoreConflict } from './store';
import type { PresenceChange } from '../presence/presence-table';
import { PendingChanges, type Unstored } from './pending-changes';

export interface AfterCommit {
  /** Runs once every change recorded before it is durable. */
  onCommit: () => void;
  /** Runs instead when the batch holding those changes could not be written. */
  onFail?: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** How often heartbeat refreshes of `last_seen` are written (default 5 s). */
  touchPersistMs?: number;
  /** Told how long each successful commit took (metrics). */
  onCommitted?: (seconds: number) => void;
  /** A shared store refused a batch (another server changed its parties): read them back. */
  onConflict?: (conflict: StoreConflict) => Promise<void>;
  /** The server's clock, which dates the batches (StoreBatch.at); default Date.now. */
  now?: () => number;
}

const RETRY_MS = 1000;
export const DEFAULT_TOUCH_PERSIST_MS = 5000;

export class GroupCommitter implements AccessSink {
  /** What the next batch holds. */
  private readonly changes: PendingChanges;
  private waiting: AfterCommit[] = [];
  private scheduled = false;
  /**
   * Set once close() has written everything: what is recorded later (a connection that ends
   * after the drain numbers its presence change) is not written. The store may be closed, or
   * (the app's file) already another server's; a late write clobbered it.
   */
  private closed = false;
  /** The commit being written (settles after its callbacks ran); null when idle. */
  private inFlight: Promise<void> | null = null;
  /** What that commit writes. */
  private writing: StoreBatch | null = null;
  /** Each collects the access rows (`kind key`) recorded while it is open (watchAccess). */
  private readonly accessWatches = new Set<Set<string>>();
  private retryTimer: NodeJS.Timeout | null = null;
  private touchTimer: NodeJS.Timeout | null = null;
  private readonly touchPersistMs: number;
  private readonly onCommitted: (seconds: number) => void;
  /** Batches written so far (for tests and benchmarks). */
  commits = 0;
  /**
   * Told, once the store was read back, of the presence changes a refused batch carried: no
   * one heard of them, and the presence table counts them as told (PartyService tells the
   * members' presence again).
   */
  onPresenceRefused: (changes: readonly PresenceChange[]) => void = () => undefined;

  constructor(
    private readonly store: PartyStore,
    private readonly logger: Logger,
    options: GroupCommitOptions = {},
  ) {
    this.touchPersistMs = options.touchPersistMs ?? DEFAULT_TOUCH_PERSIST_MS;
    this.now = options.now ?? Date.now;
    this.onCommitted = options.onCommitted ?? (() => undefined);
    this.onConflict = options.onConflict ?? (() => Promise.resolve());
    this.changes = new PendingChanges(store.replicates === true);
    this.failureLog = new CommitFailureLog(logger);
  }

  private readonly failureLog: CommitFailureLog;
  private readonly onConflict: (conflict: StoreConflict) => Promise<void>;
  private readonly now: () => number;

  /** Why commits fail now (readiness: `/readyz`), or null while they work. */
  get storeRefusing(): string | null {
    return this.failureLog.refusing;
  }

  /** Whether other servers share the store (their connections hear of changes through it). */
  get replicates(): boolean {
    return this.changes.replicates;
  }

  /** Fan-out frames waiting to be published (bounded while the store fails). */
  get pendingFanout(): number {
    return this.changes.fanoutCount;
  }

  /** Presence changes the other servers must hear of with this batch. */
  recordPresence(changes: readonly PresenceChange[]): void {
    this.changes.presence(changes);
  }

  /** A frame fanned out: the other servers send it to their own connections. */
  recordFanout(recipients: string[], frame: string): void {
    this.changes.fanout(recipients, frame);
    if (this.changes.replicates) this.schedule();
  }

  /** Records that a party went from `base` (before this change) to `next`. */
  recordParty(partyId: string, base: PartyInfo | null, next: PartyInfo | null): void {
    this.changes.party(partyId, base, next);
    this.schedule();
  }

  /** A party's event number (and version) moved: durable before an answer names it. */
  recordSeq(partyId: string, change: SeqChange): void {
    this.changes.seq(partyId, change);
    this.schedule();
  }

  /** null token: the ownership row is pruned; `from`: the owner it was taken from. */
  recordOwner(peerId: string, token: string | null, from?: string): void {
    this.changes.owner(from === undefined ? { peerId, token } : { peerId, token, from });
    this.schedule();
  }

  /** An access-control row changed (null: deleted); durable with the next batch. */
  recordAccess(kind: AccessKind, key: string, value: string | null, base?: string | null): void {
    for (const keys of this.accessWatches) keys.add(accessRowId({ kind, key }));
    this.changes.accessRow(base === undefined ? { kind, key, value } : { kind, key, value, base });
    this.schedule();
  }

  /** A heartbeat's `last_seen` (ms): written within `touchPersistMs`, nobody waits for it. */
  recordTouch(partyId: string, peerId: string, lastSeenMs: number): void {
    this.changes.touch(partyId, peerId, lastSeenMs);
    if (this.touchTimer) return;
    this.touchTimer = setTimeout(() => {
      this.touchTimer = null;
      this.changes.markTouchesDue();
      this.schedule();
    }, this.touchPersistMs);
    this.touchTimer.unref();
  }

  /**
   * Settles once everything recorded so far has been written (true) or its batch was not
   * (false: refused by a shared store, or the store failed).
   */
  settled(): Promise<boolean> {
    return new Promise((resolve) =>
      this.afterCommit({ onCommit: () => resolve(true), onFail: () => resolve(false) }),
    );
  }

  /** Access rows (`kind key`) changed here and not yet written: waiting, or being written. */
  unwrittenAccess(): Set<string> {
    const rows = [...(this.writing?.access ?? []), ...this.changes.accessRows];
    return new Set(rows.map(accessRowId));
  }

  /** Collects the access rows (`kind key`) recorded from now until `stop`. */
  watchAccess(): { keys: ReadonlySet<string>; stop: () => void } {
    const keys = new Set<string>();
    this.accessWatches.add(keys);
    return { keys, stop: () => this.accessWatches.delete(keys) };
  }

  /**
   * Runs `tell` (other members hearing of the changes recorded so far) when they may: at once
   * on a store of this server's own, after the commit on a shared one, where another server
   * may refuse the batch (and its event numbers). Telling at once spares the members the
   * commit's wait (a join reaches them 1.2-1.6 ms sooner, README, Performance); the cost is
   * a crash in the ~1 ms before the commit: members heard of a change the restarted server
   * does not have, and their clients, reconnecting, take its snapshot instead (numbering
   * starts over with each connection, electron/core/client/sync/order.ts). The answer still
   * waits, so what is acknowledged is durable.
   */
  whenTellable(tell: () => void): void {
    if (!this.changes.replicates) return tell();
    this.afterCommit({ onCommit: tell });
  }

  afterCommit(callback: AfterCommit): void {
    if (this.closed) return callback.onFail?.(new Error('The server has stopped'));
    this.waiting.push(callback);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight || this.closed) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Starts writing what is pending now (unless a commit is in flight: it follows that one). */
  flush(options: CommitOptions = {}): void {
    this.scheduled = false;
    if (this.inFlight || this.closed) return;
    const waiting = this.waiting;
    this.waiting = [];
    const batch = this.changes.take();
    if (!batch) return this.succeeded(waiting, false);
    if (this.changes.replicates) batch.at = this.now();
    const started = performance.now();
    const took = (): void => this.onCommitted((performance.now() - started) / 1000);
    let result: void | Promise<void>;
    try {
      result = this.store.commit(batch, options);
    } catch (error) {
      return this.failed(batch, waiting, error);
    }
    if (!(result instanceof Promise)) {
      took();
      return this.succeeded(waiting, true);
    }
    this.writing = batch;
    this.inFlight = result.then(
      () => {
        this.inFlight = null;
        this.writing = null;
        took();
        // What queued up meanwhile is written while this batch's answers are sent: under
        // load those sends take longer than the commit, and the writer would sit idle.
        if (this.changes.hasWork) this.flush({ offLoop: true });
        this.succeeded(waiting, true);
      },
      (error: unknown) => {
        this.inFlight = null;
        this.writing = null;
        this.failed(batch, waiting, error);
      },
    );
  }

  /** Tells the waiters, then starts the next commit if anything queued up meanwhile. */
  private succeeded(waiting: readonly AfterCommit[], wrote: boolean): void {
    if (wrote) this.commits += 1;
    if (wrote) this.failureLog.worked();
    for (const w of waiting) w.onCommit();
    if (this.hasWork()) this.schedule();
  }

  /**
   * Puts the batch back in front of what came since and tells its waiters; the retry waits
   * RETRY_MS (or the next message), so a failing disk is not hammered.
   */
  private failed(batch: StoreBatch, waiting: readonly AfterCommit[], error: unknown): void {
    if (error instanceof StoreConflict) {
      // Nothing of it was written and it must not be: the store has another server's change.
      // What it touched is read back, then its requests are handled again (connection.ts).
      this.logger.debug(error.message);
      error.touched = {
        partyIds: [
          ...new Set([...batch.parties.map((c) => c.partyId), ...(batch.seqs?.keys() ?? [])]),
        ],
        peerIds: batch.owners.map((o) => o.peerId),
        access: (batch.access ?? []).map(({ kind, key }) => ({ kind, key })),
        versions: new Map(
          [...(batch.seqs ?? [])].flatMap(([id, s]) => (s.version ? [[id, s.version]] : [])),
        ),
      };
      this.changes.restoreTouches(batch.touches);
      error.reloaded = this.onConflict(error);
      const presence = batch.replication?.presence ?? [];
      if (presence.length > 0) {
        void error.reloaded.then(() => this.onPresenceRefused(presence));
      }
      for (const w of waiting) w.onFail?.(error);
      if (this.hasWork()) this.schedule();
      return;
    }
    this.failureLog.failed(error);
    this.failureLog.droppedFanout(this.changes.putBack(batch));
    for (const w of waiting) w.onFail?.(error);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  private hasWork(): boolean {
    return this.changes.hasWork || this.waiting.length > 0;
  }

  get pending(): boolean {
    return this.hasWork() || this.changes.hasTouches || this.inFlight !== null;
  }

  /**
   * Writes everything pending, touches included, and waits for it. Resolves with what the
   * store did not take (a count of 0: everything is stored).
   */
  async close(): Promise<Unstored> {
    for (const timer of [this.retryTimer, this.touchTimer]) if (timer) clearTimeout(timer);
    this.retryTimer = null;
    this.touchTimer = null;
    this.changes.markTouchesDue();
    // A bounded number of rounds: a store that keeps failing must not hang the shutdown.
    for (let round = 0; round < 3; round++) {
      if (this.inFlight) await this.inFlight;
      this.changes.markTouchesDue();
      if (!this.hasWork()) break;
      this.flush();
    }
    if (this.inFlight) await this.inFlight;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.closed = true;
    // Answered `unavailable` and kept for a retry that will not come: said, not dropped mute.
    if (!this.hasWork()) return { count: 0, what: '' };
    const unstored = this.changes.unwritten();
    const { count, what } = unstored;
    this.logger.warn(
      `Stopping with changes the store did not take: ${counted(count, 'change', 'changes')} ` +
        `(${what}; their requests were answered unavailable), not stored`,
    );
    return unstored;
  }
}
