import type { PartyInfo } from '../../../shared/model';
import type { PresenceDict } from '../../../shared/presence';

/**
 * `party` with each member its server last called online seen at `heard`, when the server
 * last answered us: for hosting it again here. A member's own last_seen is its last status
 * change (when it joined): the embedded server counted its offline time from there, listing a
 * friend online all along as "offline for 6 min, removal due" and sweeping it out within a
 * minute.
 */
export function seenWhenLastHeard(
  party: PartyInfo,
  presence: ReadonlyMap<string, PresenceDict>,
  heard: Date,
): PartyInfo {
  const peers = new Map(party.peers);
  for (const [peerId, peer] of peers) {
    const wasOnline = presence.get(peerId)?.status === 'online';
    if (wasOnline && peer.lastSeen < heard) peers.set(peerId, peer.with({ lastSeen: heard }));
  }
  return party.with({ peers });
}
