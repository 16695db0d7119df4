/**
 * The public summary a host advertises on the LAN for its party: what any stranger may see
 * (name, host's name, member count and how many are online, limit, who may join but never
 * the password), the protocol version, the control server's port, and its TLS port and
 * certificate pin when it has them. Nothing else about members leaves through mDNS.
 */
import type { LanPartySummary } from '../../../shared/lan-party';
import type { PartyInfo } from '../../../shared/model';
import { PROTOCOL_VERSION } from '../../../shared/protocol/protocol';
import type { LanTls } from '../hosting/embedded/embedded-server';

/** Where the embedded server answers the LAN: its port, and TLS's when it serves it. */
export interface LanServing {
  port: number;
  tls: LanTls | null;
}

/** The limit is the party's own: "Parties nearby" says a full party is full before Join. */
export function lanSummary(
  party: PartyInfo,
  { port, tls }: LanServing,
  online?: number,
): LanPartySummary {
  return {
    party_id: party.partyId,
    name: party.name,
    host_name: party.peers.get(party.hostId)?.name ?? 'Host',
    peer_count: party.peers.size,
    ...(online === undefined ? {} : { online_count: Math.min(online, party.peers.size) }),
    max_peers: party.settings.maxPeers,
    join_policy: party.settings.joinPolicy,
    protocol: PROTOCOL_VERSION,
    port,
    ...(tls ? { tls_port: tls.port, tls_sha256: tls.sha256 } : {}),
  };
}
