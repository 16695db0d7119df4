/**
 * What our embedded server serves for someone else: a party handed over runs on the app
 * that made it until that app quits, and its user was told nothing of why it still listened.
 */
import type { PartyInfo } from '../../../shared/model';
import type { ServedParty } from '../../../shared/status';

/** The parties among `hosted` whose host is not me, by name and their host's name. */
export function servedFor(hosted: readonly PartyInfo[], myPeerId: string | null): ServedParty[] {
  return hosted
    .filter((party) => party.hostId !== myPeerId)
    .map((party) => ({
      party: party.name,
      host: party.peers.get(party.hostId)?.name ?? 'its host',
    }));
}

/** Whether two lists say the same (the server tells every presence change: most say none). */
export function sameServed(a: readonly ServedParty[], b: readonly ServedParty[]): boolean {
  return (
    a.length === b.length && a.every((p, i) => p.party === b[i]!.party && p.host === b[i]!.host)
  );
}
