/**
 * Issue 10's identity keys from the app's side: a RemoteControlPlane that proves its key
 * gets its peer id back after losing control_session.json and under another URL of the
 * same server, at once (not after 5 minutes of "belongs to another connection"); one
 * without the key cannot take it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseReason } from '../../../shared/party/events';
import { idTakenWords } from '../client/sync/resync';
import type { ControlPlaneChange } from '../types';
import { waitFor } from '../test-util/child-process';
import type { RunningServer } from '../../../server/server-core';
import { newIdentitySeed, signerFromSeed } from '../identity/identity-key';
import type { RemoteControlPlane } from './control-plane';
import { makePeer } from '../test-util/fixtures';
import { testRemotePlane } from '../test-util/remote-plane';
import { startMemoryServer } from '../test-util/memory-server';
import { makeTempDir } from '../test-util/temp-dir';

let temp: ReturnType<typeof makeTempDir>;
let server: RunningServer;
const planes: RemoteControlPlane[] = [];

beforeEach(async () => {
  temp = makeTempDir('lanrage-identity-');
  server = await startMemoryServer();
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await server.close();
  temp.cleanup();
});

async function plane(name: string, url: string, seed?: string): Promise<RemoteControlPlane> {
  const identity = seed ? signerFromSeed(seed)! : undefined;
  const p = testRemotePlane(temp.dir, name, url, { identity, maxReconnectAttempts: 1 });
  planes.push(p);
  await p.initialize();
  p.myPeerId = 'pa';
  return p;
}

describe('identity key (issue 10)', () => {
  it('gets its peer id back without its session file, while the old connection is still open', async () => {
    const seed = newIdentitySeed();
    const first = await plane('a', server.url, seed);
    await first.registerParty('party_mine_01', 'Mine', makePeer('pa'));
    // Another instance directory: no control_session.json, no session token to present.
    const again = await plane('a2', server.url, seed);
    await expect(again.heartbeat('party_mine_01', 'pa')).resolves.toBeUndefined();
  });

  it('gets it back under another name of the same server', async () => {
    const seed = newIdentitySeed();
    const first = await plane('a', server.url, seed);
    await first.registerParty('party_mine_02', 'Mine', makePeer('pa'));
    const other = await plane('a3', server.url.replace('127.0.0.1', 'localhost'), seed);
    await expect(other.heartbeat('party_mine_02', 'pa')).resolves.toBeUndefined();
  });

  it('another installation (another key, or none) cannot use it', async () => {
    const first = await plane('a', server.url, newIdentitySeed());
    await first.registerParty('party_mine_03', 'Mine', makePeer('pa'));
    const thief = await plane('t', server.url, newIdentitySeed());
    await expect(thief.heartbeat('party_mine_03', 'pa')).rejects.toMatchObject({
      code: 'forbidden',
    });
    const keyless = await plane('k', server.url);
    await expect(keyless.heartbeat('party_mine_03', 'pa')).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});

/**
 * An app from before identity keys was in a party as `po` (its id bound to its session
 * only); today's app on its folder dials the server under another name, where the session
 * token saved for the first one is not presented. The server gives `po` to the old session:
 * the resync's join is refused `forbidden`, which was logged and the party left on screen,
 * "connected", every heartbeat refused.
 */
describe('a resync that is refused our peer id', () => {
  it('ends the party here, saying why', async () => {
    const host = await plane('h', server.url, newIdentitySeed());
    await host.registerParty('party_taken_01', 'Taken Night', makePeer('pa'));
    const old = testRemotePlane(temp.dir, 'o', server.url, { maxReconnectAttempts: 1 });
    await old.initialize();
    await old.joinParty('party_taken_01', makePeer('po'));
    await old.close();

    const url = server.url.replace('127.0.0.1', 'localhost');
    const changes: ControlPlaneChange[] = [];
    const notices: string[] = [];
    const again = testRemotePlane(temp.dir, 'o', url, {
      identity: signerFromSeed(newIdentitySeed())!,
      maxReconnectAttempts: 1,
      report: (m) => notices.push(m),
    });
    planes.push(again);
    again.subscribe((change) => changes.push(change));
    await again.initialize();
    await waitFor(() => !again.parties.has('party_taken_01'), 3000);
    expect(again.myPartyId).toBeNull();
    expect(changes).toContainEqual(
      expect.objectContaining({
        kind: 'party',
        party: null,
        events: [{ type: 'party_closed', partyId: 'party_taken_01', reason: CloseReason.ID_TAKEN }],
      }),
    );
    // Said as a notice too: at start the window is not listening yet.
    expect(notices).toEqual([idTakenWords('Taken Night')]);
    expect(idTakenWords('Taken Night')).toMatch(/^You are no longer in Taken Night: its server/);
  });
});
