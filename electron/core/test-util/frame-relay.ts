/**
 * A WebSocket relay between a client and a real server that can lose or repeat chosen frames
 * from the server, as a lossy path or a buggy server would: the client's gap handling (and
 * that it applies each event once) is tested against the real server's numbering. Counts
 * what the client sends, by type. It can also hold a frame back and deliver it with the next
 * one in a single write, as a busy link does: the client then reads both in one go.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export type Frame = Record<string, unknown> & { type: string };

const textOf = (data: RawData): string =>
  (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString('utf8');

export class FrameRelay {
  /** Server → client frames matching this are dropped (each once it has matched). */
  drop: ((frame: Frame) => boolean) | null = null;
  readonly dropped: Frame[] = [];
  /** Server → client frames matching this are delivered twice, as a buggy path might. */
  repeat: ((frame: Frame) => boolean) | null = null;
  readonly repeated: Frame[] = [];
  /** A server → client frame matching this is held and written with the next one (once). */
  holdForNext: ((frame: Frame) => boolean) | null = null;
  readonly held: Frame[] = [];
  /** Client → server frames by type. */
  readonly sent = new Map<string, number>();
  private readonly sockets = new Set<WebSocket>();

  private constructor(
    private readonly http: http.Server,
    private readonly wss: WebSocketServer,
    readonly url: string,
    /** Where new connections are relayed to (retarget). */
    private target: string,
  ) {}

  /** New connections go to `target` from now on. */
  retarget(target: string): void {
    this.target = target;
  }

  /** Cuts every connection, as the server's process dying would. */
  cutAll(): void {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
  }

  /** Closes every client's connection with `code` (1012: a server restarting says so). */
  closeAll(code: number): void {
    for (const ws of this.sockets) ws.close(code);
    this.sockets.clear();
  }

  static async start(target: string): Promise<FrameRelay> {
    const server = http.createServer();
    const wss = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const relay = new FrameRelay(server, wss, `ws://127.0.0.1:${port}/ws`, target);
    wss.on('connection', (client, req) => relay.pipe(client, req.socket, relay.target));
    return relay;
  }

  private pipe(client: WebSocket, socket: Socket, target: string): void {
    const upstream = new WebSocket(target);
    this.sockets.add(client).add(upstream);
    const early: string[] = [];
    let waiting: string | null = null;
    client.on('message', (data: RawData) => {
      const text = textOf(data);
      const type = (JSON.parse(text) as Frame).type;
      this.sent.set(type, (this.sent.get(type) ?? 0) + 1);
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else early.push(text);
    });
    upstream.on('open', () => early.splice(0).forEach((t) => upstream.send(t)));
    upstream.on('message', (data: RawData) => {
      const text = textOf(data);
      const frame = JSON.parse(text) as Frame;
      if (this.drop?.(frame)) {
        this.dropped.push(frame);
        return;
      }
      if (waiting !== null) {
        socket.write(Buffer.concat([textFrame(waiting), textFrame(text)]));
        waiting = null;
      } else if (this.holdForNext?.(frame)) {
        this.holdForNext = null;
        this.held.push(frame);
        waiting = text;
      } else client.send(text);
      if (this.repeat?.(frame)) {
        this.repeated.push(frame);
        client.send(text);
      }
    });
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('close', () => b.close());
      a.on('error', () => b.terminate());
    }
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

/** An unmasked server → client text frame (RFC 6455 5.2), for writing two at once. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const n = payload.length;
  const header =
    n < 126
      ? Buffer.from([0x81, n])
      : n < 65536
        ? Buffer.from([0x81, 126, n >> 8, n & 0xff])
        : Buffer.concat([Buffer.from([0x81, 127]), bigLength(n)]);
  return Buffer.concat([header, payload]);
}

function bigLength(n: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(n));
  return out;
}
