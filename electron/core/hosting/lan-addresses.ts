/**
 * Where this PC's embedded server answers over TLS, for its LAN invite links (`at=`): a guest
 * whose network keeps mDNS from getting through (client isolation on a Wi-Fi, multicast
 * filtered, UDP 5353 dropped) dials these instead, and takes the one showing the link's pin.
 *
 * Which addresses: the server listens on every interface (0.0.0.0) while it serves the LAN, so
 * every IPv4 unicast address of this PC's interfaces, bounded (MAX_HOST_ADDRESSES), best first:
 * private networks (10/8, 172.16/12, 192.168/16), then 100.64/10 (carrier-grade NAT, and VPNs
 * such as Tailscale, where a guest on the VPN reaches the host), then link-local 169.254/16
 * (two PCs cabled together without DHCP). Never loopback: a guest's 127.0.0.1 is its own PC.
 * Public addresses only when there is no private one: that is then what the LAN uses (a
 * campus network), and otherwise a link pasted into a chat would name the PC's place on the
 * internet for nothing. A guest elsewhere cannot reach a LAN party anyway.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { HostAddressSchema, ipv4Octets, MAX_HOST_ADDRESSES } from '../../../shared/lan-party';

const PUBLIC = 3;

/** How good `address` is to name in a link, lowest first; null: never named. */
export function addressRank(address: string): number | null {
  const octets = ipv4Octets(address);
  if (octets === null) return null;
  const [a = 0, b = 0] = octets;
  if (a === 0 || a === 127 || a >= 224) return null;
  if (a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168)) return 0;
  if (a === 100 && b >= 64 && b < 128) return 1;
  if (a === 169 && b === 254) return 2;
  return PUBLIC;
}

/** `address:tlsPort` for each address this PC's LAN invite links name, best first. */
export function hostAddresses(
  tlsPort: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  const addresses = Object.values(interfaces).flatMap((list) =>
    (list ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.address),
  );
  const ranked = [...new Set(addresses)].flatMap((address) => {
    const rank = addressRank(address);
    return rank === null ? [] : [{ address, rank }];
  });
  const local = ranked.filter(({ rank }) => rank < PUBLIC);
  return (local.length > 0 ? local : ranked)
    .sort((x, y) => x.rank - y.rank)
    .slice(0, MAX_HOST_ADDRESSES)
    .map(({ address }) => `${address}:${tlsPort}`);
}

/**
 * Where the PC whose pin invite links carry answers over TLS, our link being to `url`: this
 * PC's `addresses` at its TLS port when the server is ours (`ownTlsPort`; null: it serves no
 * TLS), else the address and port the link went to, by the same rule (not loopback, which on
 * a friend's PC is theirs). Undefined: none to name.
 */
export function answersAt(
  url: string,
  ownTlsPort: number | null | undefined,
  addresses: (tlsPort: number) => string[] = hostAddresses,
  rank: (address: string) => number | null = addressRank,
): string[] | undefined {
  const { hostname, port } = new URL(url);
  const reached = rank(hostname) === null ? [] : [`${hostname}:${port}`];
  const at = ownTlsPort === undefined ? reached : ownTlsPort === null ? [] : addresses(ownTlsPort);
  // A name the status cannot carry (an IPv6 host) is left out, not the whole status.
  const valid = at.filter((one) => HostAddressSchema.safeParse(one).success);
  return valid.length > 0 ? valid : undefined;
}
