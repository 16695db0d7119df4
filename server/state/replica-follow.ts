/**
 * Another server's committed change, as published (replication.ts), applied to this
 * server's copy: it replaces the parties it names, updates ownerships and presence, and its
 * frames go to this server's own connections.
 */
import type { Logger } from '../../shared/logger';
import { applyAccessRow } from '../access/context';
import { accessRowId, isAccessKind } from '../access/records';
import type { PresenceDict } from '../../shared/presence';
import { isEpochMs } from '../../shared/time/timestamp';
import { isSignalPush } from '../connection/signal-push';
import { moveNumber, replaceCopy } from './replica-copy';
import type { ReplicaTarget } from './replica';
import { ChangeMessageSchema, isOwnChange, readParty, type ChangeMessage } from './replication';

/**
 * Applies one published change; one from this server itself is skipped. Returns the parties
 * whose copy here turned out not to be the version the change was made on (to read back).
 */
export function applyChange(target: ReplicaTarget, change: ChangeMessage, self: string): string[] {
  if (change.from === self) return [];
  const now = target.clock.now();
  const { service, sessions } = target;
  const stale: string[] = [];
  for (const [id, seq, value, version = '', base] of change.parties) {
    if (service.versions.reads.readSince(id, change.commit)) continue;
    if (value !== '=') {
      const party = value === '' ? null : readParty(value, service.parties.get(id));
      replaceCopy(service, id, party, { seq, version }, now);
    } else if (!moveNumber(service, id, { seq, version }, base)) {
      stale.push(id);
    }
  }
  for (const [peerId, token] of change.owners) {
    if (!sessions.reads.readSince(peerId, change.commit))
      sessions.applyRemote(peerId, token || null);
  }
  // The sender's times on our clock (0 from an older server, which does not say its own).
  const shift = change.at === undefined ? 0 : now - change.at;
  for (const [partyId, peerId, presence] of change.presence) {
    const here = shift === 0 ? presence : onOurClock(presence, shift);
    service.presence.applyRemote({ partyId, peerId, presence: here }, now);
  }
  // On our clock one may leave what a Date holds (clocks far apart): seenRemote skips it.
  for (const [partyId, peerId, at] of change.seen) {
    service.presence.seenRemote(partyId, peerId, at + shift, now);
  }
  const { access } = target;
  for (const [kind, key, value] of change.access) {
    if (!access || !isAccessKind(kind)) continue;
    if (!access.reads.readSince(accessRowId({ kind, key }), change.commit)) {
      applyAccessRow(access, { kind, key, value });
    }
  }
  for (const [recipients, frame] of change.fanout) {
    if (!isSignalPush(frame)) target.presence.sendToPeers(recipients, frame);
    else for (const to of recipients) target.presence.offerToPeer(to, frame);
  }
  return stale;
}

function onOurClock(presence: PresenceDict, shift: number): PresenceDict {
  const at = Date.parse(presence.last_seen);
  // Kept as sent when it is not a time, or would not be one on our clock: toISOString would
  // throw halfway through applyChange, leaving the change partly applied.
  if (!Number.isFinite(at) || !isEpochMs(at + shift)) return presence;
  return { ...presence, last_seen: new Date(at + shift).toISOString() };
}

/**
 * A raw message from the channel: validated, applied; a bad one is logged and dropped.
 * Returns the parties to read back (applyChange).
 */
export function receive(
  target: ReplicaTarget,
  raw: string,
  self: string,
  logger: Logger,
): string[] {
  if (isOwnChange(raw, self)) return [];
  let parsed;
  try {
    parsed = ChangeMessageSchema.safeParse(JSON.parse(raw));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) {
    logger.warn('Ignoring an unreadable change from Redis');
    return [];
  }
  try {
    return applyChange(target, parsed.data, self);
  } catch (error) {
    logger.warn(`Could not apply a change from Redis: ${String(error)}`);
    return [];
  }
}
