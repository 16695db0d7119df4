/**
 * Group commit: the changes made while handling messages are written together in one
 * transaction, and only then are the answers and fan-out sent, so each change is durable
 * before anyone hears of it. One commit is in flight at a time: whatever arrives while it
 * is being written waits and goes into the next one, so under load a batch grows to cover
 * everything since the last fsync instead of costing one fsync per event-loop tick.
 *
 * Heartbeats only refresh `last_seen`, which is soft state: they are acknowledged without
 * waiting for a disk write and persisted in batches every `touchPersistMs`. A crash loses at
 * most that much of last-seen progress, and the server gives every loaded peer a fresh
 * grace period on start (see the PartyService constructor), so a restart never sweeps a live peer.
 */
import type { PartyInfo } from '../../shared/model';
import type { AccessKind, AccessRow, AccessSink } from '../access/access-records';
import type { Logger } from '../../shared/logger';
import type {
  OwnerChange,
  PartyChange,
  PartyStore,
  PeerTouch,
  Replication,
  SeqChange,
  StoreBatch,
} from './store';
import { StoreConflict } from './store';
import type { PresenceChange } from '../presence/presence-table';

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
}

const RETRY_MS = 1000;
export const DEFAULT_TOUCH_PERSIST_MS = 5000;
export const TOUCH_CHUNK = 200;
/**
 * At most this many touches ride along in a batch that carries changes someone waits for (a
 * join, a leave): at N = 19 000 the bench's latency phase began with 19 000 touches due, and
 * every join's batch carried a full chunk of them (join p95 2 s at load average ~8).
 */
export const TOUCH_CHUNK_WITH_CHANGES = 25;

export class GroupCommitter implements AccessSink {
  private dirty = new Map<string, PartyChange>();
  private owners: OwnerChange[] = [];
  private access: AccessRow[] = [];
  private touches = new Map<string, PeerTouch>();
  private seqs = new Map<string, SeqChange>();
  /** Only for a store several servers share (store.replicates). */
  private replication: Replication | null;
  private touchesDue = false;
  private waiting: AfterCommit[] = [];
  private scheduled = false;
  /** The commit being written (settles after its callbacks ran); null when idle. */
  private inFlight: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private touchTimer: NodeJS.Timeout | null = null;
  private readonly touchPersistMs: number;
  private readonly onCommitted: (seconds: number) => void;
  /** Batches written so far (for tests and benchmarks). */
  commits = 0;

  constructor(
    private readonly store: PartyStore,
    private readonly logger: Logger,
    options: GroupCommitOptions = {},
  ) {
    this.touchPersistMs = options.touchPersistMs ?? DEFAULT_TOUCH_PERSIST_MS;
    this.onCommitted = options.onCommitted ?? (() => undefined);
    this.onConflict = options.onConflict ?? (() => Promise.resolve());
    this.replication = store.replicates ? { presence: [], fanout: [] } : null;
  }

  private readonly onConflict: (conflict: StoreConflict) => Promise<void>;

  /** Whether other servers share the store (their connections hear of changes through it). */
  get replicates(): boolean {
    return this.replication !== null;
  }

  /** Presence changes the other servers must hear of with this batch. */
  recordPresence(changes: readonly PresenceChange[]): void {
    this.replication?.presence.push(...changes);
  }

  /** A frame fanned out: the other servers send it to their own connections. */
  recordFanout(recipients: string[], frame: string): void {
    this.replication?.fanout.push([recipients, frame]);
    if (this.replication) this.schedule();
  }

  /** Records that a party went from `base` (before this change) to `next`. */
  recordParty(partyId: string, base: PartyInfo | null, next: PartyInfo | null): void {
    const pending = this.dirty.get(partyId);
    // Keep the oldest base: it is what the store holds, so the diff covers every change.
    if (pending) pending.next = next;
    else this.dirty.set(partyId, { partyId, base, next });
    this.schedule();
  }

  /** A party's event number went from `base` to `seq`: durable before the event is told. */
  recordSeq(partyId: string, base: number, seq: number): void {
    const pending = this.seqs.get(partyId);
    // The oldest base stays: it is the number the store holds.
    if (pending) pending.seq = seq;
    else this.seqs.set(partyId, { base, seq });
    this.schedule();
  }

  /** null token: the ownership row is pruned; `from`: the owner it was taken from. */
  recordOwner(peerId: string, token: string | null, from?: string): void {
    this.owners.push(from === undefined ? { peerId, token } : { peerId, token, from });
    this.schedule();
  }

  /** An access-control row changed (null: deleted); durable with the next batch. */
  recordAccess(kind: AccessKind, key: string, value: string | null, base?: string | null): void {
    this.access.push(base === undefined ? { kind, key, value } : { kind, key, value, base });
    this.schedule();
  }

  /** A heartbeat's `last_seen`: written within `touchPersistMs`, nobody waits for it. */
  recordTouch(partyId: string, peerId: string, lastSeen: Date): void {
    this.touches.set(`${partyId}\u0000${peerId}`, { partyId, peerId, lastSeen });
    if (this.touchTimer) return;
    this.touchTimer = setTimeout(() => {
      this.touchTimer = null;
      this.touchesDue = true;
      this.schedule();
    }, this.touchPersistMs);
    this.touchTimer.unref();
  }

