/**
 * A member the host kicks (or bans) while its app is closed is told so when it comes back,
 * by its session or by its identity key alone: its party ends with why, and its resync does
 * not slip it back into the (open) party.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger as serverLogger } from '../../../shared/logger';
import type { PartyEvent } from '../../../shared/party/events';
import { startServer } from '../../../server/server';
import type { RunningServer } from '../../../server/server-core';
import { MemoryPartyStore } from '../../../server/store/test-util/memory-store';
import type { RemoteControlPlane } from '../control';
import { newIdentitySeed, signerFromSeed } from '../identity/identity-key';
import { SESSION_FILE } from '../client/link/session';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { makeTempDir } from '../test-util/temp-dir';
import { testRemotePlane } from '../test-util/remote-plane';

let server: RunningServer;
let home: string;
let cleanup: () => void;
const planes: RemoteControlPlane[] = [];

beforeEach(async () => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-kicked-'));
  server = await startServer({
    port: 0,
    dataDir: home,
    store: new MemoryPartyStore(),
    logger: serverLogger,
  });
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await server.close();
  cleanup();
});

async function plane(name: string, seed?: string): Promise<RemoteControlPlane> {
  const identity = seed ? signerFromSeed(seed)! : undefined;
  const p = testRemotePlane(home, name, server.url, {
    reconnectDelayMs: 50,
    requestTimeoutMs: 2000,
    identity,
  });
  planes.push(p);
  await p.initialize();
  return p;
}

const PARTY = 'party_kick0ff';
const party = () => server.context.service.parties.get(PARTY);

/** Alice hosts an open party; Bob joins, then closes his app; Alice kicks him meanwhile. */
async function kickedWhileAway(ban: boolean, seed?: string) {
  const a = await plane('a');
  await a.registerParty(PARTY, 'P', makePeer('pa', 'Alice'));
  const b = await plane('b', seed);
  await b.joinParty(PARTY, makePeer('pb', 'Bob'));
  planes.splice(planes.indexOf(b), 1);
  await b.close();
  await a.access!.kickPeer(PARTY, 'pb', ban);
  await waitFor(() => party()?.peers.has('pb') === false, 5000);
  return { a, bobDir: b.config.instanceDir };
}

async function comesBack(
  seed?: string,
): Promise<{ again: RemoteControlPlane; events: PartyEvent[] }> {
  const identity = seed ? signerFromSeed(seed)! : undefined;
  const again = testRemotePlane(home, 'b', server.url, { reconnectDelayMs: 50, identity });
  planes.push(again);
  const events: PartyEvent[] = [];
  again.subscribe((change) => {
    if (change.kind === 'party') events.push(...change.events);
  });
  await again.initialize();
  return { again, events };
}

async function expectStaysOut(again: RemoteControlPlane, a: RemoteControlPlane): Promise<void> {
  expect(again.activePartyIds.has(PARTY)).toBe(false);
  // Still not back in after its resync had every chance to run.
  await waitFor(() => again.connected, 5000);
  await new Promise((r) => setTimeout(r, 300));
  expect(party()?.peers.has('pb')).toBe(false);
  expect(a.parties.get(PARTY)?.peers.has('pb')).toBe(false);
}

describe('RemoteControlPlane kicked while its app was closed', () => {
  it('resuming its session, it is told it was kicked and does not rejoin the open party', async () => {
    const { a } = await kickedWhileAway(false);
    const { again, events } = await comesBack();
    await waitFor(() => events.some((e) => e.type === 'party_closed'), 5000);
    expect(events).toContainEqual({ type: 'party_closed', partyId: PARTY, reason: 'kicked' });
    await expectStaysOut(again, a);
  });

  it('banned, and without its session file: its key alone brings the notice', async () => {
    const seed = newIdentitySeed();
    const { a, bobDir } = await kickedWhileAway(true, seed);
    rmSync(join(bobDir, SESSION_FILE), { force: true });
    const { again, events } = await comesBack(seed);
    await waitFor(() => events.some((e) => e.type === 'party_closed'), 5000);
    expect(events).toContainEqual({ type: 'party_closed', partyId: PARTY, reason: 'banned' });
    await expectStaysOut(again, a);
  });
});

describe('the others see a kick as a removal by the host', () => {
  it('peer_left keeps its reason kicked (it used to read as "left")', async () => {
    const a = await plane('a');
    await a.registerParty(PARTY, 'P', makePeer('pa', 'Alice'));
    const b = await plane('b');
    await b.joinParty(PARTY, makePeer('pb', 'Bob'));
    const c = await plane('c');
    await c.joinParty(PARTY, makePeer('pc', 'Carol'));
    const left: PartyEvent[] = [];
    for (const p of [a, c]) {
      p.subscribe((change) => {
        if (change.kind === 'party')
          left.push(...change.events.filter((e) => e.type === 'peer_left'));
      });
    }
    await a.access!.kickPeer(PARTY, 'pb', false);
    await waitFor(() => left.length === 2, 5000);
    const kicked = { type: 'peer_left', partyId: PARTY, peerId: 'pb', reason: 'kicked' };
    expect(left).toEqual([kicked, kicked]);
  });
});
