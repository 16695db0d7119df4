/**
 * Protocol 1.3 in the app, against a real server: a member's profile change arrives as a
 * `peer_updated` event, applied once by its number and passed on as that one peer's change
 * (no snapshot, no `get_party`); a lost one is a gap like any other event.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logger';
import { startServer, type RunningServer } from '../../server/server';
import { MemoryPartyStore } from '../../server/store';
import type { RemoteControlPlane } from './control';
import { waitFor } from './test-util/child-process';
import { makePeer } from './test-util/fixtures';
import { FrameRelay } from './test-util/frame-relay';
import { testRemotePlane } from './test-util/remote-plane';
import type { ControlPlaneChange } from './types';
import { makeTempDir } from './test-util/temp-dir';

let server: RunningServer;
let relay: FrameRelay;
let home: string;
let cleanup: () => void;
const planes: RemoteControlPlane[] = [];

beforeEach(async () => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-peer-updated-'));
  server = await startServer({
    port: 0,
    dataDir: home,
    store: new MemoryPartyStore(),
    logger: silentLogger,
  });
  relay = await FrameRelay.start(server.url);
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await relay.close();
  await server.close();
  cleanup();
});

async function plane(name: string, url: string): Promise<RemoteControlPlane> {
  const p = testRemotePlane(home, name, url, { reconnectDelayMs: 100 });
  planes.push(p);
  await p.initialize();
  return p;
}

/** a hosts party_p1, b (behind the relay) joins; b's changes from then on. */
async function party(): Promise<{
  a: RemoteControlPlane;
  b: RemoteControlPlane;
  changes: ControlPlaneChange[];
}> {
  const a = await plane('a', server.url);
  const b = await plane('b', relay.url);
  await a.registerParty('party_p1', 'P', makePeer('pa'));
  await b.joinParty('party_p1', makePeer('pb'));
  const changes: ControlPlaneChange[] = [];
  b.subscribe((change) => changes.push(change));
  return { a, b, changes };
}

const portOf = (p: RemoteControlPlane, peerId: string): number | undefined =>
  p.parties.get('party_p1')?.peers.get(peerId)?.publicPort;

describe('peer_updated in the app', () => {
  it('is applied as one peer event, without a snapshot', async () => {
    const { a, b, changes } = await party();
    const before = b.parties.get('party_p1')!.peers.get('pb');
    await a.updatePeer('party_p1', makePeer('pa').with({ publicPort: 41000 }));
    await waitFor(() => portOf(b, 'pa') === 41000, 5000);

    const parties = changes.flatMap((c) => (c.kind === 'party' ? [c] : []));
    expect(parties).toHaveLength(1);
    expect(parties[0]!.events.map((e) => e.type)).toEqual(['peer_updated']);
    // Only that peer was replaced: the others are the very same objects.
    expect(b.parties.get('party_p1')!.peers.get('pb')).toBe(before);
    expect(relay.sent.get('get_party') ?? 0).toBe(0);
  });

  it('a lost peer_updated is a gap: one snapshot brings the change', async () => {
    const { a, b } = await party();
    relay.drop = (f) => f.type === 'peer_updated';
    await a.updatePeer('party_p1', makePeer('pa').with({ publicPort: 41000 }));
    const c = await plane('c', server.url);
    await c.joinParty('party_p1', makePeer('pc'));
    await waitFor(() => portOf(b, 'pa') === 41000 && portOf(b, 'pc') !== undefined, 5000);
    expect(relay.dropped).toHaveLength(1);
    expect(relay.sent.get('get_party')).toBe(1);
  });
});
