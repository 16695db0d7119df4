/**
 * What the user does while the control server is away is not lost: leaving and renaming
 * work at once, and the server hears of them when it is back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger as serverLogger } from '../../../shared/logger';
import { startServer } from '../../../server/server';
import type { RunningServer } from '../../../server/server-core';
import { MemoryPartyStore } from '../../../server/store/test-util/memory-store';
import type { RemoteControlPlane } from '../control';
import { waitFor } from '../test-util/child-process';
import { finishedBeats } from '../test-util/finished-beats';
import { ManualClock } from '../test-util/manual-clock';
import { makePeer } from '../test-util/fixtures';
import { makeTempDir } from '../test-util/temp-dir';
import { testRemotePlane } from '../test-util/remote-plane';

let server: RunningServer | null;
let store: MemoryPartyStore;
let home: string;
let cleanup: () => void;
const planes: RemoteControlPlane[] = [];

const start = (port = 0): Promise<RunningServer> =>
  startServer({ port, dataDir: home, store, logger: serverLogger, heartbeatIntervalS: 30 });

beforeEach(async () => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-resume-'));
  store = new MemoryPartyStore();
  server = await start();
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await server?.close();
  cleanup();
});

async function plane(name: string, url: string, clock?: ManualClock): Promise<RemoteControlPlane> {
  const options = { reconnectDelayMs: 50, requestTimeoutMs: 2000, clock };
  const p = testRemotePlane(home, name, url, options);
  planes.push(p);
  await p.initialize();
  return p;
}

/** A hosts p1, B joins it; both see both. */
async function party(): Promise<[RemoteControlPlane, RemoteControlPlane]> {
  const url = server!.url;
  const [a, b] = [await plane('a', url), await plane('b', url)];
  await a.registerParty('party_p1', 'P', makePeer('pa', 'Alice'));
  await b.joinParty('party_p1', makePeer('pb', 'Bob'));
  await waitFor(() => a.parties.get('party_p1')?.peers.size === 2, 5000);
  return [a, b];
}

/** Stops the server and waits until the planes noticed; returns its port for the restart. */
async function stopServer(...ps: RemoteControlPlane[]): Promise<number> {
  const port = server!.port;
  await server!.close();
  server = null;
  await waitFor(() => ps.every((p) => !p.connected), 5000);
  return port;
}

describe('RemoteControlPlane while the server is away', () => {
  it('leaving works at once, and the others see us go once the server is back', async () => {
    const [a, b] = await party();
    const port = await stopServer(a, b);

    await b.leaveParty('party_p1', 'pb');
    expect(b.parties.has('party_p1')).toBe(false);
    expect(b.myPartyId).toBeNull();

    server = await start(port);
    await waitFor(() => a.connected && b.connected, 5000);
    await waitFor(() => a.parties.get('party_p1')?.peers.has('pb') === false, 5000);
    expect(server.context.service.parties.get('party_p1')?.peers.has('pb')).toBe(false);
    expect(b.parties.has('party_p1')).toBe(false);
  });

  it('a rename made meanwhile is kept and reaches the others after the reconnect', async () => {
    const [a, b] = await party();
    const port = await stopServer(a, b);

    await b.updatePeer('party_p1', makePeer('pb', 'Bobby'));
    expect(b.parties.get('party_p1')?.peers.get('pb')?.name).toBe('Bobby');

    server = await start(port);
    await waitFor(() => a.parties.get('party_p1')?.peers.get('pb')?.name === 'Bobby', 5000);
    expect(server.context.service.parties.get('party_p1')?.peers.get('pb')?.name).toBe('Bobby');
    expect(b.parties.get('party_p1')?.peers.get('pb')?.name).toBe('Bobby');
  });

  it('a relinked app beats at once: its own rows are not left unknown for an interval', async () => {
    const clock = new ManualClock(Date.now());
    const b = await plane('b', server!.url, clock);
    await b.registerParty('party_p1', 'P', makePeer('pb', 'Bob'));
    const beats = finishedBeats(b);
    const port = await stopServer(b);
    server = await start(port);
    // The reconnect loop waits its 50 ms on this clock; nothing else of the 30 s interval passes.
    for (let i = 0; i < 100 && !b.connected; i++) await clock.advance(10);
    expect(b.connected).toBe(true);
    const relinkedAt = clock.now();
    await waitFor(() => beats() > 0, 5000);
    expect(b.status().lastHeartbeatAt).toBeGreaterThanOrEqual(relinkedAt);
    expect(clock.now() - relinkedAt).toBeLessThan(b.status().heartbeatIntervalMs);
  });

  it('leaving a party the server no longer has still leaves', async () => {
    const [, b] = await party();
    // The server drops the party without telling anyone (a push lost on the way).
    server!.context.service.parties.delete('party_p1');
    await expect(b.leaveParty('party_p1', 'pb')).resolves.toBeUndefined();
    expect(b.parties.has('party_p1')).toBe(false);
    expect(b.myPartyId).toBeNull();
  });
});
