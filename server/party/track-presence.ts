/**
 * Keeps the presence table's members in step with a party's events: who joined (or came
 * back with a new profile) is present from then, who left or whose party closed is gone.
 */
import type { PartyEvent } from '../../shared/party/events';
import type { PresenceTracker } from '../presence/presence-table';

export function trackPresence(presence: PresenceTracker, events: readonly PartyEvent[]): void {
  for (const e of events) {
    if (e.type === 'party_created') {
      presence.join(e.party.partyId, e.party.hostId, e.party.createdAt.getTime());
    } else if (e.type === 'peer_joined' || e.type === 'peer_updated') {
      presence.join(e.partyId, e.peer.peerId, e.peer.lastSeen.getTime());
    } else if (e.type === 'peer_left') {
      presence.remove(e.partyId, e.peerId);
    } else if (e.type === 'party_closed') {
      presence.dropParty(e.partyId);
    }
  }
}
