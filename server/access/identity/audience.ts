/**
 * Protocol 1.7's audience: the origin a client dialled, named in its identity proof. A
 * server that knows which origins are its own takes only proofs made for one of them, so a
 * hostile server that passed on our challenge to its client cannot use the proof it got
 * back. A server reached by names it cannot know (a DNS name, a NAT's or a proxy's address)
 * asks for none and is given none (`audience` unset).
 */
import { networkInterfaces } from 'node:os';

/** Whether an origin (`ws://10.0.0.5:8668`) is one of this server's. */
export type AudienceCheck = (audience: string) => boolean;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'ws:': 80, 'wss:': 443 };

/** Every address of this machine's interfaces now (they change: DHCP, a cable, Wi-Fi). */
export function interfaceAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) addresses.add(info.address.toLowerCase());
  }
  return addresses;
}

/**
 * Origins on this machine at `port()`: `localhost`, or an address of one of its interfaces
 * (loopback's included), with the scheme `scheme`. An app's embedded server is dialled at
 * just these: 127.0.0.1 from this PC, the address its mDNS answer came from on the LAN.
 */
export function ownOrigins(
  port: () => number,
  scheme: 'ws:' | 'wss:' = 'ws:',
  addresses: () => ReadonlySet<string> = interfaceAddresses,
): AudienceCheck {
  return (audience) => {
    let url: URL;
    try {
      url = new URL(audience);
    } catch {
      return false;
    }
    if (url.origin !== audience || url.protocol !== scheme) return false;
    const dialled = url.port === '' ? DEFAULT_PORTS[scheme] : Number(url.port);
    if (dialled !== port()) return false;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    return host === 'localhost' || addresses().has(host);
  };
}
