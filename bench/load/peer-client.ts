/**
 * One simulated peer: a real ws client speaking the wire protocol. Requests carry a
 * request_id and resolve on the server's answer with the same id; everything else (the
 * fan-out) goes to the shared event sink.
 */
import WebSocket from 'ws';

export interface WireMessage {
  type: string;
  request_id?: string;
  [key: string]: unknown;
}

export type EventSink = (client: PeerClient, message: WireMessage, at: number) => void;

interface Pending {
  resolve(message: WireMessage): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The server answered with an error: the request changed nothing. `code` is the protocol's
 * error code when the server gave one.
 */
export class ServerRefusal extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export const REQUEST_TIMEOUT_MS = 15_000;
let requestCounter = 0;

export class PeerClient {
  private ws: WebSocket | null = null;
  private readonly pending = new Map<string, Pending>();
  closed = false;

  constructor(
    readonly peerId: string,
    readonly partyId: string,
    readonly isHost: boolean,
    private readonly sink: EventSink,
  ) {}

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** `localAddress`: connect from another loopback address (127.0.0.2, …). */
  connect(url: string, timeoutMs: number, localAddress?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const options = { perMessageDeflate: false, handshakeTimeout: timeoutMs, localAddress };
      const ws = new WebSocket(url, options);
      this.ws = ws;
      ws.once('open', () => resolve());
      ws.once('error', (error) => reject(error));
      ws.on('message', (data: Buffer) => this.onMessage(data.toString()));
      ws.on('close', () => this.onClose());
    });
  }

  /** Sends a request and resolves with the answer carrying its request_id. */
  request(message: Omit<WireMessage, 'request_id'>): Promise<WireMessage> {
    // Unique across this process, so a fan-out frame wrongly carrying another socket's
    // request_id can never be taken for this socket's answer.
    const requestId = `r${++requestCounter}`;
    return new Promise((resolve, reject) => {
      if (!this.open) return reject(new Error(`${this.peerId}: socket not open`));
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(
          new Error(
            `${this.peerId}: no answer to ${String(message.type)} in ${REQUEST_TIMEOUT_MS} ms`,
          ),
        );
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(requestId, { resolve, reject, timer });
      this.ws!.send(JSON.stringify({ ...message, request_id: requestId }));
    });
  }

  /** A frame as is, answered or not (malformed and oversized frames). */
  sendRaw(data: string | Buffer, binary = false): void {
    if (this.open) this.ws!.send(data, { binary });
  }

  close(): void {
    this.closed = true;
    this.ws?.terminate();
  }

  private onMessage(text: string): void {
    const at = performance.now();
    let message: WireMessage;
    try {
      message = JSON.parse(text) as WireMessage;
    } catch {
      return;
    }
    const pending =
      message.request_id === undefined ? undefined : this.pending.get(message.request_id);
    if (!pending) return this.sink(this, message, at);
    this.pending.delete(message.request_id!);
    clearTimeout(pending.timer);
    if (message.type === 'error') {
      const code = typeof message.code === 'string' ? message.code : undefined;
      const text = `${this.peerId}: server error: ${String(message.message)}`;
      pending.reject(new ServerRefusal(text, code));
    } else {
      pending.resolve(message);
    }
  }

  private onClose(): void {
    this.closed = true;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`${this.peerId}: socket closed`));
      this.pending.delete(id);
    }
  }
}

/** The peer dict a simulated peer announces (the spec's keys, valid values). */
export function peerDict(peerId: string, index: number): Record<string, unknown> {
  const octet = (index % 250) + 1;
  return {
    peer_id: peerId,
    name: `Bench ${peerId.slice(-12)}`,
    public_key: Buffer.from(peerId.padEnd(32, '=')).toString('base64').slice(0, 44),
    nat_type: 'full_cone',
    public_ip: `203.0.113.${octet}`,
    public_port: 51820,
    local_ip: `192.168.1.${octet}`,
    local_port: 51820,
    last_seen: new Date().toISOString(),
  };
}
