/**
 * A server's copy of the shared state, kept current: another server's committed change
 * (replication.ts) replaces the parties it names, updates ownerships and presence, and its
 * frames go to this server's own connections. After a refused commit or a reconnect to
 * Redis, what may have been missed is read back from the store.
 */
import type { Logger } from '../../shared/logger';
import { applyAccessRow, reloadAccess, type AccessContext } from '../access/access-context';
import { isAccessKind } from '../access/access-records';
import type { PartyService } from '../party/party-service';
import type { Presence } from '../presence/presence';
import type { SessionRegistry } from '../connection/sessions';
import type { StoreConflict } from '../store/store';
import type { SharedStore } from './backend';
import { ChangeMessageSchema, isOwnChange, readParty, type ChangeMessage } from './replication';

export interface ReplicaTarget {
  service: PartyService;
  sessions: SessionRegistry;
  presence: Presence;
  clock: { now(): number };
  /** Identity bindings, used ids, passwords, invites, bans (absent: not followed). */
  access?: AccessContext;
}

/** Applies one published change; one from this server itself is skipped. */
export function applyChange(target: ReplicaTarget, change: ChangeMessage, self: string): void {
  if (change.from === self) return;
  const now = target.clock.now();
  const { service, sessions } = target;
  for (const [id, seq, value] of change.parties) {
    if (value === '=') service.replicaSeq(id, seq);
    else service.replaceReplica(id, value === '' ? null : readParty(value), seq, now);
  }
  for (const [peerId, token] of change.owners) sessions.applyRemote(peerId, token || null);
  for (const [partyId, peerId, presence] of change.presence) {
    service.presence.applyRemote({ partyId, peerId, presence }, now);
  }
  for (const [partyId, peerId, at] of change.seen) {
    service.presence.seenRemote(partyId, peerId, at);
  }
  for (const [kind, key, value] of change.access) {
    if (target.access && isAccessKind(kind)) applyAccessRow(target.access, { kind, key, value });
  }
  for (const [recipients, frame] of change.fanout) target.presence.sendToPeers(recipients, frame);
}

/** A raw message from the channel: validated, applied; a bad one is logged and dropped. */
export function receive(target: ReplicaTarget, raw: string, self: string, logger: Logger): void {
  if (isOwnChange(raw, self)) return;
  let parsed;
  try {
    parsed = ChangeMessageSchema.safeParse(JSON.parse(raw));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) return logger.warn('Ignoring an unreadable change from Redis');
  try {
    applyChange(target, parsed.data, self);
  } catch (error) {
    logger.warn(`Could not apply a change from Redis: ${String(error)}`);
  }
}

/**
 * Reads back the parties, ownerships and access rows a refused commit touched: the batch is undone here
 * as it was in the store (its requests are then handled again).
 */
export async function reloadConflict(
  target: ReplicaTarget,
  store: SharedStore,
  conflict: StoreConflict,
): Promise<void> {
  const now = target.clock.now();
  const { partyIds, peerIds, access } = conflict.touched;
  const [parties, owners, rows] = await Promise.all([
    store.loadParties(partyIds),
    store.ownersOf(peerIds),
    store.accessOf(access),
  ]);
  for (const [id, { party, seq }] of parties) target.service.replaceReplica(id, party, seq, now);
  for (const [peerId, token] of owners) target.sessions.applyRemote(peerId, token);
  for (const row of rows) if (target.access) applyAccessRow(target.access, row);
}

/** Reads these parties back where the store has them at a later number than ours. */
export async function refreshParties(
  target: ReplicaTarget,
  store: SharedStore,
  partyIds: string[],
): Promise<void> {
  const now = target.clock.now();
  const { service } = target;
  for (const [id, { party, seq }] of await store.loadParties(partyIds)) {
    if (party && (!service.parties.has(id) || seq > service.seqOf(id))) {
      service.replaceReplica(id, party, seq, now);
    }
  }
}

/**
 * Reads back everything (after a reconnect: changes published meanwhile were missed). Only
 * a party the store has at a later number replaces ours: ours may be ahead, with a change
 * of this server's that is being written (were the two different at one number, the
 * commit is refused and the party read back then).
 */
export async function reloadAll(target: ReplicaTarget, store: SharedStore): Promise<void> {
  const loaded = await store.load();
  const now = target.clock.now();
  const { service } = target;
  for (const id of [...service.parties.keys()]) {
    if (!loaded.parties.has(id)) service.replaceReplica(id, null, 0, now);
  }
  for (const [id, party] of loaded.parties) {
    const seq = loaded.seqs?.get(id) ?? 0;
    if (!service.parties.has(id) || seq > service.seqOf(id)) {
      service.replaceReplica(id, party, seq, now);
    }
  }
  for (const [peerId, token] of loaded.owners) target.sessions.applyRemote(peerId, token);
  if (target.access) reloadAccess(target.access, loaded.access ?? []);
}
