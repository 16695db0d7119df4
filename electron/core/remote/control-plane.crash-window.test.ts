/**
 * On a store of its own the server tells members of a change before it is durable
 * (GroupCommitter.whenTellable). If it dies in between, the members heard of a change the
 * restarted server does not have: the app must end up showing the restarted server's party.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logger';
import { startServer } from '../../../server/server';
import type { RunningServer } from '../../../server/server-core';
import { peerDict, RawClient } from '../../../server/test-util/support';
import { SlowStore } from '../../../server/store/test-util/slow-store';
import type { RemoteControlPlane } from '../control';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { FrameRelay } from '../test-util/frame-relay';
import { testRemotePlane } from '../test-util/remote-plane';
import { makeTempDir } from '../test-util/temp-dir';

let home: string;
let cleanup: () => void;
let disk: SlowStore;
const servers: RunningServer[] = [];
let relay: FrameRelay;
const planes: RemoteControlPlane[] = [];

beforeEach(async () => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-crash-window-'));
  disk = new SlowStore();
  disk.quick = true;
  servers.push(await startServer({ port: 0, dataDir: home, store: disk, logger: silentLogger }));
  relay = await FrameRelay.start(servers[0]!.url);
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await relay.close();
  disk.quick = true;
  for (const s of servers.splice(0)) await s.close();
  cleanup();
});

async function plane(name: string): Promise<RemoteControlPlane> {
  const p = testRemotePlane(home, name, relay.url, { reconnectDelayMs: 100 });
  planes.push(p);
  await p.initialize();
  return p;
}

const members = (p: RemoteControlPlane): string[] =>
  [...(p.parties.get('party_p1')?.peers.keys() ?? [])].sort();

describe('a server that dies between telling and writing', () => {
  it('leaves the app showing the party the restarted server has', async () => {
    const a = await plane('a');
    await a.registerParty('party_p1', 'P', makePeer('pa'));
    const b = await plane('b');
    await b.joinParty('party_p1', makePeer('pb'));
    const joiner = await RawClient.connect(servers[0]!.url);
    await joiner.hello();
    disk.quick = false;
    // Never answered: it rejects once its 2 s run out (after the crash below).
    const answer = joiner.request(
      { type: 'join_party', party_id: 'party_p1', peer: peerDict('px') },
      2000,
    );
    await waitFor(() => members(a).includes('px'), 5000);
    expect(disk.inFlight).toBe(1);

    // It dies before the commit ends; a new server starts on what the disk holds.
    disk.crash();
    servers.push(
      await startServer({ port: 0, dataDir: home, store: disk.memory, logger: silentLogger }),
    );
    relay.retarget(servers[1]!.url);
    relay.cutAll();
    joiner.ws.terminate();
    await expect(answer).rejects.toThrow();

    await waitFor(() => a.connected && !members(a).includes('px'), 10_000);
    expect(members(a)).toEqual(['pa', 'pb']);
    await waitFor(() => b.connected && members(b).length === 2, 10_000);
    expect(members(b)).toEqual(['pa', 'pb']);
  });
});
