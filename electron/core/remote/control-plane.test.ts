import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { statusText } from '../../../shared/status-words';
import { silentLogger as serverLogger } from '../../../shared/logger';
import { startServer } from '../../../server/server';
import type { RunningServer } from '../../../server/server-core';
import { MemoryPartyStore } from '../../../server/store/test-util/memory-store';
import { Config } from '../config/config';
import { createControlPlane, RemoteControlPlane } from '../control';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { finishedBeats } from '../test-util/finished-beats';
import { ManualClock } from '../test-util/manual-clock';
import { loadSessionToken, sessionFilePath, toWebSocketUrl } from '../client/link/session';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { makeTempDir } from '../test-util/temp-dir';
import type { ControlPlaneChange } from '../types';

let server: RunningServer;
let home: string;
let cleanup: () => void;
const planes: RemoteControlPlane[] = [];

beforeEach(async () => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-remote-'));
  server = await startServer({
    port: 0,
    dataDir: home,
    store: new MemoryPartyStore(),
    logger: serverLogger,
    heartbeatIntervalS: 0.2,
  });
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await server.close();
  cleanup();
});

function configFor(name: string, url = server.url, heartbeatInterval = 30): Config {
  return new Config({
    home,
    instance: name,
    peerName: name,
    controlServer: url.replace(/^ws/, 'http').replace(/\/ws$/, ''),
    heartbeatInterval,
    cleanupInterval: 60,
    peerTimeout: 300,
  });
}

async function plane(name: string): Promise<RemoteControlPlane> {
  const p = new RemoteControlPlane(configFor(name), {
    logger: new MemoryLogger(),
    saveDelayMs: 5,
    reconnectDelayMs: 50,
  });
  planes.push(p);
  await p.initialize();
  return p;
}

/** Counts the heartbeat requests a plane puts on the wire (its current connection). */
function countHeartbeats(p: RemoteControlPlane): () => number {
  const spy = vi.spyOn(p.ws!, 'request');
  return () => spy.mock.calls.filter(([m]) => m.type === 'heartbeat').length;
}

const peerCount = (p: RemoteControlPlane, partyId: string): number =>
  p.parties.get(partyId)?.peers.size ?? 0;

describe('toWebSocketUrl', () => {
  it('turns http(s) into ws(s) and appends /ws once', () => {
    expect(toWebSocketUrl('http://example.org:8667')).toBe('ws://example.org:8667/ws');
    expect(toWebSocketUrl('https://example.org/lanrage/')).toBe('wss://example.org/lanrage/ws');
    expect(toWebSocketUrl('ws://127.0.0.1:1/ws')).toBe('ws://127.0.0.1:1/ws');
    expect(() => toWebSocketUrl('ftp://x')).toThrow(ControlPlaneError);
  });
});

