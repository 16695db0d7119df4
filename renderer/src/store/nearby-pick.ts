/** A party picked under "Parties nearby": what the join dialog shows of it before Join. */
import type { DiscoveredParty, InvitePreview } from '../../../shared/ipc/app-state';
import { previewOf } from '../../../shared/ipc/invite-preview';
import type { JoinPolicy } from '../../../shared/party/settings';

/** What the join dialog shows of a nearby party before the user says Join. */
export interface NearbyPick {
  preview: InvitePreview;
  /** e.g. "on this PC" or "on your network at 192.168.1.20". */
  where: string;
  /** Who may join, as listed (null: not told): a password party's dialog asks for it at once. */
  joinPolicy: JoinPolicy | null;
}

export function nearbyPick(party: DiscoveredParty): NearbyPick {
  const { party_id, name, host_name, peer_count, host_pin, join_policy } = party;
  return {
    preview: {
      // Joined as a link naming it: the PC that was listed, not whoever claims the ID by then.
      ...previewOf(party_id, null, { pin: host_pin }),
      name,
      host_name,
      peer_count,
    },
    where:
      party.where === 'lan'
        ? `on your network at ${party.address ?? 'an unknown address'}`
        : 'on this PC',
    joinPolicy: join_policy,
  };
}
