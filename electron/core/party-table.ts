/**
 * The parties a control plane holds in memory: each party as last committed, the ones this
 * instance's own peer is a member of, and who is online in each (the presence book).
 */
import type { PartyInfo } from '../../shared/model';
import type { Transition } from '../../shared/party/events';
import { PresenceBook } from './presence-book';

export class PartyTable {
  readonly parties = new Map<string, PartyInfo>();
  /** Parties `myPeerId` is a member of. */
  readonly mine = new Set<string>();
  /** Who is online in each party, kept by the same transitions. */
  readonly presence = new PresenceBook();

  /**
   * Stores (or deletes) a transition's party, tracks membership and presence; returns the
   * party as it was before.
   */
  apply(partyId: string, t: Transition, myPeerId: string | null): PartyInfo | null {
    const before = this.parties.get(partyId) ?? null;
    if (t.party) this.parties.set(partyId, t.party);
    else this.parties.delete(partyId);
    if (t.party !== null && myPeerId !== null && t.party.peers.has(myPeerId))
      this.mine.add(partyId);
    else this.mine.delete(partyId);
    this.presence.track(partyId, t.party, t.events);
    return before;
  }
}
