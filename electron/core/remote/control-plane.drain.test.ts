/**
 * A real server process is stopped with SIGTERM (a deploy, `systemctl restart`) and a new
 * one started on the same port and data dir: the clients hear "service restart" (1012),
 * reconnect within seconds (their usual retry delay here is a minute) and resume their
 * sessions, still in their party with their peers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../../../server/test-util/process';
import type { RemoteControlPlane } from '../control';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { testRemotePlane } from '../test-util/remote-plane';
import { makeTempDir } from '../test-util/temp-dir';

let home: string;
let cleanup: () => void;
let proc: ServerProcess | null = null;
const planes: RemoteControlPlane[] = [];

beforeEach(() => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-drain-'));
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await proc?.kill();
  proc = null;
  cleanup();
});

async function plane(name: string, url: string): Promise<RemoteControlPlane> {
  const p = testRemotePlane(home, name, url, {
    reconnectDelayMs: 60_000,
    requestTimeoutMs: 5000,
  });
  planes.push(p);
  await p.initialize();
  return p;
}

describe('server restart (SIGTERM drain)', () => {
  it('clients reconnect promptly on 1012 and are back in their party with their peers', async () => {
    const dataDir = path.join(home, 'server');
    proc = await spawnServer(['--port', '0', '--data-dir', dataDir]);
    const port = proc.port;
    const [a, b] = [await plane('a', proc.url), await plane('b', proc.url)];
    await a.registerParty('party_p1', 'P', makePeer('pa', 'Alice'));
    await b.joinParty('party_p1', makePeer('pb', 'Bob'));
    await waitFor(() => a.parties.get('party_p1')?.peers.size === 2, 5000);

    expect(await proc.kill('SIGTERM')).toBe(0);
    await waitFor(() => !a.connected && !b.connected, 5000);
    proc = await spawnServer(['--port', String(port), '--data-dir', dataDir]);
    await waitFor(() => a.connected && b.connected, 20_000);

    expect([...a.parties.get('party_p1')!.peers.keys()].sort()).toEqual(['pa', 'pb']);
    expect(b.myPartyId).toBe('party_p1');
    // The resumed sessions still own their peers (no `forbidden`) ...
    await a.heartbeat('party_p1', 'pa');
    await b.heartbeat('party_p1', 'pb');
    // ... and the new server routes the party's events to them.
    const c = await plane('c', proc.url);
    await c.joinParty('party_p1', makePeer('pc', 'Carol'));
    await waitFor(() => a.parties.get('party_p1')?.peers.has('pc') === true, 5000);
    await waitFor(() => b.parties.get('party_p1')?.peers.has('pc') === true, 5000);
    expect(fs.existsSync(dataDir)).toBe(true);
  }, 60_000);
});
