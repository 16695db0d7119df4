/**
 * Two servers on one Redis, the app given both (issue 12): SIGKILL the one most clients
 * use, and within 15 s every client is back in its party on the other, with every
 * acknowledged member.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisTestServer } from '../../../server/test-util/redis-server';
import { spawnServer, type ServerProcess } from '../../../server/test-util/process';
import type { RemoteControlPlane } from '../control';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { testRemotePlane } from '../test-util/remote-plane';
import { makeTempDir } from '../test-util/temp-dir';

let redis: RedisTestServer;
let home: string;
let cleanup: () => void;
const procs: ServerProcess[] = [];
const planes: RemoteControlPlane[] = [];

beforeEach(async () => {
  redis = await RedisTestServer.start();
  ({ dir: home, cleanup } = makeTempDir('lanrage-failover-'));
}, 20_000);
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await Promise.all(procs.splice(0).map((p) => p.kill()));
  await redis.cleanup();
  cleanup();
});

async function server(name: string): Promise<ServerProcess> {
  const dataDir = `${home}/${name}`;
  const proc = await spawnServer(['--port', '0', '--data-dir', dataDir, '--redis', redis.url]);
  procs.push(proc);
  return proc;
}

async function plane(name: string, servers: string[]): Promise<RemoteControlPlane> {
  const p = testRemotePlane(home, name, servers.join(', '), {
    reconnectDelayMs: 200,
    connectTimeoutMs: 2000,
    requestTimeoutMs: 3000,
  });
  planes.push(p);
  await p.initialize();
  return p;
}

const hasAll = (p: RemoteControlPlane, ids: string[]): boolean =>
  p.connected && ids.every((id) => p.parties.get('party_p1')?.peers.has(id));

describe('the app on two servers sharing Redis', () => {
  it('resumes on the other server within 15 s of a SIGKILL, no membership lost', async () => {
    const [a, b] = [await server('a'), await server('b')];
    const onA = [a.url, b.url];
    const host = await plane('host', onA);
    const guest = await plane('guest', onA);
    const other = await plane('other', [b.url, a.url]);
    await host.registerParty('party_p1', 'P', makePeer('ph'));
    await guest.joinParty('party_p1', makePeer('pg'));
    await other.joinParty('party_p1', makePeer('po'));
    await waitFor(() => [host, guest, other].every((p) => hasAll(p, ['ph', 'pg', 'po'])), 5000);
    expect([host.serverUrl, guest.serverUrl, other.serverUrl]).toEqual([a.url, a.url, b.url]);

    await a.kill('SIGKILL');
    const killedAt = Date.now();
    await waitFor(
      () =>
        [host, guest, other].every((p) => hasAll(p, ['ph', 'pg', 'po']) && p.serverUrl === b.url),
      15_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    // They act as themselves on the other server: a change flows to everyone.
    await guest.updatePeer('party_p1', makePeer('pg').with({ publicPort: 41000 }));
    await waitFor(() => host.parties.get('party_p1')?.peers.get('pg')?.publicPort === 41000, 5000);
    await host.heartbeat('party_p1', 'ph');
  }, 40_000);
});