describe('RemoteControlPlane', () => {
  it('is what createControlPlane returns when a control server is configured', async () => {
    const p = createControlPlane(configFor('a'), { logger: new MemoryLogger() });
    expect(p).toBeInstanceOf(RemoteControlPlane);
    await p.close();
  });

  it('a server never reached is told apart from one that was lost (everConnected)', async () => {
    const dead = await startServer({
      port: 0,
      dataDir: home,
      store: new MemoryPartyStore(),
      logger: serverLogger,
    });
    const deadUrl = dead.url;
    await dead.close();
    const p = new RemoteControlPlane(configFor('never', deadUrl), {
      logger: new MemoryLogger(),
      reconnectDelayMs: 10_000,
    });
    planes.push(p);
    await p.initialize();
    expect(p.status()).toMatchObject({ everConnected: false, retryDelayMs: 10_000 });
    expect(p.status().state).not.toBe('connected');
  });

  it('a server reached in an earlier run counts as reached while it is down now', async () => {
    const earlier = await plane('again');
    expect(earlier.status().everConnected).toBe(true);
    await earlier.close();
    planes.splice(planes.indexOf(earlier), 1);
    await server.close();
    const p = new RemoteControlPlane(configFor('again'), {
      logger: new MemoryLogger(),
      reconnectDelayMs: 10_000,
    });
    planes.push(p);
    await p.initialize();
    expect(p.status().state).not.toBe('connected');
    expect(p.status().everConnected).toBe(true);
    expect(statusText(p.status(), 'none')).toMatch(/^Can't reach /);
  });

  it('connects, says hello and keeps its session token on disk', async () => {
    const a = await plane('a');
    expect(a.connected).toBe(true);
    expect(a.status()).toMatchObject({
      state: 'connected',
      serverUrl: server.url,
      everConnected: true,
      retryDelayMs: 50,
    });
    expect(a.maxReconnectAttempts).toBe(5);
    const token = await loadSessionToken(sessionFilePath(a.config.instanceDir), a.serverUrl);
    expect(token).toMatch(/^\w{32}$/);
  });

  it('three planes share a party: join, heartbeat, update, signal, leave, host leaves', async () => {
    const [a, b, c] = [await plane('a'), await plane('b'), await plane('c')];
    const party = await a.registerParty('party_abc123', 'Gaming Night', makePeer('pa', 'Alice'));
    expect(party.hostId).toBe('pa');
    const joined = await b.joinParty('party_abc123', makePeer('pb', 'Bob'));
    expect(joined.peers.size).toBe(2);
    await c.joinParty('party_abc123', makePeer('pc', 'Carol'));
    await waitFor(() => [a, b, c].every((p) => peerCount(p, 'party_abc123') === 3), 5000);

    await b.heartbeat('party_abc123', 'pb');
    expect(b.status().lastHeartbeatAt).not.toBeNull();
    expect(b.status().lastHeartbeatRttMs).toBeGreaterThanOrEqual(0);

    await c.updatePeer('party_abc123', makePeer('pc', 'Carol').with({ publicPort: 40000 }));
    await waitFor(() => a.parties.get('party_abc123')?.peers.get('pc')?.publicPort === 40000, 5000);
    await waitFor(() => b.parties.get('party_abc123')?.peers.get('pc')?.publicPort === 40000, 5000);

    const signals: ControlPlaneChange[] = [];
    b.subscribe((change) => change.kind === 'signal' && signals.push(change));
    await a.sendSignal('party_abc123', 'pb', { sdp: 'offer' });
    await waitFor(() => signals.length === 1, 5000);
    expect(signals[0]).toEqual({
      kind: 'signal',
      partyId: 'party_abc123',
      fromPeerId: 'pa',
      signalData: { sdp: 'offer' },
    });

    await c.leaveParty('party_abc123', 'pc');
    expect(c.parties.has('party_abc123')).toBe(false);
    await waitFor(() => [a, b].every((p) => peerCount(p, 'party_abc123') === 2), 5000);

    await a.leaveParty('party_abc123', 'pa');
    await waitFor(() => !b.parties.has('party_abc123'), 5000);
    expect(b.myPartyId).toBeNull();
    expect(server.context.service.parties.has('party_abc123')).toBe(false);
  });

  it('throws ControlPlaneError with the server’s message', async () => {
    const a = await plane('a');
    await expect(a.joinParty('nope', makePeer('pa'))).rejects.toMatchObject({
      name: 'ControlPlaneError',
      message: 'Party not found',
      code: 'not_found',
    });
  });

  it('the server gives a member whose name another member shows a visible suffix', async () => {
    const [a, b] = [await plane('a'), await plane('b')];
    await a.registerParty('party_p1', 'P', makePeer('pa', 'Host'));
    const joined = await b.joinParty('party_p1', makePeer('pb', 'Ho\u200Bst'));
    expect(joined.peers.get('pb')?.name).toBe('Host (2)');
    await waitFor(() => a.parties.get('party_p1')?.peers.get('pb')?.name === 'Host (2)', 3000);
    expect(server.context.service.parties.get('party_p1')?.peers.get('pb')?.name).toBe('Host (2)');
  });

  it('a host leaving picks no successor: the server names the new host to the members', async () => {
    const [a, b, c] = [await plane('a'), await plane('b'), await plane('c')];
    await a.registerParty('party_p1', 'P', makePeer('pa', 'Alice'), { hostMigration: true });
    await b.joinParty('party_p1', makePeer('pb', 'Bob'));
    await c.joinParty('party_p1', makePeer('pc', 'Cid'));
    await waitFor(() => peerCount(a, 'party_p1') === 3, 5000);
    const told: ControlPlaneChange[] = [];
    a.subscribe((change) => told.push(change));
    await a.leaveParty('party_p1', 'pa');
    // Here only my own leave: no host_changed made up from this app's view of presence.
    const events = told.flatMap((change) => (change.kind === 'party' ? change.events : []));
    expect(events).toEqual([
      { type: 'peer_left', partyId: 'party_p1', peerId: 'pa', reason: 'left' },
    ]);
    expect(a.parties.has('party_p1')).toBe(false);
    await waitFor(() => c.parties.get('party_p1')?.hostId === 'pb', 5000);
    expect(server.context.service.parties.get('party_p1')?.hostId).toBe('pb');
  });

  it('a profile update shows the server’s copy: its name suffix and its clock, not ours', async () => {
    const a = await plane('a');
    // b's clock is years behind: a last_seen stamped here would read as long ago.
    const b = new RemoteControlPlane(configFor('b'), {
      clock: new ManualClock(Date.UTC(2001, 0, 1)),
      logger: new MemoryLogger(),
      saveDelayMs: 5,
    });
    planes.push(b);
    await b.initialize();
    await a.registerParty('party_p1', 'P', makePeer('pa', 'Alice'));
    await b.joinParty('party_p1', makePeer('pb', 'Bob'));
    await b.updatePeer('party_p1', makePeer('pb', 'Alice'));
    const mine = b.parties.get('party_p1')?.peers.get('pb');
    expect(mine?.name).toBe('Alice (2)');
    expect(mine?.lastSeen.getTime()).toBeGreaterThan(Date.UTC(2020, 0, 1));
    expect(b.ownProfile?.name).toBe('Alice');
  });

  it('refuses to act as another plane’s peer (forbidden)', async () => {
    const [a, b] = [await plane('a'), await plane('b')];
    await a.registerParty('party_p1', 'P', makePeer('pa'));
    await b.joinParty('party_p1', makePeer('pb'));
    await expect(b.leaveParty('party_p1', 'pa')).rejects.toMatchObject({ code: 'forbidden' });
    expect(server.context.service.parties.get('party_p1')?.peers.has('pa')).toBe(true);
  });

  it('sends heartbeats on its own at the server’s heartbeat_interval', async () => {
    const a = await plane('a');
    await a.registerParty('party_p1', 'P', makePeer('pa'));
    expect(a.status().heartbeatIntervalMs).toBe(200);
    await waitFor(() => a.status().lastHeartbeatAt !== null, 3000);
    const first = a.status().lastHeartbeatAt!;
    await waitFor(() => a.status().lastHeartbeatAt! > first, 3000);
  });

  it('a restarted app resumes its peer id with the saved session token', async () => {
    const a = await plane('a');
    await a.registerParty('party_p1', 'P', makePeer('pa'));
    await a.close();
    const again = await plane('a');
    expect(again.parties.has('party_p1')).toBe(true);
    await again.heartbeat('party_p1', 'pa');
    expect(again.status().lastHeartbeatRttMs).not.toBeNull();
  });

  it('an explicit heartbeat right after an automatic one is still sent', async () => {
    const a = await plane('a');
    const beats = finishedBeats(a);
    await a.registerParty('party_p1', 'P', makePeer('pa'));
    await waitFor(() => beats() === 2, 3000);
    // Call heartbeat() in the very tick the automatic beat's ack lands.
    const acked = new Promise<void>((resolve) =>
      a.subscribe((c) => c.kind === 'status' && c.status.lastHeartbeatAt !== null && resolve()),
    );
    await acked;
    const sent = countHeartbeats(a);
    const before = Date.now();
    await a.heartbeat('party_p1', 'pa');
    expect(sent()).toBe(1);
    expect(a.status().lastHeartbeatAt).toBeGreaterThanOrEqual(before);
  });

  it('one timer beats, at the server’s interval, whatever config.heartbeatInterval says', async () => {
    const clock = new ManualClock(Date.now());
    // The configured interval (0.05 s) is shorter than the server's (0.2 s): the server wins.
    const a = new RemoteControlPlane(configFor('a', server.url, 0.05), {
      clock,
      logger: new MemoryLogger(),
      saveDelayMs: 5,
    });
    planes.push(a);
    await a.initialize();
    const beats = finishedBeats(a);
    await a.registerParty('party_p1', 'P', makePeer('pa'));
    await waitFor(() => beats() === 2, 3000);
    const sent = countHeartbeats(a);
    for (let i = 0; i < 10; i++) await clock.advance(100);
    expect(sent()).toBe(5);
  });
});