  afterCommit(callback: AfterCommit): void {
    this.waiting.push(callback);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Starts writing what is pending now (unless a commit is in flight: it follows that one). */
  flush(): void {
    this.scheduled = false;
    if (this.inFlight) return;
    const waiting = this.waiting;
    this.waiting = [];
    const batch = this.takeBatch();
    if (!batch) return this.succeeded(waiting, false);
    const started = performance.now();
    const took = (): void => this.onCommitted((performance.now() - started) / 1000);
    let result: void | Promise<void>;
    try {
      result = this.store.commit(batch);
    } catch (error) {
      return this.failed(batch, waiting, error);
    }
    if (!(result instanceof Promise)) {
      took();
      return this.succeeded(waiting, true);
    }
    this.inFlight = result.then(
      () => {
        this.inFlight = null;
        took();
        this.succeeded(waiting, true);
      },
      (error: unknown) => {
        this.inFlight = null;
        this.failed(batch, waiting, error);
      },
    );
  }

  private takeBatch(): StoreBatch | null {
    const withTouches = this.touchesDue && this.touches.size > 0;
    const replicated = this.replication !== null && this.replication.fanout.length > 0;
    const idle =
      this.dirty.size === 0 &&
      this.owners.length === 0 &&
      this.access.length === 0 &&
      this.seqs.size === 0;
    if (idle && !withTouches && !replicated) return null;
    const batch: StoreBatch = { parties: [...this.dirty.values()], owners: this.owners };
    if (this.access.length > 0) batch.access = this.access;
    this.access = [];
    if (withTouches)
      batch.touches = this.takeTouches(idle ? TOUCH_CHUNK : TOUCH_CHUNK_WITH_CHANGES);
    if (this.seqs.size > 0) batch.seqs = this.seqs;
    if (this.replication) {
      batch.replication = this.replication;
      this.replication = { presence: [], fanout: [] };
    }
    this.dirty = new Map();
    this.owners = [];
    this.seqs = new Map();
    return batch;
  }

  /**
   * At most `chunk` touches per commit: 10 000 peers' refreshes in one transaction take
   * tens of ms, and a join queued behind them would wait that long for its answer.
   */
  private takeTouches(chunk: number): PeerTouch[] {
    const taken: PeerTouch[] = [];
    for (const [key, touch] of this.touches) {
      if (taken.length >= chunk) break;
      taken.push(touch);
      this.touches.delete(key);
    }
    this.touchesDue = this.touches.size > 0;
    return taken;
  }

  /** Tells the waiters, then starts the next commit if anything queued up meanwhile. */
  private succeeded(waiting: readonly AfterCommit[], wrote: boolean): void {
    if (wrote) this.commits += 1;
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
      this.logger.info(error.message);
      error.touched = {
        partyIds: [
          ...new Set([...batch.parties.map((c) => c.partyId), ...(batch.seqs?.keys() ?? [])]),
        ],
        peerIds: batch.owners.map((o) => o.peerId),
        access: (batch.access ?? []).map(({ kind, key }) => ({ kind, key })),
      };
      for (const t of batch.touches ?? []) this.recordTouch(t.partyId, t.peerId, t.lastSeen);
      error.reloaded = this.onConflict(error);
      for (const w of waiting) w.onFail?.(error);
      if (this.hasWork()) this.schedule();
      return;
    }
    this.logger.error(`Storage commit failed: ${String(error)}`);
    const dirty = new Map(batch.parties.map((c) => [c.partyId, c]));
    for (const [id, later] of this.dirty) {
      const earlier = dirty.get(id);
      dirty.set(id, earlier ? { ...later, base: earlier.base } : later);
    }
    this.dirty = dirty;
    this.owners = [...batch.owners, ...this.owners];
    this.access = [...(batch.access ?? []), ...this.access];
    for (const [id, change] of batch.seqs ?? []) {
      const later = this.seqs.get(id);
      this.seqs.set(id, later ? { base: change.base, seq: later.seq } : change);
    }
    if (batch.replication && this.replication) {
      this.replication.presence.unshift(...batch.replication.presence);
      this.replication.fanout.unshift(...batch.replication.fanout);
    }
    for (const t of batch.touches ?? []) {
      const key = `${t.partyId}\u0000${t.peerId}`;
      if (!this.touches.has(key)) this.touches.set(key, t);
      this.touchesDue = true;
    }
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
    return (
      this.dirty.size > 0 ||
      this.owners.length > 0 ||
      this.access.length > 0 ||
      this.seqs.size > 0 ||
      (this.replication?.fanout.length ?? 0) > 0 ||
      this.waiting.length > 0 ||
      (this.touchesDue && this.touches.size > 0)
    );
  }

  get pending(): boolean {
    return this.hasWork() || this.touches.size > 0 || this.inFlight !== null;
  }

  /** Writes everything pending, touches included, and waits for it. */
  async close(): Promise<void> {
    for (const timer of [this.retryTimer, this.touchTimer]) if (timer) clearTimeout(timer);
    this.retryTimer = null;
    this.touchTimer = null;
    this.touchesDue = true;
    // A bounded number of rounds: a store that keeps failing must not hang the shutdown.
    for (let round = 0; round < 3; round++) {
      if (this.inFlight) await this.inFlight;
      this.touchesDue = true;
      if (!this.hasWork()) break;
      this.flush();
    }
    if (this.inFlight) await this.inFlight;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
