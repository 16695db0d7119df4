/**
 * A control server a test scripts, on 127.0.0.1 port 0: by default it answers like an
 * honest server (welcome, the party asked about, acks), and a test replaces any answer or
 * pushes anything (junk included) to play a hostile one.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PartyDict, PeerDict } from '../../../shared/party/dicts';

export type Request = Record<string, unknown> & { type: string; request_id?: string };
/** What to send back: frames (objects are JSON-encoded), or nothing at all. */
export type Answer = (request: Request) => (object | string | Buffer)[];

export const TEST_TOKEN = 't'.repeat(32);

export function welcome(request: Request, heartbeat = 30, peerTimeout = 300): object {
  return {
    type: 'welcome',
    session_token: TEST_TOKEN,
    version: '1.0',
    heartbeat_interval: heartbeat,
    peer_timeout: peerTimeout,
    request_id: request.request_id,
  };
}

export function partyDict(partyId: string, peers: PeerDict[], hostId = peers[0]!.peer_id) {
  const dict: PartyDict = {
    party_id: partyId,
    name: `Party ${partyId}`,
    host_id: hostId,
    created_at: '2026-01-29T12:00:00.000Z',
    peers: Object.fromEntries(peers.map((p) => [p.peer_id, p])),
  };
  return dict;
}

export function peerDict(peerId: string, name = peerId): PeerDict {
  return {
    peer_id: peerId,
    name,
    public_key: 'k'.repeat(43) + '=',
    nat_type: 'open',
    public_ip: '127.0.0.1',
    public_port: 51820,
    local_ip: '127.0.0.1',
    local_port: 51820,
    last_seen: '2026-01-29T12:00:00.000Z',
  };
}

/** The answer an honest server gives (a party holding just the asker). */
export function honestAnswer(request: Request): object[] {
  const id = request.request_id;
  switch (request.type) {
    case 'hello':
      return [welcome(request)];
    case 'register_party':
      return [
        {
          type: 'party_update',
          party: partyDict(request.party_id as string, [request.host_peer as PeerDict]),
          request_id: id,
        },
      ];
    case 'join_party':
      return [
        {
          type: 'party_update',
          party: partyDict(request.party_id as string, [request.peer as PeerDict]),
          request_id: id,
        },
      ];
    case 'heartbeat':
      return [{ type: 'heartbeat_ack', server_time: new Date().toISOString(), request_id: id }];
    default:
      return [{ type: 'ack', request_id: id }];
  }
}

export class ScriptedServer {
  /** Replace to script the answers; the default is honest. */
  answer: Answer = honestAnswer;
  readonly requests: Request[] = [];
  private constructor(
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        const request = JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as Request;
        this.requests.push(request);
        for (const frame of this.answer(request)) send(ws, frame);
      });
    });
  }

  /** On `host` (an IPv4 address of this PC): a test of a server not on loopback names one. */
  static async start(host = '127.0.0.1'): Promise<ScriptedServer> {
    const wss = new WebSocketServer({ host, port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    const { port } = wss.address() as AddressInfo;
    return new ScriptedServer(wss, `http://${host}:${port}`);
  }

  /** Sends frames to every connected client. */
  push(...frames: (object | string | Buffer)[]): void {
    for (const ws of this.wss.clients) for (const frame of frames) send(ws, frame);
  }

  /** Cuts every connection, as a lost network would: the clients reconnect and resync. */
  dropAll(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  get connections(): number {
    return this.wss.clients.size;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise((resolve) => this.wss.close(resolve));
  }
}

function send(ws: WebSocket, frame: object | string | Buffer): void {
  if (Buffer.isBuffer(frame)) ws.send(frame, { binary: true });
  else ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
}
