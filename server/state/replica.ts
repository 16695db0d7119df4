/**
 * A server's copy of the shared state, kept current: another server's committed change
 * is applied as it is published (replica-follow.ts). After a refused commit or a reconnect
 * to Redis, what may have been missed is read back from the store (here).
 */
import { applyAccessRow, reloadAccess, type AccessContext } from '../access/context';
import { accessRowId, type AccessRow } from '../access/records';
import type { PartyService } from '../party/party-service';
import type { Presence } from '../presence/presence';
import type { SessionRegistry } from '../connection/sessions';
import type { LoadedState, StoreConflict } from '../store/store';
import type { SharedStore, StoredAccess, StoredOwners, StoredParty } from './backend';
import { replaceCopy } from './replica-copy';

export interface ReplicaTarget {
  service: PartyService;
  sessions: SessionRegistry;
  presence: Presence;
  clock: { now(): number };
  /** Identity bindings, used ids, passwords, invites, bans (absent: not followed). */
  access?: AccessContext;
}

/**
 * Whether the store's copy of a party should replace ours: ours is known stale, or the
 * store's is later, or at the same number another version (ours holds a change the store
 * refused). An earlier one never does: ours may hold a change of this server's being written.
 */
function behind(service: PartyService, id: string, stored: StoredParty): boolean {
  const { versions } = service;
  if (!service.parties.has(id)) return stored.party !== null;
  if (versions.isStale(id)) return true;
  const seq = versions.seqOf(id);
  return stored.seq > seq || (stored.seq === seq && stored.version !== versions.versionOf(id));
}

/**
 * Reads back the parties, ownerships and access rows a refused commit touched. A party whose
 * copy here still ends with a change of that commit is stale until then, and requests on it
 * wait (PartyVersions.taint); it is replaced by the store's, whatever its number. The
 * refused requests are then handled again.
 */
export function reloadConflict(
  target: ReplicaTarget,
  store: SharedStore,
  conflict: StoreConflict,
): Promise<void> {
  const { partyIds, peerIds, access, versions } = conflict.touched;
  const { service } = target;
  // A row changed here after the refused batch is being written on its own: keep it.
  const unwritten = service.unwrittenAccess();
  const watch = service.watchAccess();
  const reloaded = Promise.all([
    store.loadParties(partyIds),
    store.ownersOf(peerIds),
    store.accessOf(access),
  ])
    .then(([parties, owners, rows]) => {
      const now = target.clock.now();
      for (const [id, stored] of parties) {
        if (behind(service, id, stored)) replaceCopy(service, id, stored.party, stored, now);
        markRead(service, id, stored);
      }
      takeOwners(target, owners);
      applyRowsUnchanged(target, rows, new Set([...unwritten, ...watch.keys]));
    })
    .finally(() => watch.stop());
  const settled = reloaded.then(
    () => undefined,
    () => undefined,
  );
  for (const id of partyIds) service.versions.taint(id, versions.get(id), settled);
  return reloaded;
}

/**
 * The copy here was compared with the store's, read at `stored.at`: a change published
 * before that and received after it is not applied (PartyVersions.readSince). Not a copy the
 * store lacks: its deletion may still be on its way (or its creation here being written).
 */
function markRead(service: PartyService, id: string, stored: StoredParty): void {
  if (stored.party === null && service.parties.has(id)) return;
  service.versions.reads.markRead(id, stored.at);
}

/** The store's ownerships, read at `owners.at`, replace ours (and mark the read). */
function takeOwners(target: ReplicaTarget, owners: StoredOwners): void {
  for (const [peerId, token] of owners) {
    target.sessions.applyRemote(peerId, token);
    target.sessions.reads.markRead(peerId, owners.at);
  }
}

/** Reads these parties back where the store has them newer than ours (see behind). */
export async function refreshParties(
  target: ReplicaTarget,
  store: SharedStore,
  partyIds: string[],
): Promise<void> {
  const now = target.clock.now();
  const { service } = target;
  for (const [id, stored] of await store.loadParties(partyIds)) {
    if (stored.party && behind(service, id, stored)) {
      replaceCopy(service, id, stored.party, stored, now);
    }
    markRead(service, id, stored);
  }
}

/** Where the copy here of a party is: absent, or its number and version. */
function copyState(service: PartyService, id: string): string {
  const { versions } = service;
  return service.parties.has(id) ? `${versions.seqOf(id)} ${versions.versionOf(id)}` : '';
}

/**
 * Reads back everything (after a reconnect: changes published meanwhile were missed). Only
 * a party the store has newer than ours replaces it (see behind). What this server may be
 * writing itself right now, its commit not yet back (a party here and not in the store or
 * the other way round, an ownership or access row that differs), is decided once this
 * server's commits so far are written (settleUndecided).
 */
