/**
 * The offline fallback is local mode: a server process that goes away leaves our party
 * hosted on our embedded server, where another instance can still join it; once the server
 * is back, everyone returns to it by themselves, still in the party.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../../../server/test-util/process';
import type { RemoteControlPlane } from '../control';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { makeTempDir } from '../test-util/temp-dir';
import { testRemotePlane } from '../test-util/remote-plane';
import { canSeeOthers } from '../../../shared/status';

let home: string;
let cleanup: () => void;
let proc: ServerProcess | null = null;
const planes: RemoteControlPlane[] = [];

beforeEach(() => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-fallback-'));
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await proc?.kill();
  proc = null;
  cleanup();
});

function start(port = 0): Promise<ServerProcess> {
  return spawnServer(['--port', String(port), '--data-dir', `${home}/server`]);
}

async function plane(name: string, url: string): Promise<RemoteControlPlane> {
  const p = testRemotePlane(home, name, url, {
    reconnectDelayMs: 100,
    connectTimeoutMs: 1000,
    requestTimeoutMs: 3000,
  });
  planes.push(p);
  await p.initialize();
  return p;
}

const peersOf = (p: RemoteControlPlane, partyId: string): string[] =>
  [...(p.parties.get(partyId)?.peers.keys() ?? [])].sort();

describe('offline fallback = local mode', () => {
  it('server gone: our party is hosted locally and a second instance joins it; server back: both return', async () => {
    proc = await start();
    const { port, url } = proc;
    const a = await plane('a', url);
    await a.registerParty('party_fb', 'Fallback Night', makePeer('alice'));
    await proc.kill('SIGKILL');
    proc = null;

    // Five failed attempts, then the party is served by a's embedded server.
    await waitFor(() => a.status().state === 'offline', 10_000);
    await waitFor(() => a.hosting.server?.hostedParties().length === 1, 10_000);
    expect(a.status().localServer).toEqual({ port: a.hosting.server!.port, lan: false });
    // The link moves to the embedded server once it hosts the party (a moment later under load).
    await waitFor(() => a.linkUrl === a.hosting.server?.url, 10_000);
    expect(a.linkUrl).toBe(a.hosting.server!.url);

    // Another instance, also unable to reach the server, finds the party here and joins.
    const b = await plane('b', url);
    await waitFor(() => b.status().state === 'offline', 10_000);
    expect([...(await b.discoverParties()).keys()]).toEqual(['party_fb']);
    expect((await b.previewParty('party_fb'))?.name).toBe('Fallback Night');
    await b.joinParty('party_fb', makePeer('bob'));
    await waitFor(() => peersOf(a, 'party_fb').join() === 'alice,bob', 5000);
    expect(peersOf(b, 'party_fb')).toEqual(['alice', 'bob']);
    // a serves the party itself: its own server's presence of bob is what a shows.
    await waitFor(() => a.presenceOf('party_fb').get('bob')?.status === 'online', 5000);
    expect(canSeeOthers(a.status())).toBe(true);

    // The server is back: both return to it by themselves, still together in the party.
    proc = await start(port);
    const onServer = (p: RemoteControlPlane) => p.connected && p.linkUrl === url;
    await waitFor(() => onServer(a) && onServer(b), 15_000);
    await waitFor(() => peersOf(a, 'party_fb').join() === 'alice,bob', 5000);
    await waitFor(() => peersOf(b, 'party_fb').join() === 'alice,bob', 5000);
    expect(a.status().state).toBe('connected');
    // The embedded server stops once the parties are back on the server (just after).
    await waitFor(() => a.status().localServer === null, 5000);
    expect(a.hosting.server).toBeNull();
    expect(await a.previewParty('party_fb')).toMatchObject({ host_name: 'alice', peer_count: 2 });
  });
});
