/**
 * Turns the events of one party transition into the wire messages the other members
 * receive. Recipients are the members before the change, minus the peers who caused it
 * (they get a direct answer instead) and minus those who left in it; a host change is told
 * to every member left, its cause included.
 */
import type { PartyInfo } from '../../shared/model';
import { LeaveReason, type PartyEvent } from '../../shared/party/events';
import { settingsToDict } from '../../shared/party/settings';
import {
  BAN_REASON_SINCE,
  PEER_EVENTS_SINCE,
  SETTINGS_EVENTS_SINCE,
  type ServerMessageInput,
} from '../../shared/protocol/protocol';

/** What connections that declared a `hello.version` below `since` get instead of an event. */
export interface Legacy {
  message: ServerMessageInput;
  /** The protocol level (shared/protocol/protocol.ts protocolLevel) that understands the event. */
  since: number;
}

export interface Delivery {
  recipients: string[];
  message: ServerMessageInput;
  /**
   * What older connections get instead, under the same `seq`: a `party_update` snapshot where
   * `message` is an event they do not know (`peer_updated`, `settings_changed`); `kicked`
   * where it is a `banned` they do not know.
   */
  legacy?: Legacy;
  /** The event of the delivery before it, said otherwise to other recipients: its number too. */
  sameSeq?: true;
}

/** The party as members see it (`party_update` with presence). */
export type Snapshot = (party: PartyInfo) => ServerMessageInput;

/** The version from which each event that older clients took as a snapshot is understood. */
const EVENT_SINCE: Partial<Record<PartyEvent['type'], number>> = {
  peer_updated: PEER_EVENTS_SINCE,
  settings_changed: SETTINGS_EVENTS_SINCE,
};

function recipientsOf(
  before: PartyInfo | null,
  events: readonly PartyEvent[],
  actors: ReadonlySet<string>,
): string[] {
  if (!before) return [];
  const gone = new Set<string>();
  for (const e of events) if (e.type === 'peer_left') gone.add(e.peerId);
  const out: string[] = [];
  for (const id of before.peers.keys()) if (!gone.has(id) && !actors.has(id)) out.push(id);
  return out;
}

export function messageFor(event: PartyEvent): ServerMessageInput | null {
  switch (event.type) {
    case 'peer_joined':
      return {
        type: 'peer_joined',
        party_id: event.partyId,
        peer: event.peer.toDict(),
        ...(event.presence && { presence: event.presence }),
      };
    case 'peer_updated':
      return { type: 'peer_updated', party_id: event.partyId, peer: event.peer.toDict() };
    case 'settings_changed':
      return {
        type: 'settings_changed',
        party_id: event.partyId,
        settings: settingsToDict(event.settings),
      };
    case 'peer_left':
      return {
        type: 'peer_left',
        party_id: event.partyId,
        peer_id: event.peerId,
        // A ban is said as one only to the host who banned (banDeliveries).
        reason: event.reason === LeaveReason.BANNED ? LeaveReason.KICKED : event.reason,
      };
    default:
      return partyMessageFor(event);
  }
}

function partyMessageFor(event: PartyEvent): ServerMessageInput | null {
  switch (event.type) {
    case 'party_closed':
      return { type: 'party_closed', party_id: event.partyId, reason: event.reason };
    case 'host_changed':
      return {
        type: 'host_changed',
        party_id: event.partyId,
        host_id: event.hostId,
        reason: event.reason,
      };
    case 'peer_status':
      return {
        type: 'peer_status',
        party_id: event.partyId,
        peer_id: event.peerId,
        ...event.presence,
      };
    default:
      return null;
  }
}

/**
 * A ban's `peer_left`: `banned` to the host who banned (`kicked` if it declared less than
 * 1.11), `kicked` to the other members, who are told no more than for a kick. One event, so
 * one number for both.
 */
function banDeliveries(
  event: Extract<PartyEvent, { type: 'peer_left' }>,
  to: string[],
  hostId: string | undefined,
): Delivery[] {
  const said = (reason: LeaveReason): ServerMessageInput => ({
    type: 'peer_left',
    party_id: event.partyId,
    peer_id: event.peerId,
    reason,
  });
  const kicked = said(LeaveReason.KICKED);
  const others = to.filter((id) => id !== hostId);
  if (hostId === undefined || others.length === to.length) {
    return [{ recipients: others, message: kicked }];
  }
  const toHost: Delivery = {
    recipients: [hostId],
    message: said(LeaveReason.BANNED),
    legacy: { message: kicked, since: BAN_REASON_SINCE },
  };
  if (others.length === 0) return [toHost];
  return [toHost, { recipients: others, message: kicked, sameSeq: true }];
}

/**
 * One numbered message per event, in the transition's order (the caller numbers them). A
 * profile or settings change is an event too: snapshots go only to connections too old for
 * it (`legacy`), and to clients that ask on (re)sync.
 */
export function deliveriesFor(
  before: PartyInfo | null,
  after: PartyInfo | null,
  events: readonly PartyEvent[],
  actors: ReadonlySet<string>,
  snapshot: Snapshot,
): Delivery[] {
  const recipients = recipientsOf(before, events, actors);
  const members = after ? [...after.peers.keys()] : [];
  let legacyMessage: ServerMessageInput | undefined;
  const deliveries: Delivery[] = [];
  for (const event of events) {
    const message = messageFor(event);
    const to = event.type === 'host_changed' ? members : recipients;
    if (!message || to.length === 0) continue;
    if (event.type === 'peer_left' && event.reason === LeaveReason.BANNED) {
      deliveries.push(...banDeliveries(event, to, (after ?? before)?.hostId));
      continue;
    }
    const since = EVENT_SINCE[event.type];
    if (since === undefined) {
      deliveries.push({ recipients: to, message });
      continue;
    }
    if (!after) continue; // the party is gone: there is nothing left to update
    // One snapshot (the party after the change) stands in for each such event.
    legacyMessage ??= snapshot(after);
    deliveries.push({ recipients: to, message, legacy: { message: legacyMessage, since } });
  }
  return deliveries;
}
