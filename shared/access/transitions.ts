/**
 * The host's access transitions (issue 10), pure like shared/party/transitions.ts: change
 * the party's settings, remove a member. The server and local mode apply them.
 */
import { ControlPlaneError } from '../protocol/errors';
import type { PartyInfo } from '../model';
import type { PartySettings } from '../party/settings';
import { LeaveReason, type Transition } from '../party/events';

function requireHost(party: PartyInfo, peerId: string): void {
  if (party.hostId !== peerId) {
    throw new ControlPlaneError(`Only the host of ${party.partyId} may do that`, {
      code: 'forbidden',
    });
  }
}

/** The host changes the settings; members are told the settings as they are now. */
export function updateSettings(
  party: PartyInfo,
  byPeerId: string,
  settings: PartySettings,
): Transition {
  requireHost(party, byPeerId);
  const next = party.with({ settings });
  const partyId = party.partyId;
  return { party: next, events: [{ type: 'settings_changed', partyId, settings: next.settings }] };
}

/**
 * The host removes a member (not itself: it leaves, hands over or ends the party instead);
 * `banned`: for good, and the member leaves with that reason.
 */
export function kickPeer(
  party: PartyInfo,
  byPeerId: string,
  peerId: string,
  banned = false,
): Transition {
  requireHost(party, byPeerId);
  if (peerId === party.hostId) {
    throw new ControlPlaneError('The host cannot remove itself: leave or end the party', {
      code: 'bad_request',
      field: 'peer_id',
    });
  }
  if (!party.peers.has(peerId)) {
    throw new ControlPlaneError(`Peer ${peerId} is not in party ${party.partyId}`, {
      code: 'not_found',
    });
  }
  const peers = new Map(party.peers);
  peers.delete(peerId);
  const reason = banned ? LeaveReason.BANNED : LeaveReason.KICKED;
  return {
    party: party.with({ peers }),
    events: [{ type: 'peer_left', partyId: party.partyId, peerId, reason }],
  };
}
