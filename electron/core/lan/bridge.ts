/**
 * LAN discovery plugged into hosting (electron/core/hosting/): parties
 * found by mDNS become a host source, located and joined at their control server like
 * this PC's; the parties our embedded server hosts are advertised while it listens on the
 * LAN, and withdrawn (goodbye) when they end, move or the server stops.
 */
import { createHash } from 'node:crypto';
import { PartyInfo } from '../../../shared/model';
import { WS_PATH } from '../../../shared/protocol/protocol';
import { PIN_PARAM, PLAIN_PARAM } from '../client/link/pinned-tls';
import type { LanDirectory } from '../app-service/discovery-feed';
import type { DiscoveredHost } from '../hosting/discovery-board';
import type { EmbeddedServer } from '../hosting/embedded/embedded-server';
import type { HostSource } from '../hosting/host-sources';
import type { LanParty } from './browse-cache';
import { LanAdvertising } from './advertising';

/** What of the embedded server the bridge follows. */
export type HostedServer = Pick<
  EmbeddedServer,
  'hostedParties' | 'onChange' | 'onLan' | 'port' | 'tls' | 'onlineCount'
>;
/** What of local hosting the bridge uses. */
export interface HostingLike {
  readonly server: HostedServer | null;
  onServer(listener: (server: HostedServer | null) => void): () => void;
  addSource(source: HostSource): () => void;
}

/**
 * Where a LAN party's host serves it: the address its mDNS answer came from, over TLS when
 * it announced a certificate, whose pin rides in the URL's query for our client to check
 * (client/link/pinned-tls.ts), with the plain port to fall back to; the host ignores the query.
 */
export function lanControlUrl(party: LanParty): string {
  const { tls_port: tlsPort, tls_sha256: pin } = party.summary;
  if (tlsPort !== undefined && pin !== undefined) {
    const query = `${PIN_PARAM}=${pin}&${PLAIN_PARAM}=${party.port}`;
    return `wss://${party.address}:${tlsPort}${WS_PATH}?${query}`;
  }
  return `ws://${party.address}:${party.port}${WS_PATH}`;
}

function lanHost(party: LanParty): DiscoveredHost {
  const { summary } = party;
  const controlUrl = lanControlUrl(party);
  return {
    // What a stranger may know before joining: the summary, no members.
    party: new PartyInfo({
      partyId: summary.party_id,
      name: summary.name,
      hostId: '',
      createdAt: new Date(0),
      peers: new Map(),
    }),
    controlUrl,
    announced: {
      host_name: summary.host_name,
      peer_count: summary.peer_count,
      max_peers: summary.max_peers,
      // A host before join_policy was announced tells none: the summary then says the
      // PartyInfo's default, `open`, as it must say something (see host-trust-plane.ts).
      ...(summary.join_policy === undefined ? {} : { join_policy: summary.join_policy }),
    },
    hostPid: 0,
    // The session with that host is kept under a key of its own.
    hostInstance: createHash('sha256').update(controlUrl).digest('hex').slice(0, 16),
  };
}

export function lanHostSource(lan: LanDirectory): HostSource {
  return {
    hosts: () => new Map(lan.parties().map((p) => [p.summary.party_id, lanHost(p)])),
    claims: (partyId) => (lan.claims?.(partyId) ?? []).map(lanHost),
    onChange: (listener) => lan.subscribe(() => listener()),
    ...(lan.ask ? { ask: () => lan.ask?.() } : {}),
    blocked: () => lan.sendBlocked?.() ?? false,
  };
}

/** Connects `lan` to `hosting`; returns the function that disconnects it (and withdraws). */
export function attachLan(hosting: HostingLike, lan: LanDirectory): () => void {
  const advertising = new LanAdvertising(lan);
  const removeSource = hosting.addSource(lanHostSource(lan));
  let unfollow = (): void => {};
  const follow = (server: HostedServer | null): void => {
    unfollow();
    unfollow = () => {};
    if (!server) return advertising.sync([], null);
    const sync = (): void =>
      advertising.sync(
        server.hostedParties(),
        server.onLan ? { port: server.port, tls: server.tls } : null,
        (id) => server.onlineCount(id),
      );
    unfollow = server.onChange(sync);
    sync();
  };
  const stopFollowing = hosting.onServer(follow);
  follow(hosting.server);
  return () => {
    stopFollowing();
    unfollow();
    removeSource();
    advertising.sync([], null);
  };
}
