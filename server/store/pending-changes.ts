/**
 * What the group committer has yet to write: the parties changed since the last batch (each
 * with the oldest base, which is what the store holds), ownerships, access rows, event
 * numbers, the heartbeat touches, and what other servers must hear of. A batch taken and
 * not written is put back in front of what came since.
 */
import type { PartyInfo } from '../../shared/model';
import type { AccessRow } from '../access/records';
import type { PresenceChange } from '../presence/presence-table';
import type {
  OwnerChange,
  PartyChange,
  PeerTouch,
  Replication,
  SeqChange,
  StoreBatch,
} from './store';
import { TouchQueue } from './touch-queue';

export const TOUCH_CHUNK = 200;
/**
 * At most this many touches ride along in a batch that carries changes someone waits for (a
 * join, a leave): at N = 19 000 the bench's latency phase began with 19 000 touches due, and
 * every join's batch carried a full chunk of them (join p95 2 s at load average ~8).
 */
export const TOUCH_CHUNK_WITH_CHANGES = 25;

export class PendingChanges {
  private dirty = new Map<string, PartyChange>();
  private owners: OwnerChange[] = [];
  private access: AccessRow[] = [];
  private readonly touches = new TouchQueue();
  private seqs = new Map<string, SeqChange>();
  /** Only for a store several servers share (store.replicates). */
  private replication: Replication | null;
  constructor(replicates: boolean) {
    this.replication = replicates ? { presence: [], fanout: [] } : null;
  }

  get replicates(): boolean {
    return this.replication !== null;
  }

  presence(changes: readonly PresenceChange[]): void {
    this.replication?.presence.push(...changes);
  }

  fanout(recipients: string[], frame: string): void {
    this.replication?.fanout.push([recipients, frame]);
  }

  party(partyId: string, base: PartyInfo | null, next: PartyInfo | null): void {
    const pending = this.dirty.get(partyId);
    // Keep the oldest base: it is what the store holds, so the diff covers every change.
    if (pending) pending.next = next;
    else this.dirty.set(partyId, { partyId, base, next });
  }

  seq(partyId: string, change: SeqChange): void {
    const pending = this.seqs.get(partyId);
    // The oldest base stays: it is the number (and version) the store holds.
    if (pending) this.seqs.set(partyId, laterSeq(pending, change));
    else this.seqs.set(partyId, change);
  }

  owner(change: OwnerChange): void {
    this.owners.push(change);
  }

  /** The access rows waiting for the next batch. */
  get accessRows(): readonly AccessRow[] {
    return this.access;
  }

  accessRow(row: AccessRow): void {
    this.access.push(row);
  }

  touch(partyId: string, peerId: string, lastSeenMs: number): void {
    this.touches.record(partyId, peerId, lastSeenMs);
  }

  /** Touches a write that failed took: written with a later batch, unless newer ones came. */
  restoreTouches(touches: readonly PeerTouch[] | undefined): void {
    if (!touches || touches.length === 0) return;
    this.touches.restore(touches);
  }

  /** The touches recorded until now are to be written (in chunks, with the next batches). */
  markTouchesDue(): void {
    this.touches.markDue();
  }

  /** Everything pending as one batch (touches only when due, in chunks); null: nothing. */
  take(): StoreBatch | null {
    const withTouches = this.touches.dueSize > 0;
    const replicated = this.replication !== null && this.replication.fanout.length > 0;
    const idle = !this.hasChanges();
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

  /** A batch that was not written goes back in front of what came since. */
  putBack(batch: StoreBatch): void {
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
      this.seqs.set(id, later ? laterSeq(change, later) : change);
    }
    if (batch.replication && this.replication) {
      this.replication.presence.unshift(...batch.replication.presence);
      this.replication.fanout.unshift(...batch.replication.fanout);
    }
    this.restoreTouches(batch.touches);
  }

  /** Whether a batch would be written now. */
  get hasWork(): boolean {
    return (
      this.hasChanges() || (this.replication?.fanout.length ?? 0) > 0 || this.touches.dueSize > 0
    );
  }

  /** Whether touches wait, due or not. */
  get hasTouches(): boolean {
    return this.touches.size > 0;
  }

  private hasChanges(): boolean {
    return (
      this.dirty.size > 0 || this.owners.length > 0 || this.access.length > 0 || this.seqs.size > 0
    );
  }

  /**
   * At most `chunk` touches per commit: 10 000 peers' refreshes in one transaction take
   * tens of ms, and a join queued behind them would wait that long for its answer.
   */
  private takeTouches(chunk: number): PeerTouch[] {
    return this.touches.take(chunk);
  }
}

/** Two moves of one party's number as one: from the earlier's base to the later's number. */
function laterSeq(earlier: SeqChange, later: SeqChange): SeqChange {
  const merged: SeqChange = { base: earlier.base, seq: later.seq };
  if (earlier.baseVersion !== undefined) merged.baseVersion = earlier.baseVersion;
  if (later.version !== undefined) merged.version = later.version;
  return merged;
}
