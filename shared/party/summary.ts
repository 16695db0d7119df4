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
 * "Party is full": `memberCount` members leave no room under `maxPeers`. The one rule for the
 * server's join decisions, the party engine and every list that marks a party full; a limit
 * lowered below the members already in counts as full too.
 */
export function isFull(memberCount: number, maxPeers: number): boolean {
  return memberCount >= maxPeers;
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
