/**
 * A party as a stranger may see it (issue 10): name, host, size and who may join; never
 * addresses, ports or keys. The server answers it to non-members; the app shows it for an
 * invite link and in Browse; local mode builds it from discovery.
 */
import type { PartySummaryDict } from '../access/protocol';
import type { PartyInfo } from '../model';
import { JoinPolicy, Visibility, type PartySettings } from './settings';

export function partySummary(party: PartyInfo): PartySummaryDict {
  const s = party.settings;
  return {
    party_id: party.partyId,
    name: party.name,
    host_name: party.peers.get(party.hostId)?.name ?? '',
    peer_count: party.peers.size,
    max_peers: s.maxPeers,
    join_policy: s.joinPolicy,
    visibility: s.visibility,
    locked: s.locked,
  };
}

/**
 * Whether strangers must bring a valid invite to see even the summary: a private party that
 * lets in only invited players. Its ID alone gets nobody in, so it tells nobody more than
 * that it exists and asks for an invite (a banned member, a leaked ID, a guessed short one).
 */
export function summaryNeedsInvite(settings: PartySettings): boolean {
  return (
    settings.joinPolicy === JoinPolicy.INVITE_ONLY && settings.visibility === Visibility.PRIVATE
  );
}
