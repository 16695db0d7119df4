/**
 * The address a connection is counted, limited and logged under. Behind a TCP load balancer
 * every player had the balancer's address, so every per-address limit (connections, the
 * cut-for-not-reading back-off, party and peer-id quotas, snapshot budgets, the message
 * rate, the `/join/` page and admin throttles) was one budget for the whole community: one
 * client cut for not reading got every new connection refused with 429.
 *
 * With `--trusted-proxy CIDR,…`, a connection from one of those addresses must begin with a
 * PROXY header (proxy-header.ts): it is read before HTTP, TLS or the admission counts see a
 * byte, and the client address it names becomes the connection's. Without a valid header in
 * time the connection is closed. Anyone else's bytes are not looked at: a header from them
 * reaches HTTP as it is, and is a bad request.
 */
import type http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../../shared/logger';
import { LineThrottle } from '../log-throttle';
import { readProxyHeader, type ProxyHeader } from './proxy-header';

/** The client addresses PROXY headers named, by the TCP socket they came on. */
const proxied = new WeakMap<object, string>();

/**
 * The client's address: the one a trusted balancer's PROXY header named, else the peer's.
 * A TLS socket wraps the TCP socket the header came on (Node keeps it as `_parent`).
 */
export function clientAddress(socket: net.Socket): string | undefined {
  const tcp = (socket as net.Socket & { _parent?: object })._parent;
  return proxied.get(socket) ?? (tcp && proxied.get(tcp)) ?? socket.remoteAddress;
}

/** `--trusted-proxy`'s `address/prefix` list as a test of a peer's address. */
export function trustedPeers(cidrs: readonly string[]): (address: string | undefined) => boolean {
  const list = new net.BlockList();
  for (const cidr of cidrs) {
    const [address = '', prefix = ''] = cidr.split('/');
    list.addSubnet(address, Number(prefix), net.isIPv6(address) ? 'ipv6' : 'ipv4');
  }
  // An IPv4-mapped IPv6 peer (a server listening on ::) matches its IPv4 rule.
  return (address) =>
    address !== undefined &&
    net.isIP(address) !== 0 &&
    list.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
}

export interface ProxyOptions {
  /** Whether a peer is a balancer whose connections start with a PROXY header. */
  trusted: (address: string | undefined) => boolean;
  /** How long a balancer has to send the whole header. */
  timeoutMs: number;
  logger: Logger;
}

/** The options for `--trusted-proxy`'s list, or undefined without one (nothing is read). */
export function proxyOptions(
  cidrs: readonly string[] | undefined,
  timeoutMs: number,
  logger: Logger,
): ProxyOptions | undefined {
  if (!cidrs || cidrs.length === 0) return undefined;
  return { trusted: trustedPeers(cidrs), timeoutMs, logger };
}

const REFUSED_LOG_MS = 10_000;
const EMPTY: Buffer = Buffer.alloc(0);

type Read = Exclude<ProxyHeader, { kind: 'incomplete' }> | { kind: 'closed' };

/** Reads the header off `socket`; `done` gets it and the bytes after it. */
function readHeader(
  socket: net.Socket,
  timeoutMs: number,
  done: (read: Read, rest: Buffer) => void,
) {
  let buffered = EMPTY;
  const finish = (read: Read, rest: Buffer): void => {
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('close', onClose);
    socket.off('error', onError);
    done(read, rest);
  };
  const onData = (chunk: Buffer): void => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const header = readProxyHeader(buffered);
    if (header.kind === 'incomplete') return;
    finish(header, header.kind === 'header' ? buffered.subarray(header.length) : EMPTY);
  };
  const onClose = (): void =>
    // A balancer's health check connects and closes without a byte: nothing to say.
    finish(
      buffered.length === 0 ? { kind: 'closed' } : { kind: 'invalid', why: 'closed mid-header' },
      EMPTY,
    );
  const onError = (): void => undefined;
  const timer = setTimeout(
    () =>
      finish({ kind: 'invalid', why: `no complete PROXY header within ${timeoutMs} ms` }, EMPTY),
    timeoutMs,
  );
  socket.on('data', onData);
  socket.once('close', onClose);
  socket.on('error', onError);
}

/**
 * Gives `server`'s listeners (HTTP or TLS, and the admission counts) a trusted balancer's
 * connection only once its PROXY header is read, with the client's address as its own.
 */
export function takeProxyHeaders(server: http.Server, options: ProxyOptions): void {
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  const pending = new Set<net.Socket>();
  const throttle = new LineThrottle(REFUSED_LOG_MS);
  const refuse = (socket: net.Socket, why: string): void => {
    const peer = socket.remoteAddress;
    socket.destroy();
    const held = throttle.take();
    if (held === null) return;
    const since = held > 0 ? `; ${held} more since the last such line` : '';
    options.logger.warn(`Closed a connection from the trusted proxy ${peer}: ${why}${since}`);
  };
  const handOn = (socket: net.Socket, read: Read, rest: Buffer): void => {
    pending.delete(socket);
    if (read.kind === 'closed') return;
    if (read.kind === 'invalid') return refuse(socket, read.why);
    // Closed while the header came: the server no longer takes connections.
    if (!server.listening) return void socket.destroy();
    if (read.source !== null) proxied.set(socket, read.source);
    socket.pause();
    if (rest.length > 0) socket.unshift(rest);
    emit('connection', socket);
    // HTTP's parser reads the socket's handle itself from now on and never sees what is
    // already in the stream's buffer unless it flows; TLS reads that buffer as it wraps the
    // socket, and letting it flow would hand those bytes to no one.
    if (!(server instanceof tls.Server)) socket.resume();
  };
  server.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    const socket = args[0];
    if (event !== 'connection' || !(socket instanceof net.Socket)) return emit(event, ...args);
    if (!options.trusted(socket.remoteAddress)) return emit(event, socket);
    pending.add(socket);
    readHeader(socket, options.timeoutMs, (read, rest) => handOn(socket, read, rest));
    return true;
  }) as typeof server.emit;
  // A drain cuts what is still sending its header too: server.close() waits for every socket.
  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    for (const socket of pending) socket.destroy();
    closeAll();
  };
}
