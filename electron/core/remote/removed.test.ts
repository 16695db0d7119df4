/**
 * A member the server removed after it was offline for the peer timeout is told so when it
 * comes back (the server sends `peer_left` with reason timeout after its welcome), and the
 * app shows it instead of silently joining the party again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger as serverLogger } from '../../../shared/logger';
import type { PartyEvent } from '../../../shared/party/events';
import { startServer } from '../../../server/server';
import type { RunningServer } from '../../../server/server-core';
import { MemoryPartyStore } from '../../../server/store/test-util/memory-store';
import type { RemoteControlPlane } from '../control';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { makeTempDir } from '../test-util/temp-dir';
import { testRemotePlane } from '../test-util/remote-plane';

let server: RunningServer;
let home: string;
let cleanup: () => void;
const planes: RemoteControlPlane[] = [];

beforeEach(async () => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-removed-'));
  server = await startServer({
    port: 0,
    dataDir: home,
    store: new MemoryPartyStore(),
    logger: serverLogger,
    heartbeatIntervalS: 0.2,
    peerTimeoutMs: 1000,
    sweepIntervalMs: 100,
  });
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await server.close();
  cleanup();
});

async function plane(name: string): Promise<RemoteControlPlane> {
  const p = testRemotePlane(home, name, server.url, {
    reconnectDelayMs: 50,
    requestTimeoutMs: 2000,
  });
  planes.push(p);
  await p.initialize();
  return p;
}

describe('RemoteControlPlane removed after being offline', () => {
  it('is told when it comes back, shows why, and does not rejoin by itself', async () => {
    const a = await plane('a');
    await a.registerParty('party_p1abc', 'P', makePeer('pa', 'Alice'));
    const b = await plane('b');
    await b.joinParty('party_p1abc', makePeer('pb', 'Bob'));
    // Bob's app goes away (the session token stays on disk) for longer than the timeout.
    planes.splice(planes.indexOf(b), 1);
    await b.close();
    const party = () => server.context.service.parties.get('party_p1abc');
    await waitFor(() => party()?.peers.has('pb') === false, 5000);

    const again = testRemotePlane(home, 'b', server.url, { reconnectDelayMs: 50 });
    planes.push(again);
    const events: PartyEvent[] = [];
    again.subscribe((change) => {
      if (change.kind === 'party') events.push(...change.events);
    });
    await again.initialize();
    await waitFor(() => events.some((e) => e.type === 'peer_left'), 5000);
    expect(events).toContainEqual({
      type: 'peer_left',
      partyId: 'party_p1abc',
      peerId: 'pb',
      reason: 'timeout',
    });
    expect(again.activePartyIds.has('party_p1abc')).toBe(false);
    expect(again.myPartyId).toBeNull();
    // Still not back in after its resync had every chance to run.
    await waitFor(() => again.connected, 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(party()?.peers.has('pb')).toBe(false);
    expect(a.parties.get('party_p1abc')?.peers.has('pb')).toBe(false);
  });
});