export async function reloadAll(target: ReplicaTarget, store: SharedStore): Promise<void> {
  const { service } = target;
  // A row written here after the read was sent may be missing from it, written or not.
  const unwritten = service.unwrittenAccess();
  const watch = service.watchAccess();
  let undecided: Undecided;
  try {
    const loaded = await store.load();
    const keep = new Set([...unwritten, ...service.unwrittenAccess(), ...watch.keys]);
    undecided = applyLoaded(target, loaded, keep);
  } finally {
    watch.stop();
  }
  const { parties, owners, access } = undecided;
  if (parties.length + owners.size + access.length === 0) return;
  await settleUndecided(target, store, undecided);
}

/** What a reload left to decide once this server's own writes are in. */
interface Undecided {
  parties: string[];
  /** peer id → the owner the store showed. */
  owners: ReadonlyMap<string, string>;
  access: Pick<AccessRow, 'kind' | 'key'>[];
}

/** Takes what the store holds where it cannot be a write of this server's still in flight. */
function applyLoaded(
  target: ReplicaTarget,
  loaded: LoadedState,
  keepAccess: ReadonlySet<string>,
): Undecided {
  const now = target.clock.now();
  const { service } = target;
  const parties = [...service.parties.keys()].filter((id) => !loaded.parties.has(id));
  for (const [id, party] of loaded.parties) {
    const stored = {
      party,
      seq: loaded.seqs?.get(id) ?? 0,
      version: loaded.versions?.get(id) ?? '',
      at: loaded.at,
    };
    if (!service.parties.has(id)) {
      parties.push(id);
      continue;
    }
    if (behind(service, id, stored)) replaceCopy(service, id, party, stored, now);
    markRead(service, id, stored);
  }
  const owners = [...loaded.owners].filter(([id, token]) => target.sessions.ownerOf(id) !== token);
  const rows = loaded.access ?? [];
  const access = target.access ? reloadAccess(target.access, rows, keepAccess, loaded.at) : [];
  return { parties, owners: new Map(owners), access };
}

/**
 * Reads what was left undecided again once every change this server made so far is
 * written, and takes the store's where this server changed nothing since (a change made
 * since is still in flight, or its answer may have passed the read; its commit is checked
 * against the store anyway). A batch that was not written (refused: read back by
 * reloadConflict; the store failing: the reconnect reloads again) leaves them as they are.
 */
async function settleUndecided(
  target: ReplicaTarget,
  store: SharedStore,
  undecided: Undecided,
): Promise<void> {
  const { service, sessions } = target;
  const owners = [...undecided.owners.keys()];
  const before: Before = {
    parties: new Map(undecided.parties.map((id) => [id, copyState(service, id)])),
    owners: new Map(owners.map((id) => [id, sessions.ownerOf(id)])),
    access: service.watchAccess(),
  };
  try {
    if (!(await service.settled())) return;
    const [parties, stored, rows] = await Promise.all([
      store.loadParties(undecided.parties),
      store.ownersOf(owners),
      store.accessOf(undecided.access),
    ]);
    takeUnchanged(target, before, { parties, owners: stored, rows });
  } finally {
    before.access.stop();
  }
}

/** Where this server's copy was when it began to wait for its own writes. */
interface Before {
  parties: ReadonlyMap<string, string>;
  owners: ReadonlyMap<string, string | undefined>;
  /** The access rows changed here since. */
  access: { keys: ReadonlySet<string>; stop: () => void };
}

/** Takes the store's parties, ownerships and rows where the copy here did not change. */
function takeUnchanged(
  target: ReplicaTarget,
  before: Before,
  read: {
    parties: Map<string, StoredParty>;
    owners: StoredOwners;
    rows: StoredAccess;
  },
): void {
  const { service, sessions } = target;
  const now = target.clock.now();
  for (const [id, party] of read.parties) {
    if (copyState(service, id) !== before.parties.get(id)) continue;
    if (!party.party || behind(service, id, party)) {
      replaceCopy(service, id, party.party, party, now);
    }
    markRead(service, id, party);
  }
  const unchanged = [...read.owners].filter(
    ([id]) => sessions.ownerOf(id) === before.owners.get(id),
  );
  takeOwners(target, Object.assign(new Map(unchanged), { at: read.owners.at }));
  applyRowsUnchanged(target, read.rows, before.access.keys);
}

/**
 * The store's access rows, read at `stored.at`, except those this server changed (`changed`)
 * or is writing (and marks the read).
 */
function applyRowsUnchanged(
  target: ReplicaTarget,
  stored: StoredAccess,
  changed: ReadonlySet<string>,
): void {
  const unwritten = target.service.unwrittenAccess();
  for (const row of stored.rows) {
    const key = accessRowId(row);
    if (target.access && !changed.has(key) && !unwritten.has(key)) {
      applyAccessRow(target.access, row);
      target.access.reads.markRead(key, stored.at);
    }
  }
}
