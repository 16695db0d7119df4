/**
 * This server's copy of a party, replaced by what another server committed (a published
 * change, or the store read back): members come and go in the presence table with it.
 */
import type { PartyInfo } from '../../shared/model';
import type { PartyService } from '../party/party-service';

/** The committed party (null: gone) at its number and version replaces the copy here. */
export function replaceCopy(
  service: PartyService,
  partyId: string,
  party: PartyInfo | null,
  at: { seq: number; version: string },
  now: number,
): void {
  const { parties, presence, versions } = service;
  const before = parties.get(partyId);
  if (!party) {
    parties.delete(partyId);
    versions.delete(partyId);
    presence.dropParty(partyId);
    return;
  }
  parties.set(partyId, party);
  versions.set(partyId, at.seq, at.version);
  for (const peerId of before?.peers.keys() ?? []) {
    if (!party.peers.has(peerId)) presence.remove(partyId, peerId);
  }
  for (const peerId of party.peers.keys()) {
    if (!before?.peers.has(peerId)) presence.join(partyId, peerId, now);
  }
}

/**
 * Another server numbered an event of the party (a presence change) made on version
 * `base`. Returns false when the copy here is not that version (it is then marked stale:
 * read it back), as its content would be taken for the new version's. `base` is absent
 * from a server older than versions: taken as it is.
 */
export function moveNumber(
  service: PartyService,
  partyId: string,
  at: { seq: number; version: string },
  base: string | undefined,
): boolean {
  const { versions } = service;
  if (!service.parties.has(partyId)) return true;
  if (base !== undefined && base !== versions.versionOf(partyId)) {
    versions.markStale(partyId);
    return false;
  }
  versions.set(partyId, at.seq, at.version);
  return true;
}
