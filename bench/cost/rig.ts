/**
 * An in-process server core whose connections write into a counter instead of a socket, so
 * the CPU a message costs our code is measured without the kernel and the load generator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import { silentLogger } from '../../shared/logger';
import { NO_QUOTAS } from '../../server/admission/quotas';
import { ClientConnection } from '../../server/connection/connection';
import { startServer } from '../../server/server';
import type { RunningServer } from '../../server/server-core';
import { MemoryPartyStore } from '../../server/store/test-util/memory-store';
import { peerDict } from '../../server/test-util/support';
import type { Evictor } from './evict';

/** What ClientConnection uses of a ws socket. */
export class NullSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  frames = 0;
  bytes = 0;
  /** `evictor`: run after each frame, as a real socket's write would (evict.ts). */
  constructor(private readonly evictor: Evictor | null = null) {}
  send(frame: string | Buffer): void {
    this.frames++;
    this.bytes += frame.length;
    this.evictor?.run();
  }
  close(): void {}
  terminate(): void {}
}

export interface Member {
  conn: ClientConnection;
  socket: NullSocket;
  peerId: string;
  partyId: string;
}

export interface Rig {
  parties: Member[][];
  stop(): Promise<void>;
}

const OPTIONS = { maxBufferedBytes: 1 << 30, rateLimit: null, helloTimeoutMs: 0 };
let requestId = 0;

export function frame(message: object): Buffer {
  return Buffer.from(JSON.stringify({ ...message, request_id: `r${++requestId}` }));
}

/** Lets the group commit (setImmediate) and its callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

function connect(
  server: RunningServer,
  partyId: string,
  index: number,
  evictor: Evictor | null,
): Member {
  const socket = new NullSocket(evictor);
  const conn = new ClientConnection(
    socket as unknown as WebSocket,
    server.context,
    OPTIONS,
    silentLogger,
    '127.0.0.1',
  );
  const peerId = `${partyId}_m${index}`;
  conn.handleFrame(frame({ type: 'hello', version: '1.3' }));
  return { conn, socket, peerId, partyId };
}

/** A party of `members`: the first registers it, the others join. */
async function form(members: Member[]): Promise<void> {
  const [host, ...guests] = members;
  const partyId = host!.partyId;
  host!.conn.handleFrame(
    frame({
      type: 'register_party',
      party_id: partyId,
      name: 'Cost',
      host_peer: peerDict(host!.peerId),
    }),
  );
  await settle();
  for (const g of guests) {
    g.conn.handleFrame(frame({ type: 'join_party', party_id: partyId, peer: peerDict(g.peerId) }));
  }
  await settle();
}

/** `parties` parties of `size` members each, every member on its own connection. */
export async function startRig(
  parties: number,
  size: number,
  evictor: Evictor | null = null,
): Promise<Rig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lanrage-cost-'));
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    store: new MemoryPartyStore(),
    logger: silentLogger,
    quotas: NO_QUOTAS,
  });
  const all: Member[][] = [];
  for (let p = 0; p < parties; p++) {
    const partyId = `cost_party_${p}`;
    const members = Array.from({ length: size }, (_, i) => connect(server, partyId, i, evictor));
    await form(members);
    all.push(members);
  }
  return {
    parties: all,
    stop: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
