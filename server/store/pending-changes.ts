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
import { counted } from '../../shared/counted';

export const TOUCH_CHUNK = 200;
/**
 * At most this many touches ride along in a batch that carries changes someone waits for (a
 * join, a leave): at N = 19 000 the bench's latency phase began with 19 000 touches due, and
 * every join's batch carried a full chunk of them (join p95 2 s at load average ~8).
 */
export const TOUCH_CHUNK_WITH_CHANGES = 25;

/**
 * Fan-out frames (signals, pushes to members on other servers) kept from batches the store did
 * not take: the newest this many, within MAX_KEPT_FANOUT_CHARS (string length: the frames are JSON,
 * mostly ASCII). They are not state (a party's change is kept whole, and the others read it
 * when it is written), and kept without bound, 2 000 signals of 15 KB during a Redis outage
 * took a server's heap from 28 MB to 300 MB; each retry wrote the whole backlog out again
 * first, and putting 130 000 back by spreading them overflowed the stack and ended the process.
 */
export const MAX_KEPT_FANOUT = 1000;
export const MAX_KEPT_FANOUT_CHARS = 4 * 1024 * 1024;

/** Changes a stopping server's store did not take: how many, and of what ('' for none). */
export interface Unstored {
  count: number;
  what: string;
}

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
    // A loop, not push(...changes): spreading a large array overflows the stack.
    for (const change of changes) this.replication?.presence.push(change);
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

  /**
   * A batch that was not written goes back in front of what came since, its fan-out within
   * the bounds above. Returns how many frames were dropped for them (the oldest).
   */
  putBack(batch: StoreBatch): number {
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
    let dropped = 0;
    if (batch.replication && this.replication) {
      // concat, not unshift(...): spreading 130 000 entries overflowed the stack.
      const presence = batch.replication.presence.concat(this.replication.presence);
      this.replication.presence = latestPresence(presence);
      dropped = this.keepNewestFanout(batch.replication.fanout.concat(this.replication.fanout));
    }
    this.restoreTouches(batch.touches);
    return dropped;
  }

  /** How many fan-out frames wait to be published. */
  get fanoutCount(): number {
    return this.replication?.fanout.length ?? 0;
  }

  /** Whether a batch would be written now. */
  get hasWork(): boolean {
    return (
      this.hasChanges() || (this.replication?.fanout.length ?? 0) > 0 || this.touches.dueSize > 0
    );
  }

  /**
   * What is not written yet, by kind (the empty kinds left out), and how many in all: said when
   * the server stops with it.
   */
  unwritten(): Unstored {
    const kinds: [number, string, string][] = [
      [this.dirty.size, 'party', 'parties'],
      [this.owners.length, 'session ownership', 'session ownerships'],
      [this.access.length, 'access row', 'access rows'],
      [this.seqs.size, 'event number', 'event numbers'],
      [this.touches.size, 'last-seen time', 'last-seen times'],
      [this.fanoutCount, 'frame for other servers', 'frames for other servers'],
    ];
    const said = kinds.filter(([n]) => n > 0).map(([n, one, many]) => counted(n, one, many));
    return { count: kinds.reduce((sum, [n]) => sum + n, 0), what: said.join(', ') };
  }

  /** Whether touches wait, due or not. */
  get hasTouches(): boolean {
    return this.touches.size > 0;
  }

  /** Keeps the newest of `fanout` within the bounds; returns how many older ones went. */
  private keepNewestFanout(fanout: Fanout): number {
    let chars = 0;
    let from = fanout.length;
    while (from > 0 && fanout.length - from < MAX_KEPT_FANOUT) {
      const next = chars + fanout[from - 1]![1].length;
      if (next > MAX_KEPT_FANOUT_CHARS) break;
      chars = next;
      from -= 1;
    }
    if (this.replication) this.replication.fanout = from === 0 ? fanout : fanout.slice(from);
    return from;
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

type Fanout = Replication['fanout'];

/**
 * Each member's latest presence change only: the others apply the latest as it is (status,
 * round trip, the later last seen), so the earlier ones add nothing, and during an outage a
 * member going offline and back kept adding them.
 */
function latestPresence(changes: PresenceChange[]): PresenceChange[] {
  const latest = new Map<string, PresenceChange>();
  for (const change of changes) {
    const key = `${change.partyId}\u0000${change.peerId}`;
    latest.delete(key);
    latest.set(key, change);
  }
  return latest.size === changes.length ? changes : [...latest.values()];
}
