/**
 * Which relays a server may send this PC to. A page's WebRTC opens TCP or UDP to every relay
 * address it is given and speaks STUN there, so a hostile server naming `turn:127.0.0.1:6379`
 * or `turn:192.168.1.1:80` would have members' PCs probe their own machine and LAN for it, and
 * `turn:169.254.169.254` a cloud's metadata service. A relay on such an address is taken only
 * from a server reached at an address at least as near: a server on this PC may name any, one
 * on the LAN a LAN relay, one on the internet internet relays only.
 * A relay named by a host name is taken as is: only resolving it would tell where it points,
 * and Chromium resolves it again on its own (a name may point elsewhere by then), so the only
 * names checked are `localhost` and its aliases, which always mean this PC.
 */
import { BlockList } from 'node:net';
import type { IceServer, RelayGrant } from '../../../../shared/protocol/relay';

/** Nearest first: a server may name relays of its own scope or farther. */
export const Scope = { ThisPc: 0, LinkLocal: 1, Lan: 2, Internet: 3 } as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

function blockList(v4: [string, number][], v6: [string, number][]): BlockList {
  const list = new BlockList();
  for (const [net, bits] of v4) list.addSubnet(net, bits, 'ipv4');
  for (const [net, bits] of v6) list.addSubnet(net, bits, 'ipv6');
  return list;
}

// BlockList matches IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 subnets too.
const THIS_PC = blockList(
  [
    ['127.0.0.0', 8],
    ['0.0.0.0', 8],
  ],
  [
    ['::1', 128],
    ['::', 128],
  ],
);
const LINK_LOCAL = blockList([['169.254.0.0', 16]], [['fe80::', 10]]);
const LAN = blockList(
  [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['100.64.0.0', 10],
    ['224.0.0.0', 3],
  ],
  [
    ['fc00::', 7],
    ['ff00::', 8],
  ],
);

/** An IP address's scope (Node's form: no brackets, IPv4-mapped allowed). */
export function addressScope(address: string): Scope {
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  if (THIS_PC.check(address, family)) return Scope.ThisPc;
  if (LINK_LOCAL.check(address, family)) return Scope.LinkLocal;
  if (LAN.check(address, family)) return Scope.Lan;
  return Scope.Internet;
}

/** Names every system resolves to this PC (`/etc/hosts` of Debian and Fedora alike). */
const THIS_PC_NAMES = /^((.+\.)?localhost|localhost\.localdomain|ip6-localhost|ip6-loopback)$/;

/**
 * A relay address's host scope; null when it names a host by name (not checked) or is no
 * host at all. The WHATWG parser folds what the system's resolver would also read as an
 * IPv4 address (`127.1`, `2130706433`, `0x7f.1`), so those forms are caught too.
 */
function relayScope(url: string): Scope | 'refused' | null {
  const host = /^turns?:(\[[^\]]*\]|[^:?]*)/.exec(url)?.[1] ?? '';
  let hostname: string;
  try {
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    return 'refused';
  }
  if (THIS_PC_NAMES.test(hostname)) return Scope.ThisPc;
  if (hostname.startsWith('[')) return addressScope(hostname.slice(1, -1));
  return /^[\d.]+$/.test(hostname) ? addressScope(hostname) : null;
}

/**
 * The grant without the relay addresses a server reached at `serverAddress` may not name
 * (an unknown address counts as the internet's), and without relays left with none.
 */
export function relaysFrom(
  grant: RelayGrant,
  serverAddress: string | undefined,
): { grant: RelayGrant; refused: string[] } {
  const server = serverAddress === undefined ? Scope.Internet : addressScope(serverAddress);
  const refused: string[] = [];
  const allowed = (url: string): boolean => {
    const scope = relayScope(url);
    const ok = scope !== 'refused' && (scope === null || scope >= server);
    if (!ok) refused.push(url);
    return ok;
  };
  const iceServers: IceServer[] = [];
  for (const relay of grant.ice_servers) {
    const urls = relay.urls.filter(allowed);
    if (urls.length > 0) iceServers.push({ ...relay, urls });
  }
  const ignored = refused.length > 0 ? { ignored: refused.length } : {};
  return { grant: { ice_servers: iceServers, ttl: grant.ttl, ...ignored }, refused };
}
