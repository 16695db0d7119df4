import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostParty, peerDict, RawClient } from '../../../../server/test-util/support';
import { parseStateFile } from '../../state/state-file';
import { openFileLimit } from '../../../../server/admission/admission';
import { MemoryLogger } from '../../../../shared/test-support/memory-logger';
import { WebSocket } from 'ws';
import {
  EMBEDDED_MAX_CONNECTIONS,
  EMBEDDED_MAX_PER_ADDRESS,
  EmbeddedServer,
  type EmbeddedServerOptions,
} from './embedded-server';
import { embeddedOptions } from '../../test-util/embedded-options';

let dir: string;
const started: EmbeddedServer[] = [];
const clients: RawClient[] = [];

function options(overrides: Partial<EmbeddedServerOptions> = {}): EmbeddedServerOptions {
  return embeddedOptions(join(dir, 'local_server.json'), overrides);
}

async function start(overrides: Partial<EmbeddedServerOptions> = {}): Promise<EmbeddedServer> {
  const server = await EmbeddedServer.start(options(overrides));
  started.push(server);
  return server;
}

async function connect(server: EmbeddedServer): Promise<RawClient> {
  const client = await RawClient.connect(server.url);
  clients.push(client);
  return client;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanrage-embedded-'));
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(started.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('EmbeddedServer', () => {
  it('caps connections at what a gamer’s PC serves, so hosting never warns about ulimit', async () => {
    const logger = new MemoryLogger();
    await start({ logger });
    const limit = openFileLimit();
    // The server's own rule keeps 256 descriptors aside (server/admission/admission.ts).
    if (limit === null || limit >= EMBEDDED_MAX_CONNECTIONS + 256) {
      expect(logger.messages('warn').filter((m) => m.includes('ulimit'))).toEqual([]);
    }
    expect(EMBEDDED_MAX_CONNECTIONS).toBe(512);
  });

  it('holds a few connections per address, so two LAN PCs cannot take every one', async () => {
    const server = await start({ host: '0.0.0.0' });
    const url = server.url.replace('0.0.0.0', '127.0.0.1');
    const sockets: WebSocket[] = [];
    const open = (localAddress: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { localAddress });
        sockets.push(ws);
        ws.once('open', () => resolve(101));
        ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        ws.once('error', () => resolve(0));
      });
    try {
      const first = [];
      for (let i = 0; i < EMBEDDED_MAX_PER_ADDRESS; i++) first.push(await open('127.0.0.2'));
      expect(first.every((status) => status === 101)).toBe(true);
      expect(await open('127.0.0.2')).toBe(429);
      expect(await open('127.0.0.3')).toBe(101);
    } finally {
      for (const ws of sockets) ws.terminate();
    }
    expect(EMBEDDED_MAX_PER_ADDRESS).toBe(32);
  });

  it('serves the protocol; hosted parties are listed, announced and stored in the spec format', async () => {
    const server = await start();
    const changes: string[][] = [];
    server.onChange((parties) => changes.push(parties.map((p) => p.partyId)));
    const host = await connect(server);
    await hostParty(host, 'party_01', 'peer_h');
    expect(server.hostedParties().map((p) => p.partyId)).toEqual(['party_01']);
    expect(changes).toContainEqual(['party_01']);

    const guest = await connect(server);
    await guest.hello();
    const joined = await guest.request({
      type: 'join_party',
      party_id: 'party_01',
      peer: peerDict('peer_g'),
    });
    expect(joined.type).toBe('party_update');
    await host.nextOfType('peer_joined');
    const stored = parseStateFile(JSON.parse(await readFile(options().file, 'utf8')));
    expect([...stored.parties.get('party_01')!.peers.keys()].sort()).toEqual(['peer_g', 'peer_h']);
    expect(server.hostedParties()[0]!.peers.size).toBe(2);
  });

  it('counts who is online and tells its listeners when presence changes', async () => {
    const server = await start();
    const host = await connect(server);
    await hostParty(host, 'party_01', 'peer_h');
    const guest = await connect(server);
    await guest.hello();
    await guest.request({ type: 'join_party', party_id: 'party_01', peer: peerDict('peer_g') });
    expect(server.onlineCount('party_01')).toBe(2);
    let told = 0;
    server.onChange(() => told++);
    guest.ws.close();
    await host.next((f) => f.type === 'peer_status' && f.peer_id === 'peer_g');
    expect(server.onlineCount('party_01')).toBe(1);
    expect(told).toBeGreaterThan(0);
    expect(server.onlineCount('party_none')).toBe(0);
  });

  it('knows when the other online members were last heard, a ping included', async () => {
    const server = await start();
    const host = await connect(server);
    await hostParty(host, 'party_01', 'peer_h');
    expect(server.othersHeardAt('peer_h')).toBeNull();
    const guest = await connect(server);
    await guest.hello();
    await guest.request({ type: 'join_party', party_id: 'party_01', peer: peerDict('peer_g') });
    const joined = server.othersHeardAt('peer_h')!;
    expect(Date.now() - joined).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 30));
    // What a guest's quiet link sends (link-liveness.ts): nothing else said it was there.
    const pong = new Promise((r) => guest.ws.once('pong', r));
    guest.ws.ping();
    await pong;
    expect(server.othersHeardAt('peer_h')!).toBeGreaterThanOrEqual(joined + 30);
    expect(server.othersHeardAt('peer_g')).toBeGreaterThanOrEqual(joined - 1000);
  });

  it('a restart on the same file still has the party, its event number and who owns which peer', async () => {
    const first = await start();
    const hostClient = await connect(first);
    const token = await hostParty(hostClient, 'party_01', 'peer_h');
    await hostClient.request({
      type: 'update_peer',
      party_id: 'party_01',
      peer: peerDict('peer_h', { public_port: 40001 }),
    });
    const before = await hostClient.request({ type: 'get_party', party_id: 'party_01' });
    expect(before.seq).toBeGreaterThan(0);
    // Stop without the quit path's closing of parties: a crash leaves the file as it was.
    await (first as unknown as { running: { close(): Promise<void> } }).running.close();
    const second = await start();
    expect(second.hostedParties().map((p) => p.partyId)).toEqual(['party_01']);
    const stranger = await connect(second);
    await stranger.hello();
    const refused = await stranger.request({
      type: 'update_peer',
      party_id: 'party_01',
      peer: peerDict('peer_h'),
    });
    expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });
    const owner = await connect(second);
    await owner.hello(token);
    const ok = await owner.request({ type: 'heartbeat', party_id: 'party_01', peer_id: 'peer_h' });
    expect(ok.type).toBe('heartbeat_ack');
    // Event numbers go on from where they were, so clients apply nothing twice.
    const after = await owner.request({ type: 'get_party', party_id: 'party_01' });
    expect(after.seq).toBe(before.seq);
  });

  it('after a crash its guests come back offline since their last beat, not as just seen', async () => {
    const first = await start();
    const hostClient = await connect(first);
    const token = await hostParty(hostClient, 'party_02', 'peer_h');
    const guest = await connect(first);
    await guest.hello();
    await guest.request({ type: 'join_party', party_id: 'party_02', peer: peerDict('peer_g') });
    await (first as unknown as { running: { close(): Promise<void> } }).running.close();
    // The guest's last beat was two minutes before the restart (the file is the spec's format).
    const file = options().file;
    const stored = JSON.parse(await readFile(file, 'utf8')) as {
      parties: Record<string, { peers: Record<string, { last_seen: string }> }>;
    };
    const lastBeat = new Date(Date.now() - 120_000).toISOString();
    stored.parties.party_02!.peers.peer_g!.last_seen = lastBeat;
    await writeFile(file, JSON.stringify(stored));
    const second = await start();
    const owner = await connect(second);
    await owner.hello(token);
    await owner.request({ type: 'heartbeat', party_id: 'party_02', peer_id: 'peer_h' });
    const party = await owner.request({ type: 'get_party', party_id: 'party_02' });
    const presence = party.presence as Record<string, { status: string; last_seen: string }>;
    expect(presence.peer_h!.status).toBe('online');
    expect(presence.peer_g).toMatchObject({ status: 'offline', last_seen: lastBeat });
  });

  it('quitting tells every member the party closed because the host left, then empties the file', async () => {
    const server = await start();
    await hostParty(await connect(server), 'party_01', 'peer_h');
    const guest = await connect(server);
    await guest.hello();
    await guest.request({ type: 'join_party', party_id: 'party_01', peer: peerDict('peer_g') });
    const closed = guest.nextOfType('party_closed');
    await server.close();
    expect(await closed).toMatchObject({ party_id: 'party_01', reason: 'host_left' });
    expect(await guest.closed).toBe(1012);
    const stored = parseStateFile(JSON.parse(await readFile(options().file, 'utf8')));
    expect(stored.parties.size).toBe(0);
  });

  it('takes any free port when the preferred one is in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const server = await start({ port: taken });
      expect(server.port).not.toBe(taken);
      expect(server.port).toBeGreaterThan(0);
      const client = await connect(server);
      expect(await client.hello()).toMatch(/.{16,}/);
    } finally {
      blocker.close();
    }
  });

  it('keeps a corrupt store file aside, reports it and starts empty', async () => {
    await writeFile(options().file, '{"parties": {"x": 1}}');
    const reports: string[] = [];
    const server = await start({ report: (m) => reports.push(m) });
    expect(server.hostedParties()).toEqual([]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain('kept the file as');
    expect((await readdir(dir)).some((f) => f.startsWith('local_server.json.corrupt-'))).toBe(true);
  });

  it('says whether it is reachable from the LAN and gives clients a loopback URL', async () => {
    const lan = await start({ host: '0.0.0.0' });
    expect(lan.onLan).toBe(true);
    expect(lan.url).toBe(`ws://127.0.0.1:${lan.port}/ws`);
    const here = await start({ host: '127.0.0.1' });
    expect(here.onLan).toBe(false);
  });
});
