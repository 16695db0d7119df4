/**
 * Persistence behind an interface: the server's durable state is its parties (with their
 * peers) and which session owns which peer id. A batch is committed atomically; the
 * group committer builds a batch from everything that changed while the previous one was
 * being written.
 */
import type { PartyInfo, PeerInfo } from '../../shared/model';
import type { PresenceChange } from '../presence/presence-table';
import type { AccessRow } from '../access/records';

/** Access rows are part of what a store keeps (the embedded app's file store reads them too). */
export { isAccessKind, type AccessRow } from '../access/records';

export interface PartyChange {
  partyId: string;
  /** The party as last committed (null: it did not exist in the store). */
  base: PartyInfo | null;
  /** The party now (null: it is gone). */
  next: PartyInfo | null;
}

export interface OwnerChange {
  peerId: string;
  /** null: the ownership row is pruned. */
  token: string | null;
  /** Taken from this session (its key's holder reclaimed a key-bound id). */
  from?: string;
}

/** A heartbeat's refresh of a peer's `last_seen`: soft state, persisted lazily. */
export interface PeerTouch {
  partyId: string;
  peerId: string;
  lastSeen: Date;
}

export interface StoreBatch {
  parties: PartyChange[];
  owners: OwnerChange[];
  /** Applied only to peers that still exist when the batch is written. */
  touches?: PeerTouch[];
  /**
   * party id → its event number now (see shared/protocol/protocol.ts SeqSchema), written with the
   * party so that a restarted server numbers on from where it stopped. Applied only to
   * parties that exist once the batch's party changes are written. Every party change moves
   * the number, so `base` (the number the change was made on) is also the party's version:
   * a store shared by several servers refuses the batch when the party moved meanwhile.
   */
  seqs?: Map<string, SeqChange>;
  replication?: Replication;
  /** Access-control rows (server/access/records.ts), in order; null value: deleted. */
  access?: AccessRow[];
  /**
   * This server's clock when the batch was taken. Its times (touches, presence) are on that
   * clock; another server sharing the store reads them on its own by the difference.
   */
  at?: number;
}

/**
 * A shared store refused the batch because another server changed one of its parties (or
 * claimed one of its peer ids) since this one read it: nothing was written. The server
 * reads back what the batch touched (`reloaded` settles then) and handles its requests
 * again on the fresh state.
 */
export class StoreConflict extends Error {
  /**
   * Every party and peer id the refused batch touched (set by the committer), and the
   * version its last change of each party made.
   */
  touched: {
    partyIds: string[];
    peerIds: string[];
    access: Pick<AccessRow, 'kind' | 'key'>[];
    versions: Map<string, string>;
  } = { partyIds: [], peerIds: [], access: [], versions: new Map() };
  /** Settles once what the batch touched is read back from the store. */
  reloaded: Promise<void> = Promise.resolve();

  constructor(
    readonly partyIds: string[],
    readonly peerIds: string[],
  ) {
    super(`Changed by another server meanwhile: ${[...partyIds, ...peerIds].join(', ')}`);
  }
}

/**
 * What other servers sharing the store must hear of with the batch (server/state/): the
 * presence changes and the frames fanned out, in order. Only a shared store gets it.
 */
export interface Replication {
  presence: PresenceChange[];
  /** [recipients, frame] */
  fanout: [string[], string][];
}

export interface SeqChange {
  base: number;
  seq: number;
  /**
   * The version the change was made on, checked by a shared store (server/party/party-versions.ts).
   */
  baseVersion?: string;
  /** The version it makes. */
  version?: string;
}

export interface LoadedState {
  parties: Map<string, PartyInfo>;
  /** peer id → session token that owns it. */
  owners: Map<string, string>;
  /** party id → its last event number (0 when absent: a store that keeps none). */
  seqs?: Map<string, number>;
  /** party id → its version (a store several servers share; server/party/party-versions.ts). */
  versions?: Map<string, string>;
  /** Access-control rows (none from a store that keeps none). */
  access?: AccessRow[];
  /** A shared store's commit count when it was read (server/state/redis/commit.ts). */
  at?: number;
}

export interface CommitOptions {
  /**
   * The caller has work waiting on the event loop (the previous batch's answers): a store
   * that may commit on the loop should not, so that work and this commit overlap.
   */
  offLoop?: boolean;
}

export interface PartyStore {
  /** Everything, at start (a networked store answers asynchronously). */
  load(): LoadedState | Promise<LoadedState>;
  /** Whether commits should carry `replication` (a store several servers share). */
  readonly replicates?: boolean;
  /**
   * Applies the whole batch atomically and durably, or fails having applied nothing: throws,
   * or (a store that writes off the event loop) returns a promise that settles likewise.
   */
  commit(batch: StoreBatch, options?: CommitOptions): void | Promise<void>;
  /**
   * Resolves when the store can take a commit now (readiness: `/readyz`), rejects with why
   * not. A networked store would round-trip to its server here.
   */
  ping(): Promise<void>;
  close(): void | Promise<void>;
}

/** What changed between two versions of a party, at row granularity. */
export interface PartyDiff {
  partyRow: PartyInfo | null;
  deleteParty: boolean;
  upsertPeers: PeerInfo[];
  deletePeerIds: string[];
}

/**
 * Party values are immutable and transitions reuse unchanged PeerInfo objects, so an
 * identity comparison finds exactly the peers that changed.
 */
export function diffParty(base: PartyInfo | null, next: PartyInfo | null): PartyDiff {
  if (!next) {
    return { partyRow: null, deleteParty: base !== null, upsertPeers: [], deletePeerIds: [] };
  }
  const headerChanged =
    !base ||
    base.settings !== next.settings ||
    base.name !== next.name ||
    base.hostId !== next.hostId ||
    base.settings !== next.settings ||
    base.createdAt.getTime() !== next.createdAt.getTime();
  const upsertPeers: PeerInfo[] = [];
  for (const [id, peer] of next.peers) {
    if (base?.peers.get(id) !== peer) upsertPeers.push(peer);
  }
  const deletePeerIds: string[] = [];
  if (base) {
    for (const id of base.peers.keys()) if (!next.peers.has(id)) deletePeerIds.push(id);
  }
  return { partyRow: headerChanged ? next : null, deleteParty: false, upsertPeers, deletePeerIds };
}
