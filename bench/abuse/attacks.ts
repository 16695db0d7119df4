/**
 * The attacks of bench:abuse, run by the attacker process. Each opens its sockets, holds
 * them while the well-behaved client is measured, replaces sockets the server cuts (an
 * attacker would), and reports what happened to them.
 */
import type net from 'node:net';
import type WebSocket from 'ws';
import { peerDict } from '../load/peer-client';
import {
  attackAddress,
  forEachLimited,
  hello,
  newTally,
  openTcp,
  openWs,
  type Tally,
} from './sockets';

export const ATTACKS = [
  'idle',
  'slowloris',
  'never_reading',
  'creation_flood',
  'heartbeat_flood',
  'costly_frames',
] as const;
export type AttackName = (typeof ATTACKS)[number];

export type AttackScale = Record<AttackName, number> & { big_party: number };

export interface AttackReport extends Tally {
  /** Attack sockets open when the report was taken. */
  held: number;
  /** Frames the attack sent, and the answers it read by type (or error code). */
  sent: number;
  answers: Record<string, number>;
}

export interface Attack {
  start(): Promise<void>;
  report(): AttackReport;
  stop(): void;
}

/**
 * Floods send at 19 messages a second per connection: just under the server's default rate
 * limit (20/s), the most a connection can keep up without being refused and cut.
 */
const FLOOD_GAP_MS = 53;
const CONCURRENCY = 100;
/** How soon a refused never-reading client tries to connect again. */
const REOPEN_AFTER_REFUSAL_MS = 250;

abstract class BaseAttack implements Attack {
  protected readonly tally = newTally();
  protected readonly sockets = new Set<WebSocket | net.Socket>();
  /** Sockets an attack needs but that are not the attack (the big party's members). */
  protected readonly extras = new Set<WebSocket>();
  protected readonly answers: Record<string, number> = {};
  protected sent = 0;
  protected running = true;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    protected readonly url: string,
    protected readonly count: number,
  ) {}

  abstract start(): Promise<void>;

  protected every(ms: number, fn: () => void): void {
    this.timers.push(setInterval(fn, ms));
  }

  /** Tracks a socket; when the server closes it, counts it and calls `replace`. */
  protected hold(socket: WebSocket | net.Socket, replace?: () => void): void {
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      if (!this.running) return;
      this.tally.cut += 1;
      replace?.();
    });
  }

  protected countAnswer(data: unknown): void {
    try {
      const m = JSON.parse(String(data)) as { type?: string; code?: string };
      const key = m.type === 'error' ? `error:${m.code}` : String(m.type);
      this.answers[key] = (this.answers[key] ?? 0) + 1;
    } catch {
      this.answers.unreadable = (this.answers.unreadable ?? 0) + 1;
    }
  }

  /**
   * Opens `count` WebSockets from block `block`'s addresses (`perAddress` each), each held,
   * greeted and counting its answers; resolves with those that opened.
   */
  protected async openGreeted(block: number, perAddress: number): Promise<WebSocket[]> {
    const conns: WebSocket[] = [];
    await forEachLimited(this.count, CONCURRENCY, async (i) => {
      const ws = await openWs(this.url, attackAddress(block, i, perAddress), this.tally);
      if (!ws) return;
      this.hold(ws);
      await hello(ws);
      ws.on('message', (data) => this.countAnswer(data));
      conns.push(ws);
    });
    return conns;
  }

  report(): AttackReport {
    return {
      ...this.tally,
      held: this.sockets.size,
      sent: this.sent,
      answers: { ...this.answers },
    };
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers) clearInterval(t);
    for (const s of [...this.sockets, ...this.extras]) {
      if ('terminate' in s) s.terminate();
      else s.destroy();
    }
    this.sockets.clear();
    this.extras.clear();
  }
}

/** WebSockets that say hello and then nothing (they still answer pings). */
class IdleAttack extends BaseAttack {
  async start(): Promise<void> {
    await forEachLimited(this.count, CONCURRENCY, async (i) => {
      const ws = await openWs(this.url, attackAddress(1, i), this.tally);
      if (!ws) return;
      this.hold(ws);
      await hello(ws).catch(() => undefined);
    });
  }
}

/** HTTP upgrade requests that send one more header line every 2 s and never finish. */
class SlowlorisAttack extends BaseAttack {
  private readonly port = Number(new URL(this.url).port);

  async start(): Promise<void> {
    await forEachLimited(this.count, CONCURRENCY, (i) => this.open(i));
    this.every(2000, () => {
      for (const s of this.sockets) if ('write' in s && s.writable) s.write('X-Slow: 1\r\n');
    });
  }

  private async open(i: number): Promise<void> {
    const socket = await openTcp(this.port, attackAddress(2, i), this.tally);
    if (!socket || !this.running) return void socket?.destroy();
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
    this.hold(socket, () => void this.open(i));
  }
}

/** Clients asking for a ~84 KiB party 19 times a second and never reading the answers. */
class NeverReadingAttack extends BaseAttack {
  constructor(
    url: string,
    count: number,
    private readonly partySize: number,
  ) {
    super(url, count);
  }

  async start(): Promise<void> {
    await this.formBigParty();
    await forEachLimited(this.count, CONCURRENCY, (i) => this.openReader(i));
    this.every(FLOOD_GAP_MS, () => {
      const frame = JSON.stringify({ type: 'get_party', party_id: 'abuse-big' });
      for (const s of this.sockets) {
        if (!('terminate' in s) || s.readyState !== s.OPEN || !readers.has(s)) continue;
        s.send(frame);
        this.sent += 1;
      }
    });
  }

