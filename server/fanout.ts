/**
 * Turns the events of one party transition into the wire messages the other members
 * receive. Recipients are the members before the change, minus the peers who caused it
 * (they get a direct answer instead) and minus those who left in it; a host change is told
 * to every member left, its cause included.
 */
import type { PartyInfo } from '../shared/model';
import type { PartyEvent } from '../shared/party-transitions';
import type { ServerMessageInput } from '../shared/protocol';

export interface Delivery {
  recipients: string[];
  message: ServerMessageInput;
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
      return { type: 'peer_joined', party_id: event.partyId, peer: event.peer.toDict() };
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
  let updated = false;
  for (const event of events) {
    // A changed peer or changed settings: the others get the party anew.
    if (event.type === 'peer_updated' || event.type === 'settings_changed') {
      updated = true;
      continue;
    }
    const message = messageFor(event);
    const to = event.type === 'host_changed' ? members : recipients;
    if (message && to.length > 0) deliveries.push({ recipients: to, message });
  }
  // One snapshot covers any number of updated peers in the transition.
  if (updated && after && recipients.length > 0) {
    deliveries.push({ recipients, message: snapshot(after) });
  }
  return deliveries;
}
