/**
 * The multicast DNS socket (multicast-dns: pure JavaScript, no native module, the transport
 * bonjour-service is built on). One per app instance, shared by advertising and browsing.
 * `interface` pins it to one address (tests: 127.0.0.1, so their traffic never leaves the
 * machine); without it every IPv4 interface joins the group.
 */
import { networkInterfaces } from 'node:os';
import makeMdns from 'multicast-dns';
import type { QueryPacket, ResponsePacket } from 'multicast-dns';
import type { MdnsPacket } from './dns-sd-records';

export const MDNS_PORT = 5353;

export interface MdnsTransport {
  send(packet: MdnsPacket): void;
  /** Every decoded packet, with the address it came from. */
  onPacket(handler: (packet: MdnsPacket, from: string) => void): void;
  /** The IPv4 addresses our A records name. */
  addresses(): string[];
  close(): Promise<void>;
}

export interface MdnsTransportOptions {
  port?: number;
  /** One local IPv4 address to send and receive on; default all. */
  interface?: string;
  onWarning?: (err: Error) => void;
}

function lanAddresses(): string[] {
  const found: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) found.push(a.address);
  }
  return found.slice(0, 8);
}

/** Opens the socket; rejects when the port cannot be bound (then LAN discovery is off). */
export function openMdnsTransport(options: MdnsTransportOptions = {}): Promise<MdnsTransport> {
  const mdns = makeMdns({
    port: options.port ?? MDNS_PORT,
    interface: options.interface,
    // Bound to the wildcard: a socket bound to a unicast address never sees multicast.
    bind: '0.0.0.0',
    reuseAddr: true,
  });
  mdns.on('warning', (err: Error) => options.onWarning?.(err));
  const sends = trackedSends(mdns, options.onWarning);
  const transport: MdnsTransport = {
    send: sends.send,
    onPacket: (handler) =>
      mdns.on('packet', (packet: MdnsPacket, rinfo: { address: string }) => {
        handler(packet, rinfo.address);
      }),
    addresses: () => (options.interface ? [options.interface] : lanAddresses()),
    close: async () => {
      await Promise.race([sends.settled(), new Promise((r) => setTimeout(r, 500))]);
      await new Promise<void>((resolve) => mdns.destroy(() => resolve()));
    },
  };
  return bound(mdns, transport, options.onWarning);
}

type Mdns = ReturnType<typeof makeMdns>;

/** Goodbyes are sent just before close: the socket must not close under them. */
function trackedSends(mdns: Mdns, onWarning: ((err: Error) => void) | undefined) {
  const pending = new Set<Promise<void>>();
  const send = (packet: MdnsPacket): void => {
    const sent = new Promise<void>((resolve) => {
      const done = (err?: Error | null) => {
        if (err) onWarning?.(err);
        resolve();
      };
      if (packet.type === 'query') mdns.query(packet as QueryPacket, done);
      else mdns.respond(packet as ResponsePacket, done);
    });
    pending.add(sent);
    void sent.then(() => pending.delete(sent));
  };
  return { send, settled: () => Promise.all(pending) };
}

/** The transport once the socket is bound; the bind error (the socket closed) otherwise. */
function bound(
  mdns: Mdns,
  transport: MdnsTransport,
  onWarning: ((err: Error) => void) | undefined,
): Promise<MdnsTransport> {
  return new Promise((resolve, reject) => {
    let ready = false;
    mdns.once('ready', () => {
      ready = true;
      resolve(transport);
    });
    // multicast-dns may report one bind failure twice: keep listening, settle once.
    mdns.on('error', (err: Error) => {
      if (ready) return onWarning?.(err);
      ready = true;
      mdns.destroy();
      reject(err);
    });
  });
}
