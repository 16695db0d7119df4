/**
 * Where the server's state lives, behind one seam (the shape of colyseus' Presence and
 * driver): the party store (parties, event numbers, ownerships, last seen), the lock that
 * picks the one server that sweeps, and, for a store several servers share, following the
 * others' changes. Two implement it: the embedded backend (embedded.ts: one server alone on
 * its SQLite or file store) and the Redis one (redis/backend.ts, loaded only when `--redis`
 * is given, so nothing else loads a Redis client).
 *
 * Access control's state (identity key bindings, used party ids, password hashes, invites,
 * bans: server/access/records.ts) rides in the same commit (StoreBatch.access) as
 * rows of (kind, key, value): SQLite keeps them in its `access` table, Redis in one hash,
 * and the other servers apply them from the published change (replica-follow.ts).
 */
import type { PartyInfo } from '../../shared/model';
import type { AccessRow } from '../access/records';
import type { GuessLimiter } from '../access/guess-throttle';
import type { LoadedState, PartyStore, StoreConflict } from '../store/store';
import type { LeaderLock } from './leader-lock';
import type { ReplicaTarget } from './replica';

export interface StateBackend {
  store: PartyStore;
  leader: LeaderLock;
  /** Other servers commit to the same store: a party this server lacks may be there. */
  readonly shared: boolean;
  /** Starts applying the other servers' changes to this server's state. */
  follow(target: ReplicaTarget): Promise<void>;
  /** A commit was refused (another server moved first): read back what it touched. */
  onConflict(conflict: StoreConflict, target: ReplicaTarget): Promise<void>;
  /** Reads these parties back if the store has them newer than this server's copy. */
  refresh(partyIds: string[], target: ReplicaTarget): Promise<void>;
  /** The wrong-password throttle every server sharing the store counts in. */
  guesses(now: () => number): GuessLimiter;
  /** Stops following and lets the lock go (the store is closed by the server). */
  close(): Promise<void>;
}

/** A party as a shared store holds it (null: absent), with its number and version. */
export interface StoredParty {
  party: PartyInfo | null;
  seq: number;
  version: string;
  /** The store's commit count when it was read (absent: a store that counts none). */
  at?: number;
}

/** Who owns these peer ids (null: nobody), read at the store's commit count `at`. */
export type StoredOwners = Map<string, string | null> & { at?: number };
/** Access rows as stored (value null: absent), read at commit count `at`. */
export interface StoredAccess {
  rows: AccessRow[];
  at?: number;
}

/** What a shared store can read back for a server whose copy fell behind. */
export interface SharedStore {
  load(): Promise<LoadedState>;
  loadParties(ids: string[]): Promise<Map<string, StoredParty>>;
  ownersOf(peerIds: string[]): Promise<StoredOwners>;
  accessOf(rows: Pick<AccessRow, 'kind' | 'key'>[]): Promise<StoredAccess>;
}
