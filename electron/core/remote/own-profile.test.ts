/**
 * What the app tells a server it resyncs with about me: my profile as the app gave it, never
 * the server's copy of my entry. A hostile server rewrote my entry (name, key, address) in a
 * snapshot, and the next resync re-sent that copy as mine.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteControlPlane } from './control-plane';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { testRemotePlane } from '../test-util/remote-plane';
import {
  honestAnswer,
  partyDict,
  peerDict,
  ScriptedServer,
  type Request,
} from '../test-util/scripted-server';
import { makeTempDir } from '../test-util/temp-dir';

let server: ScriptedServer;
let temp: ReturnType<typeof makeTempDir>;
const planes: RemoteControlPlane[] = [];

beforeEach(async () => {
  temp = makeTempDir('lanrage-own-profile-');
  server = await ScriptedServer.start();
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await server.close();
  temp.cleanup();
});

function plane(): RemoteControlPlane {
  const p = testRemotePlane(temp.dir, 'me', server.url, { reconnectDelayMs: 50 });
  planes.push(p);
  return p;
}

const FORGED = {
  ...peerDict('me', 'Mallory'),
  public_key: 'm'.repeat(43) + '=',
  public_ip: '203.0.113.66',
};

/** The server answers get_party with `peers` as p1's members (the rest honestly). */
function serverHolds(peers: object[]): void {
  server.answer = (r: Request) =>
    r.type === 'get_party'
      ? [{ type: 'party_update', party: partyDict('p1', peers as never), request_id: r.request_id }]
      : honestAnswer(r);
}

async function updateAfterResync(): Promise<Request> {
  server.requests.length = 0;
  server.dropAll();
  await waitFor(() => server.requests.some((r) => r.type === 'update_peer'), 5000);
  return server.requests.find((r) => r.type === 'update_peer')!;
}

describe('my own entry across a resync', () => {
  it('tells the server my profile again after it rewrote my entry, not its rewrite', async () => {
    const p = plane();
    await p.initialize();
    const me = makePeer('me', 'Ann');
    await p.registerParty('p1', 'Mine', me);
    server.push({ type: 'party_update', party: partyDict('p1', [FORGED]) });
    await waitFor(() => p.parties.get('p1')?.peers.get('me')?.name === 'Mallory', 3000);
    serverHolds([FORGED]);
    const update = await updateAfterResync();
    expect(update.peer).toEqual(me.toDict());
  });

  it('after a restart, tells the profile the app starts with, not the saved copy', async () => {
    const before = plane();
    await before.initialize();
    await before.registerParty('p1', 'Mine', makePeer('me', 'Ann'));
    await before.close();
    planes.splice(planes.indexOf(before), 1);
    serverHolds([peerDict('me', 'Ann')]);
    const after = plane();
    const renamed = makePeer('me', 'Annie');
    after.ownProfile = renamed;
    await after.initialize();
    await waitFor(() => server.requests.some((r) => r.type === 'update_peer'), 5000);
    const update = server.requests.find((r) => r.type === 'update_peer')!;
    expect(update.peer).toEqual(renamed.toDict());
  });
});
