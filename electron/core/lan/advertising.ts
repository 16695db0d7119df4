/**
 * Keeps the LAN's view of what this instance hosts in step with its embedded server: every
 * party it serves is advertised with its current summary, and a party it no longer serves
 * (ended, moved, or the server stopped or listens on loopback only) is withdrawn with a
 * goodbye. Called with the whole hosted set each time, so nothing is diffed twice.
 */
import type { PartyInfo } from '../../../shared/model';
import type { LanDirectory } from '../app-service/discovery-feed';
import { lanSummary, type LanServing } from './summary';

export class LanAdvertising {
  private advertised = new Set<string>();

  constructor(private readonly lan: LanDirectory) {}

  /**
   * `serving`: where the embedded server answers when it listens on the LAN; null withdraws
   * everything.
   * `onlineOf`: how many of a party's members are online (its server's presence).
   */
  sync(
    hosted: readonly PartyInfo[],
    serving: LanServing | null,
    onlineOf: (partyId: string) => number | undefined = () => undefined,
  ): void {
    const now = new Set<string>();
    if (serving !== null) {
      for (const party of hosted) {
        this.lan.advertise(lanSummary(party, serving, onlineOf(party.partyId)));
        now.add(party.partyId);
      }
    }
    for (const partyId of this.advertised) if (!now.has(partyId)) this.lan.withdraw(partyId);
    this.advertised = now;
  }
}
