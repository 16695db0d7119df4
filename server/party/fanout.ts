/**
 * Turns the events of one party transition into the wire messages the other members
 * receive. Recipients are the members before the change, minus the peers who caused it
 * (they get a direct answer instead) and minus those who left in it; a host change is told
 * to every member left, its cause included.
 */
import type { PartyInfo } from '../../shared/model';
import type { PartyEvent } from '../../shared/party/events';
import type { ServerMessageInput } from '../../shared/protocol';

export interface Delivery {
  recipients: string[];
  message: ServerMessageInput;
  /**
   * What connections older than 1.3 get instead, under the same `seq` (a `party_update`
   * snapshot where `message` is a `peer_updated` event they do not know).
   */
  legacy?: ServerMessageInput;
}

/** The party as members see it (`party_update` with presence). */
export type Snapshot = (party: PartyInfo) => ServerMessageInput;

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
    case 'peer_left':
      return {
        type: 'peer_left',
        party_id: event.partyId,
        peer_id: event.peerId,
        reason: event.reason,
      };
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

export function deliveriesFor(
  before: PartyInfo | null,
  after: PartyInfo | null,
  events: readonly PartyEvent[],
  actors: ReadonlySet<string>,
  snapshot: Snapshot,
): Delivery[] {
  const recipients = recipientsOf(before, events, actors);
  const members = after ? [...after.peers.keys()] : [];
  const deliveries: Delivery[] = [];
  const updates: PartyEvent[] = [];
  for (const event of events) {
    if (event.type === 'peer_updated' || event.type === 'settings_changed') {
      updates.push(event);
      continue;
    }
    const message = messageFor(event);
    const to = event.type === 'host_changed' ? members : recipients;
    if (message && to.length > 0) deliveries.push({ recipients: to, message });
  }
  if (updates.length > 0 && after && recipients.length > 0) {
    deliveries.push(updateDelivery(updates, recipients, snapshot(after)));
  }
  return deliveries;
}

/**
 * One peer's profile change is a `peer_updated` event (1.3), with the snapshot for older
 * connections; settings, or several peers changed at once, stay one snapshot for everyone.
 */
function updateDelivery(
  updates: readonly PartyEvent[],
  recipients: string[],
  snapshot: ServerMessageInput,
): Delivery {
  const only = updates.length === 1 ? updates[0] : undefined;
  if (only?.type !== 'peer_updated') return { recipients, message: snapshot };
  const message: ServerMessageInput = {
    type: 'peer_updated',
    party_id: only.partyId,
    peer: only.peer.toDict(),
  };
  return { recipients, message, legacy: snapshot };
}
