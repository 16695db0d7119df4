/**
 * Issue 10's identity keys from the app's side: a RemoteControlPlane that proves its key
 * gets its peer id back after losing control_session.json and under another URL of the
 * same server, at once (not after 5 minutes of "belongs to another connection"); one
 * without the key cannot take it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
