/**
 * Test helpers: a raw protocol client written from the spec (plain JSON over ws, no
 * client library of ours), sample peers, and a rig that closes what a test started.
 */
import http from 'node:http';
import { WebSocket } from 'ws';
import type { PeerDictInput } from '../../shared/party/dicts';
import { systemClock, type Clock } from '../../shared/time/clock';
import { silentLogger } from '../../shared/logger';
import { startServer, type ServerOptions } from '../server';
import type { RunningServer } from '../server-core';
import { MemoryPartyStore } from '../store/test-util/memory-store';

export type Frame = Record<string, unknown> & { type: string };

export function peerDict(peerId: string, overrides: Partial<PeerDictInput> = {}): PeerDictInput {
  return {
    peer_id: peerId,
    name: `Player ${peerId}`,
    public_key: `key-${peerId}`,
    nat_type: 'full_cone',
    public_ip: '203.0.113.42',
    public_port: 51820,
    local_ip: '192.168.1.100',
    local_port: 51820,
    last_seen: '2026-01-29T12:05:00',
    ...overrides,
  };
}

export class RawClient {
  readonly received: Frame[] = [];
  private waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  private seq = 0;
  closeCode: number | null = null;
  readonly closed: Promise<number>;
  /** The server's `challenge` (protocol 1.2), kept apart: a 1.0 client never looks at it. */
  readonly challenge: Promise<Frame>;
  private onChallenge: (frame: Frame) => void = () => undefined;

  private constructor(readonly ws: WebSocket) {
    this.challenge = new Promise((resolve) => (this.onChallenge = resolve));
    ws.on('message', (data) => {
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as Buffer).toString('utf8');
      const frame = JSON.parse(text) as Frame;
      if (frame.type === 'challenge') return this.onChallenge(frame);
      const waiter = this.waiters.find((w) => w.match(frame));
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(frame);
      } else {
        this.received.push(frame);
      }
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
    ws.on('error', () => {});
  }

  /** `localAddress`: connect from another loopback address (127.0.0.2, …). */
  static connect(url: string, localAddress?: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, localAddress ? { localAddress } : {});
      const client = new RawClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  send(message: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The first frame (already received or still to come) matching `match`. */
  next(match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const index = this.received.findIndex(match);
    if (index >= 0) return Promise.resolve(this.received.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(
            `timed out waiting; received ${this.received.length} frames: ${JSON.stringify(this.received).slice(0, 500)}`,
          ),
        );
      }, timeoutMs);
      const done = (f: Frame): void => {
        clearTimeout(timer);
        resolve(f);
      };
      this.waiters.push({ match, resolve: done });
    });
  }

  nextOfType(type: string, timeoutMs?: number): Promise<Frame> {
    return this.next((f) => f.type === type, timeoutMs);
  }

  /** Sends with a fresh request_id and resolves with the answer carrying it. */
  request(message: Record<string, unknown>, timeoutMs?: number): Promise<Frame> {
    const requestId = `req-${++this.seq}`;
    this.send({ ...message, request_id: requestId });
    return this.next((f) => f.request_id === requestId, timeoutMs);
  }

  /**
   * A request the server answers at once (get_party of a made-up id), answered: the frames
   * it sent this connection before reading it have all arrived, since a connection's frames
   * arrive in order. "Nothing came" is checked after it, instead of after a sleep.
   */
  async roundTrip(): Promise<void> {
    const answer = await this.request({ type: 'get_party', party_id: 'party_round_trip' });
    if (answer.code !== 'not_found') throw new Error(`round trip: ${JSON.stringify(answer)}`);
  }

  async hello(token?: string): Promise<string> {
    const welcome = await this.request({
      type: 'hello',
      version: '1.0',
      client: 'lanrage',
      ...(token ? { session_token: token } : {}),
    });
    return welcome.session_token as string;
  }

  close(): Promise<number> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close();
    }
    return this.closed;
  }
}

/** Resolves after `ms`; only for short waits on real sockets. */
export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The in-process server and the clients one test starts; call `cleanup()` in afterEach so
 * no socket or server outlives its test.
 */
export class TestRig {
  server: RunningServer | null = null;
  private readonly clients: RawClient[] = [];

  /** A server on 127.0.0.1 port 0 with an in-memory store and no logging. */
  async start(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
    this.server = await startServer({
      port: 0,
      dataDir: '/nonexistent',
      store: new MemoryPartyStore(),
      logger: silentLogger,
      ...options,
    });
    return this.server;
  }

  /** A client of `url` (default: the rig's server), closed at cleanup. */
  async connect(url: string = this.server!.url, localAddress?: string): Promise<RawClient> {
    const client = await RawClient.connect(url, localAddress);
    this.clients.push(client);
    return client;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
    await this.server?.close();
    this.server = null;
  }
}

/** Says hello, registers `partyId` hosted by `hostId`; returns the session token. */
export async function hostParty(c: RawClient, partyId: string, hostId: string): Promise<string> {
  const token = await c.hello();
  const answer = await c.request({
    type: 'register_party',
    party_id: partyId,
    name: 'P',
    host_peer: peerDict(hostId),
  });
  if (answer.type !== 'party_update') throw new Error(`register_party: ${JSON.stringify(answer)}`);
  return token;
}

/** A new client of `rig`'s server that says hello and joins `partyId` as `peerId`. */
export async function guestJoins(
  rig: TestRig,
  partyId: string,
  peerId: string,
): Promise<{ guest: RawClient; answer: Frame }> {
  const guest = await rig.connect();
  await guest.hello();
  const answer = await guest.request({
    type: 'join_party',
    party_id: partyId,
    peer: peerDict(peerId),
  });
  return { guest, answer };
}

/**
 * On a hello'd connection: hosts a 30-member party, stops reading and asks for it 3 000
 * times, until the server cuts the connection for not reading (the host is then gone).
 */
export async function stopReadingUntilCut(c: RawClient, rig: TestRig): Promise<void> {
  await c.request({
    type: 'register_party',
    party_id: 'party_big_x',
    name: 'Big',
    host_peer: peerDict('p0'),
  });
  for (let i = 1; i < 30; i += 1) {
    await c.request({ type: 'join_party', party_id: 'party_big_x', peer: peerDict(`p${i}`) });
  }
  await c.request({ type: 'get_party', party_id: 'party_big_x' });
  // The kernel buffers fill, then the server's own buffer grows.
  (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  for (let i = 0; i < 3000; i += 1) c.send({ type: 'get_party', party_id: 'party_big_x' });
  for (let i = 0; i < 500 && rig.server!.context.presence.isConnected('p0'); i += 1) {
    await delay(20);
  }
  // A paused socket never reads the server's FIN: a close handshake would wait its 30 s.
  c.ws.terminate();
}

/** A plain HTTP request to 127.0.0.1; resolves with status, headers and body. */
export function httpGet(
  port: number,
  path: string,
  method = 'GET',
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Real timers with a time the test controls (`now`). */
export function clockAt(now: () => number): Clock {
  return { ...systemClock, now };
}
