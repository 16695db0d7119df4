/**
 * The client's copy of who is online in each party it knows: set from the server's
 * snapshot (`party_update.presence`), then kept by the party events (`peer_status`,
 * `peer_joined`, `peer_left`), each applied once. In local mode it is derived from last
 * seen by the one heartbeat-health rule.
 */
import type { PartyInfo, PeerInfo } from '../../shared/model';
import type { PartyEvent } from '../../shared/party/events';
import { isHeartbeatFresh, PresenceStatus, type PresenceDict } from '../../shared/presence';

const EMPTY: ReadonlyMap<string, PresenceDict> = new Map();

export class PresenceBook {
  private readonly parties = new Map<string, Map<string, PresenceDict>>();

  of(partyId: string): ReadonlyMap<string, PresenceDict> {
    return this.parties.get(partyId) ?? EMPTY;
  }

  set(partyId: string, presence: ReadonlyMap<string, PresenceDict>): void {
    this.parties.set(partyId, new Map(presence));
  }

  /** Applies a committed transition's events; a party that is gone is forgotten. */
  track(partyId: string, party: PartyInfo | null, events: readonly PartyEvent[]): void {
    if (!party) {
      this.parties.delete(partyId);
      return;
    }
    let members = this.parties.get(partyId);
    if (!members) this.parties.set(partyId, (members = new Map<string, PresenceDict>()));
    for (const e of events) {
      if (e.type === 'peer_status') members.set(e.peerId, e.presence);
      else if (e.type === 'party_created') {
        for (const peer of e.party.peers.values()) {
          if (!members.has(peer.peerId)) members.set(peer.peerId, joinedPresence(peer));
        }
      } else if (e.type === 'peer_left') members.delete(e.peerId);
      else if (e.type === 'peer_joined') {
        members.set(e.peer.peerId, e.presence ?? joinedPresence(e.peer));
      }
    }
  }

  /**
   * Local mode has no server to say who is online: each member's status follows from its
   * last heartbeat. Returns `peer_status` events for the members whose status changed.
   */
  derive(party: PartyInfo, now: number, intervalMs: number): PartyEvent[] {
    let members = this.parties.get(party.partyId);
    if (!members) this.parties.set(party.partyId, (members = new Map<string, PresenceDict>()));
    const events: PartyEvent[] = [];
    for (const peer of party.peers.values()) {
      const lastSeen = peer.lastSeen.getTime();
      const status = isHeartbeatFresh(lastSeen, now, intervalMs)
        ? PresenceStatus.ONLINE
        : PresenceStatus.OFFLINE;
      const was = members.get(peer.peerId);
      const presence = { status, last_seen: peer.lastSeen.toISOString(), rtt_ms: null };
      // First sight, or only last seen moved: remembered, nothing to tell.
      if (!was || was.status === status) members.set(peer.peerId, presence);
      else
        events.push({ type: 'peer_status', partyId: party.partyId, peerId: peer.peerId, presence });
    }
    return events;
  }
}

function joinedPresence(peer: PeerInfo): PresenceDict {
  return { status: PresenceStatus.ONLINE, last_seen: peer.lastSeen.toISOString(), rtt_ms: null };
}
