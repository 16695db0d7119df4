import type { PartyInfo, PeerDict } from '../../shared/model';
import {
  CloseReason,
  HostChangeReason,
  LeaveReason,
  type PartyEvent,
} from '../../shared/party-transitions';

/** Whether two snapshots of a party say exactly the same thing. */
export function sameParty(a: PartyInfo, b: PartyInfo): boolean {
  return JSON.stringify(a.toDict()) === JSON.stringify(b.toDict());
}

function withoutLastSeen(peer: PeerDict): string {
  const { last_seen: _ignored, ...rest } = peer;
  return JSON.stringify(rest);
}

/**
 * The events that explain how a party another process changed differs from our copy.
 * The transitions themselves ran in that process; this only describes their outcome.
 */
export function diffParty(before: PartyInfo, after: PartyInfo | null): PartyEvent[] {
  const partyId = before.partyId;
  if (after === null) return [{ type: 'party_closed', partyId, reason: CloseReason.HOST_LEFT }];
  const events: PartyEvent[] = [];
  for (const [id, peer] of after.peers) {
    const old = before.peers.get(id);
    if (!old) events.push({ type: 'peer_joined', partyId, peer });
    else if (withoutLastSeen(old.toDict()) !== withoutLastSeen(peer.toDict())) {
      events.push({ type: 'peer_updated', partyId, peer });
    }
  }
  for (const id of before.peers.keys()) {
    if (!after.peers.has(id)) {
      events.push({ type: 'peer_left', partyId, peerId: id, reason: LeaveReason.LEFT });
    }
  }
  if (after.hostId !== before.hostId) {
    // The file says who the host is, not why: a host still in the party handed over (or
    // was replaced while offline), one that is gone left.
    const reason = after.peers.has(before.hostId)
      ? HostChangeReason.TRANSFER
      : HostChangeReason.HOST_LEFT;
    events.push({ type: 'host_changed', partyId, hostId: after.hostId, reason });
  }
  return events;
}