  /** Members with the longest names allowed, so a snapshot is as large as a party gets. */
  private async formBigParty(): Promise<void> {
    const member = async (i: number): Promise<void> => {
      const ws = await openWs(this.url, attackAddress(3, i), this.tally);
      if (!ws) return;
      this.extras.add(ws);
      await hello(ws);
      const peer = { ...peerDict(`abuse-m${i}`, i), name: `Member ${i} `.padEnd(64, 'x') };
      const request =
        i === 0
          ? { type: 'register_party', party_id: 'abuse-big', name: 'Big', host_peer: peer }
          : { type: 'join_party', party_id: 'abuse-big', peer };
      await answerTo(ws, request);
    };
    await member(0);
    await forEachLimited(this.partySize - 1, 20, (i) => member(i + 1));
  }

  private async openReader(i: number): Promise<void> {
    if (!this.running) return;
    const ws = await openWs(this.url, attackAddress(4, i, 50), this.tally);
    // Refused (the back-off after a cut): a persistent attacker tries again soon.
    if (!ws) return void setTimeout(() => void this.openReader(i), REOPEN_AFTER_REFUSAL_MS);
    await hello(ws).catch(() => undefined);
    // Stop reading: the kernel buffers fill, then the server's own buffer.
    (ws as unknown as { _socket: net.Socket })._socket.pause();
    readers.add(ws);
    this.hold(ws, () => void this.openReader(i));
  }
}

const readers = new WeakSet<WebSocket>();

/** Sends `request` and waits for its answer (the next frame on a fresh connection). */
function answerTo(ws: WebSocket, request: Record<string, unknown>): Promise<void> {
  return new Promise((resolve) => {
    ws.once('message', () => resolve());
    ws.send(JSON.stringify(request));
  });
}

/** Connections creating a new party every 22 ms each; the quotas refuse most. */
class CreationFlood extends BaseAttack {
  async start(): Promise<void> {
    const conns = await this.openGreeted(5, 10);
    let n = 0;
    this.every(FLOOD_GAP_MS, () => {
      for (const ws of conns) {
        if (ws.readyState !== ws.OPEN) continue;
        n += 1;
        const host = peerDict(`flood-h${n}`, n);
        ws.send(
          JSON.stringify({
            type: 'register_party',
            party_id: `flood-party-${n}`,
            name: 'F',
            host_peer: host,
          }),
        );
        this.sent += 1;
      }
    });
  }
}

/** Hosts heartbeating their own party every 22 ms each. */
class HeartbeatFlood extends BaseAttack {
  async start(): Promise<void> {
    const conns: Array<[WebSocket, number]> = [];
    await forEachLimited(this.count, CONCURRENCY, async (i) => {
      const ws = await openWs(this.url, attackAddress(6, i, 10), this.tally);
      if (!ws) return;
      this.hold(ws);
      await hello(ws);
      const peer = peerDict(`beat-h${i}`, i);
      ws.send(
        JSON.stringify({
          type: 'register_party',
          party_id: `beat-party-${i}`,
          name: 'B',
          host_peer: peer,
        }),
      );
      ws.on('message', (data) => this.countAnswer(data));
      conns.push([ws, i]);
    });
    this.every(FLOOD_GAP_MS, () => {
      for (const [ws, i] of conns) {
        if (ws.readyState !== ws.OPEN) continue;
        ws.send(
          JSON.stringify({
            type: 'heartbeat',
            party_id: `beat-party-${i}`,
            peer_id: `beat-h${i}`,
          }),
        );
        this.sent += 1;
      }
    });
  }
}

/**
 * Frames slow to read, from one address, each connection within its own rate limit: 64 KiB of
 * a name NFKC expands 18-fold, of 21 000 empty objects, or of plain text, in turn.
 */
const COSTLY_FRAMES = [
  JSON.stringify({
    type: 'join_party',
    party_id: 'costly-party',
    peer: { ...peerDict('costly-p', 0), name: '\ufdfa'.repeat(21_000) },
  }),
  `{"type":"signal","party_id":"costly-party","from_peer_id":"a","to_peer_id":"b","signal_data":[${'{},'.repeat(21_000)}{}]}`,
  JSON.stringify({ type: 'hello', client: 'x'.repeat(63_000) }),
];

class CostlyFrames extends BaseAttack {
  async start(): Promise<void> {
    // One address for all: what the per-address budget is for.
    const conns = await this.openGreeted(7, this.count);
    let n = 0;
    this.every(FLOOD_GAP_MS, () => {
      for (const ws of conns) {
        if (ws.readyState !== ws.OPEN) continue;
        ws.send(COSTLY_FRAMES[n++ % COSTLY_FRAMES.length]!);
        this.sent += 1;
      }
    });
  }
}

export function createAttack(name: AttackName, url: string, scale: AttackScale): Attack {
  switch (name) {
    case 'idle':
      return new IdleAttack(url, scale.idle);
    case 'slowloris':
      return new SlowlorisAttack(url, scale.slowloris);
    case 'never_reading':
      return new NeverReadingAttack(url, scale.never_reading, scale.big_party);
    case 'creation_flood':
      return new CreationFlood(url, scale.creation_flood);
    case 'heartbeat_flood':
      return new HeartbeatFlood(url, scale.heartbeat_flood);
    case 'costly_frames':
      return new CostlyFrames(url, scale.costly_frames);
  }
}
