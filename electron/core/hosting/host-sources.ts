/**
 * Where parties hosted elsewhere (found by mDNS on the LAN) are announced: the sources
 * LocalHosting asks after this PC's discovery.json, and the rule for picking among them.
 */
import type { DiscoveredHost } from './discovery-board';
import { pinOf } from '../client/link/pinned-tls';

/** Parties hosted elsewhere (e.g. found by mDNS on the LAN), by party id. */
export interface HostSource {
  /** The parties it lists, at their one host each. */
  hosts(): ReadonlyMap<string, DiscoveredHost>;
  /** Every place announcing `partyId`, those it does not list (contested) included. */
  claims?(partyId: string): DiscoveredHost[];
  onChange(listener: () => void): () => void;
  /** Asks the network for its parties now (an mDNS browse query). */
  ask?(): void;
  /** Whether it cannot send to the network (lan/send-health.ts). */
  blocked?(): boolean;
}

export class HostSources {
  private readonly sources = new Set<HostSource>();

  /** Adds `source`, telling `onChange` of its changes; returns remove. */
  add(source: HostSource, onChange: () => void): () => void {
    this.sources.add(source);
    const stop = source.onChange(onChange);
    return () => {
      stop();
      this.sources.delete(source);
    };
  }

  /** Whether a source cannot send to the network: nobody nearby hears or answers it. */
  blocked(): boolean {
    return [...this.sources].some((source) => source.blocked?.() === true);
  }

  /** Asks every source that can to look on the network now; false: none can. */
  ask(): boolean {
    let asked = false;
    for (const source of this.sources) {
      if (!source.ask) continue;
      source.ask();
      asked = true;
    }
    return asked;
  }

  /**
   * The places to try for `partyId`, best first. With `pin`, each place announcing it with
   * that pin: a stranger can copy a pin into its announcement, not the certificate, so the
   * real host is among them whoever was heard first. Else (none) the one place listing it.
   */
  placesOf(partyId: string, pin?: string): DiscoveredHost[] {
    const pinned = new Map<string, DiscoveredHost>();
    let listed: DiscoveredHost | undefined;
    for (const source of this.sources) {
      const found = source.hosts().get(partyId);
      listed ??= found;
      if (pin === undefined) continue;
      for (const claim of [...(found ? [found] : []), ...(source.claims?.(partyId) ?? [])]) {
        if (pinOf(claim.controlUrl) === pin) pinned.set(claim.controlUrl, claim);
      }
    }
    if (pinned.size > 0) return [...pinned.values()];
    return listed ? [listed] : [];
  }
}
