/**
 * The multicast DNS socket (multicast-dns: pure JavaScript, no native module, the transport
 * bonjour-service is built on). One per app instance, shared by advertising and browsing.
 * `interface` pins it to one address (tests: 127.0.0.1, so their traffic never leaves the
 * machine); without it every IPv4 interface joins the group, and every multicast packet
 * leaves by each of them in turn.
 */
import { createSocket, type Socket } from 'node:dgram';
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
  /** Each send's outcome on each interface (null: it went out): see send-health.ts. */
  onSent?: (err: Error | null) => void;
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
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  const mdns = makeMdns({
    port: options.port ?? MDNS_PORT,
    interface: options.interface,
    // Bound to the wildcard: a socket bound to a unicast address never sees multicast.
    bind: '0.0.0.0',
    socket,
  });
  mdns.on('warning', (err: Error) => {
    if (!alreadyJoined(err)) options.onWarning?.(err);
  });
  const pinned = options.interface !== undefined;
  const outgoing = (): (string | null)[] => {
    const all = pinned ? [] : lanAddresses();
    return all.length > 0 ? all : [null];
  };
  const { onWarning, onSent } = options;
  const sends = trackedSends({ mdns, socket, outgoing, onWarning, onSent });
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

/**
 * multicast-dns joins the group on each interface by address, every 5 s, and remembers only
 * the joins that worked. An interface whose address changed (a new DHCP lease) is in the
 * group already, under its old one: the kernel refuses the join again, every 5 s, and each
 * refusal was logged for as long as the app ran. Nothing is wrong: the group still reaches us.
 */
function alreadyJoined(err: Error): boolean {
  const { code, syscall } = err as Error & { code?: unknown; syscall?: unknown };
  return syscall === 'addMembership' && code === 'EADDRINUSE';
}

interface Sender {
  mdns: Mdns;
  socket: Socket;
  /** The addresses of the interfaces a packet leaves by (null: the default route's). */
  outgoing: () => (string | null)[];
  onWarning: ((err: Error) => void) | undefined;
  onSent?: (err: Error | null) => void;
}

/**
 * Sent by the default multicast route alone, a party was seen on one network only: a host
 * on two (Ethernet and Wi-Fi, a second switch) was invisible on the other, and a PC without
 * a multicast or default route announced nothing (ENETUNREACH) while its status bar said it
 * listened on the LAN. Each packet now leaves by every interface, one at a time: a send
 * takes the multicast interface set when it runs, a tick later.
 */
function sendOn(sender: Sender, packet: MdnsPacket, out: string | null): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (err?: Error | null) => {
      if (err) sender.onWarning?.(err);
      sender.onSent?.(err ?? null);
      resolve();
    };
    try {
      if (out !== null) sender.socket.setMulticastInterface(out);
    } catch (err) {
      return done(err as Error); // the address went away since it was listed
    }
    if (packet.type === 'query') sender.mdns.query(packet as QueryPacket, done);
    else sender.mdns.respond(packet as ResponsePacket, done);
  });
}

/**
 * Sends waiting at most: they go one at a time (sendOn), and a LAN flooding us with queries
 * must not grow the queue without end. Well over what a party's adverts need at once.
 */
export const MAX_WAITING_SENDS = 64;

/** Goodbyes are sent just before close: the socket must not close under them. */
function trackedSends(sender: Sender) {
  const pending = new Set<Promise<void>>();
  let queue = Promise.resolve();
  let dropping = false;
  const send = (packet: MdnsPacket): void => {
    if (pending.size >= MAX_WAITING_SENDS) {
      if (!dropping) sender.onWarning?.(new Error('mDNS: too many packets waiting; some dropped'));
      dropping = true;
      return;
    }
    const sent = queue.then(async () => {
      for (const out of sender.outgoing()) await sendOn(sender, packet, out);
    });
    queue = sent;
    pending.add(sent);
    void sent.then(() => {
      pending.delete(sent);
      if (pending.size === 0) dropping = false;
    });
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
