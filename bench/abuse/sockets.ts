/**
 * Attack sockets for bench:abuse: WebSockets and raw TCP from many loopback addresses
 * (127.0.0.0/8 is all loopback on Linux), so that no single address passes the server's
 * per-address cap and every attack socket is really held by the server.
 */
import net from 'node:net';
import WebSocket from 'ws';

/** Attack sockets per source address: under the server's default per-address cap (256). */
export const SOCKETS_PER_ADDRESS = 200;

/** The `i`-th source address of attack block `block` (1-9): 127.<block>.<x>.<y>. */
export function attackAddress(block: number, i: number, perAddress = SOCKETS_PER_ADDRESS): string {
  const n = Math.floor(i / perAddress);
  return `127.${block}.${1 + Math.floor(n / 250)}.${1 + (n % 250)}`;
}

export interface Tally {
  opened: number;
  /** Upgrades answered with an HTTP status (429/503) instead of a WebSocket. */
  refused: number;
  /** Sockets the server closed or cut while the attack held them. */
  cut: number;
  errors: number;
}

export const newTally = (): Tally => ({ opened: 0, refused: 0, cut: 0, errors: 0 });

/** Opens a WebSocket from `localAddress`; null when refused or failed (counted). */
export function openWs(url: string, localAddress: string, tally: Tally): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, {
      localAddress,
      perMessageDeflate: false,
      handshakeTimeout: 10_000,
    });
    ws.once('open', () => {
      tally.opened += 1;
      resolve(ws);
    });
    ws.once('unexpected-response', (req) => {
      tally.refused += 1;
      req.destroy();
      resolve(null);
    });
    ws.once('error', () => {
      tally.errors += 1;
      resolve(null);
    });
  });
}

/** A raw TCP socket from `localAddress` to the server; resolves once connected (or null). */
export function openTcp(
  port: number,
  localAddress: string,
  tally: Tally,
): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    socket.once('connect', () => {
      tally.opened += 1;
      resolve(socket);
    });
    socket.once('error', () => {
      tally.errors += 1;
      resolve(null);
    });
  });
}

/** Runs `task(i)` for i < n, `concurrency` at a time. */
export async function forEachLimited(
  n: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
}

/** Sends a hello and waits for the welcome (so the hello timeout does not apply). */
export function hello(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no welcome')), 10_000);
    ws.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.send(JSON.stringify({ type: 'hello', version: '1.0', client: 'abuse' }));
  });
}
