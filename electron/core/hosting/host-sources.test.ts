/** Which of the places announcing a LAN party are tried, and in what order. */
import { describe, expect, it } from 'vitest';
import { PartyInfo } from '../../../shared/model';
import type { DiscoveredHost } from './discovery-board';
import { HostSources } from './host-sources';

const PARTY = 'party_sources_01';
const party = new PartyInfo({
  partyId: PARTY,
  name: 'LAN',
  hostId: '',
  createdAt: new Date(0),
  peers: new Map(),
});
const at = (address: string, pin: string): DiscoveredHost => ({
  party,
  controlUrl: `wss://${address}:8669/ws?pin=${pin}&plain=8666`,
  hostPid: 0,
  hostInstance: address,
});

/** A source listing `listed` (if any) and claiming `claims` for PARTY. */
function sourceOf(listed: DiscoveredHost | null, claims: DiscoveredHost[] = []) {
  return {
    hosts: () => new Map(listed ? [[PARTY, listed]] : []),
    claims: (id: string) => (id === PARTY ? claims : []),
    onChange: () => () => undefined,
  };
}

const urls = (hosts: DiscoveredHost[]) => hosts.map((host) => host.controlUrl);

describe('the places to try for a LAN party', () => {
  it('with a pin, are every claim announcing it, across sources, each once, first heard first', () => {
    const copied = at('10.0.0.9', 'P');
    const real = at('10.0.0.5', 'P');
    const other = at('10.0.0.7', 'Q');
    const sources = new HostSources();
    sources.add(sourceOf(null, [copied, other]), () => undefined);
    sources.add(sourceOf(real, [real, copied]), () => undefined);
    expect(urls(sources.placesOf(PARTY, 'P'))).toEqual(urls([copied, real]));
  });

  it('without a pin, or none announcing it, are the one place listing it', () => {
    const listed = at('10.0.0.5', 'P');
    const sources = new HostSources();
    sources.add(sourceOf(listed, [listed, at('10.0.0.7', 'Q')]), () => undefined);
    expect(urls(sources.placesOf(PARTY))).toEqual(urls([listed]));
    // Taken to its check (host-trust-plane.ts), which refuses it for the pin it lacks.
    expect(urls(sources.placesOf(PARTY, 'R'))).toEqual(urls([listed]));
    expect(sources.placesOf('party_elsewhere_01', 'P')).toEqual([]);
  });

  it('stop including a source once it is removed, and its changes are told until then', () => {
    const sources = new HostSources();
    let told = 0;
    let listener: (() => void) | undefined;
    const source = {
      ...sourceOf(at('10.0.0.5', 'P')),
      onChange: (l: () => void) => {
        listener = l;
        return () => (listener = undefined);
      },
    };
    const remove = sources.add(source, () => told++);
    listener?.();
    remove();
    expect([told, listener, sources.placesOf(PARTY)]).toEqual([1, undefined, []]);
  });
});
