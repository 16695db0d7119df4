/**
 * The baseline: a minimal raw-ws fan-out server. It speaks just enough of the wire protocol
 * for the load generator (hello, join a room, broadcast JSON to it, answer heartbeats) and
 * nothing else: no validation, no persistence, no sessions. What it achieves is the
 * near-physical limit for JSON fan-out in Node on this machine.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;
interface Room {
  party: Json & { peers: Record<string, Json> };
  members: Map<string, WebSocket>;
}

export interface RawFanoutServer {
  readonly url: string;
  close(): Promise<void>;
}

function send(ws: WebSocket, message: Json): void {
  ws.send(JSON.stringify(message));
}

function broadcast(room: Room, except: string, message: Json): void {
  // One stringify per event, as any fan-out server would do.
  const frame = JSON.stringify(message);
  for (const [peerId, ws] of room.members) if (peerId !== except) ws.send(frame);
}

export class RawFanout {
  private readonly rooms = new Map<string, Room>();
  /** Which rooms each socket joined, so a close costs O(its rooms), not O(all rooms). */
  private readonly joined = new Map<WebSocket, Map<string, string>>();

  /** One frame as the socket delivered it (what bench/cost measures in-process). */
  handleFrame(ws: WebSocket, data: Buffer): void {
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (msg && typeof msg === 'object') this.handle(ws, msg as Json);
  }

  private handle(ws: WebSocket, msg: Json): void {
    const rid = msg.request_id;
    switch (msg.type) {
      case 'hello':
      case 'auth':
        return send(ws, {
          type: 'welcome',
          session_token: 'raw-baseline-session-token',
          version: '1.0',
          heartbeat_interval: 30,
          peer_timeout: 300,
          request_id: rid,
        });
      case 'register_party':
      case 'join_party':
        return this.join(ws, msg, msg.type === 'register_party' ? 'host_peer' : 'peer');
      case 'update_peer':
        return this.update(ws, msg);
      case 'leave_party':
        return this.leave(ws, msg);
      case 'heartbeat':
        return send(ws, {
          type: 'heartbeat_ack',
          server_time: new Date().toISOString(),
          request_id: rid,
        });
      default:
        return send(ws, { type: 'error', message: 'unsupported', request_id: rid });
    }
  }

  private join(ws: WebSocket, msg: Json, key: 'host_peer' | 'peer'): void {
    const partyId = String(msg.party_id);
    const peer = msg[key] as Json;
    const peerId = String(peer.peer_id);
    let room = this.rooms.get(partyId);
    if (!room) {
      const party = {
        party_id: partyId,
        name: msg.name ?? partyId,
        host_id: peerId,
        created_at: new Date().toISOString(),
        peers: {},
      };
      room = { party, members: new Map() };
      this.rooms.set(partyId, room);
    }
    room.party.peers[peerId] = peer;
    room.members.set(peerId, ws);
    let mine = this.joined.get(ws);
    if (!mine) this.joined.set(ws, (mine = new Map<string, string>()));
    mine.set(partyId, peerId);
    send(ws, { type: 'party_update', party: room.party, request_id: msg.request_id });
    broadcast(room, peerId, { type: 'peer_joined', party_id: partyId, peer });
  }

  private update(ws: WebSocket, msg: Json): void {
    const room = this.rooms.get(String(msg.party_id));
    const peer = msg.peer as Json;
    if (!room)
      return send(ws, { type: 'error', message: 'Party not found', request_id: msg.request_id });
    room.party.peers[String(peer.peer_id)] = peer;
    send(ws, { type: 'ack', request_id: msg.request_id });
    broadcast(room, String(peer.peer_id), { type: 'party_update', party: room.party });
  }

  private leave(ws: WebSocket, msg: Json): void {
    const partyId = String(msg.party_id);
    const peerId = String(msg.peer_id);
    const room = this.rooms.get(partyId);
    this.joined.get(ws)?.delete(partyId);
    if (room) {
      delete room.party.peers[peerId];
      room.members.delete(peerId);
      if (room.members.size === 0) this.rooms.delete(partyId);
      broadcast(room, peerId, { type: 'peer_left', party_id: partyId, peer_id: peerId });
    }
    send(ws, { type: 'ack', request_id: msg.request_id });
  }

  drop(ws: WebSocket): void {
    for (const [partyId, peerId] of this.joined.get(ws) ?? []) {
      const room = this.rooms.get(partyId);
      if (!room || room.members.get(peerId) !== ws) continue;
      room.members.delete(peerId);
      delete room.party.peers[peerId];
      if (room.members.size === 0) this.rooms.delete(partyId);
    }
    this.joined.delete(ws);
  }
}

export async function startRawFanoutServer(host: string, port: number): Promise<RawFanoutServer> {
  const fanout = new RawFanout();
  const wss = new WebSocketServer({
    host,
    port,
    path: '/ws',
    perMessageDeflate: false,
    backlog: 4096,
  });
  wss.on('connection', (ws) => {
    ws.on('message', (data: Buffer) => fanout.handleFrame(ws, data));
    ws.on('close', () => fanout.drop(ws));
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const address = wss.address() as AddressInfo;
  return {
    url: `ws://${host}:${address.port}/ws`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
