/**
 * The one sync path against a real server: each numbered event applied once, our own
 * changes never taken for a gap, and a lost event (dropped by a relay between the client
 * and the server) answered by exactly one snapshot; a member's profile change (1.3
 * `peer_updated`) applied as that one peer's event, and the host's settings change (1.10
 * `settings_changed`) as that one event, each without a snapshot.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteControlPlane } from '../control';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { finishedBeats } from '../test-util/finished-beats';
import type { ControlPlaneChange } from '../types';
import { RelayRig } from '../test-util/relay-rig';

const rig = new RelayRig();
beforeEach(() => rig.start('lanrage-seq-'));
afterEach(() => rig.cleanup());

const plane = (name: string, url: string) => rig.plane(name, url, { reconnectDelayMs: 100 });

const members = (p: RemoteControlPlane): string[] =>
  [...(p.parties.get('party_p1')?.peers.keys() ?? [])].sort();

describe('per-party event numbers in the app', () => {
  it('a lost event is answered by one snapshot; our own changes are no gap', async () => {
    const a = await plane('a', rig.server.url);
    const b = await plane('b', rig.relay.url);
    await a.registerParty('party_p1', 'P', makePeer('pa'));
    await b.joinParty('party_p1', makePeer('pb'));
    // b's own update and heartbeat make events b is not sent: its answers carry them.
    await b.updatePeer('party_p1', makePeer('pb').with({ publicPort: 41000 }));
    await b.heartbeat('party_p1', 'pb');
    await b.heartbeat('party_p1', 'pb');
    const c = await plane('c', rig.server.url);
    await c.joinParty('party_p1', makePeer('pc'));
    await waitFor(() => members(b).join() === 'pa,pb,pc', 5000);
    expect(rig.relay.sent.get('get_party') ?? 0).toBe(0);
    expect(b.parties.get('party_p1')?.peers.get('pb')?.publicPort).toBe(41000);

    const changes: ControlPlaneChange[] = [];
    b.subscribe((change) => changes.push(change));
    rig.relay.drop = (f) =>
      f.type === 'peer_joined' && (f.peer as { peer_id: string }).peer_id === 'pd';
    const d = await plane('d', rig.server.url);
    await d.joinParty('party_p1', makePeer('pd'));
    const e = await plane('e', rig.server.url);
    await e.joinParty('party_p1', makePeer('pe'));
    await waitFor(() => members(b).join() === 'pa,pb,pc,pd,pe', 5000);
    expect(rig.relay.dropped).toHaveLength(1);
    expect(rig.relay.sent.get('get_party')).toBe(1);
    expect(b.connected).toBe(true);
    // The snapshot is passed on as one, not replayed as made-up events: pd's join was lost,
    // so it arrived only with the snapshot.
    const events = changes.flatMap((c) => (c.kind === 'party' ? c.events : []));
    const joined = events.flatMap((e) => (e.type === 'peer_joined' ? [e.peer.peerId] : []));
    expect(joined).not.toContain('pd');
    const snapshot = changes.find(
      (c) => c.kind === 'party' && c.events.length === 0 && c.party?.peers.has('pd'),
    );
    expect(snapshot).toBeDefined();
  });

  it('an answer read together with the next push: its number is known first, so no gap', async () => {
    const a = await plane('a', rig.server.url);
    const b = await plane('b', rig.relay.url);
    await a.registerParty('party_p1', 'P', makePeer('pa'));
    await b.joinParty('party_p1', makePeer('pb'));
    // b's update is an event b is not sent (its ack says its number); the next event is
    // c joining, delivered in the same read as that ack.
    rig.relay.holdForNext = (f) => f.type === 'ack';
    const updating = b.updatePeer('party_p1', makePeer('pb').with({ publicPort: 41000 }));
    await waitFor(() => rig.relay.held.length === 1, 5000);
    expect(rig.relay.held[0]?.seq).toEqual(expect.any(Number));
    const c = await plane('c', rig.server.url);
    await c.joinParty('party_p1', makePeer('pc'));
    await updating;
    await waitFor(() => members(b).join() === 'pa,pb,pc', 5000);
    expect(rig.relay.sent.get('get_party') ?? 0).toBe(0);
  });
});

describe('entering a party', () => {
  it('a push read together with our join answer is applied once the party is ours: no gap, no snapshot', async () => {
    const a = await plane('a', rig.server.url);
    const b = await plane('b', rig.relay.url);
    const beats = [finishedBeats(a)];
    await a.registerParty('party_p1', 'P', makePeer('pa'));
    await waitFor(() => beats.every((finished) => finished() === 2), 3000);
    // b's join answer waits in the relay for the next frame, a's change, and both reach b in
    // one read: the push comes before b has made the party its own.
    rig.relay.holdForNext = (f) => f.type === 'party_update';
    const joining = b.joinParty('party_p1', makePeer('pb'));
    await waitFor(() => rig.relay.held.length === 1, 5000);
    await a.updatePeer('party_p1', makePeer('pa').with({ publicPort: 41000 }));
    await joining;
    await waitFor(() => portOf(b, 'pa') === 41000, 5000);
    expect(rig.relay.sent.get('get_party') ?? 0).toBe(0);
  });
});

/** a hosts party_p1, b (behind the relay) joins; b's changes from then on. */
async function party(): Promise<{
  a: RemoteControlPlane;
  b: RemoteControlPlane;
  changes: ControlPlaneChange[];
}> {
  const a = await plane('a', rig.server.url);
  const b = await plane('b', rig.relay.url);
  const beats = [finishedBeats(a), finishedBeats(b)];
  await a.registerParty('party_p1', 'P', makePeer('pa'));
  await b.joinParty('party_p1', makePeer('pb'));
  // The beats that tell each one's ping as it enters are done: what follows is the test's.
  await waitFor(() => beats.every((finished) => finished() === 2), 3000);
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
    expect(rig.relay.sent.get('get_party') ?? 0).toBe(0);
  });

  it('a lost peer_updated is a gap: one snapshot brings the change', async () => {
    const { a, b } = await party();
    rig.relay.drop = (f) => f.type === 'peer_updated';
    await a.updatePeer('party_p1', makePeer('pa').with({ publicPort: 41000 }));
    const c = await plane('c', rig.server.url);
    await c.joinParty('party_p1', makePeer('pc'));
    await waitFor(() => portOf(b, 'pa') === 41000 && portOf(b, 'pc') !== undefined, 5000);
    expect(rig.relay.dropped).toHaveLength(1);
    expect(rig.relay.sent.get('get_party')).toBe(1);
  });
});

const settingsOf = (p: RemoteControlPlane) => p.parties.get('party_p1')?.settings;

describe('settings_changed in the app (1.10)', () => {
  it('is applied once and in order, as one event: no snapshot', async () => {
    const { a, b, changes } = await party();
    rig.relay.repeat = (f) => f.type === 'settings_changed';
    await a.access!.updateSettings('party_p1', { locked: true, max_peers: 5 });
    await a.updatePeer('party_p1', makePeer('pa').with({ publicPort: 41000 }));
    await waitFor(() => portOf(b, 'pa') === 41000, 5000);

    expect(rig.relay.repeated).toHaveLength(1);
    const parties = changes.flatMap((c) => (c.kind === 'party' ? [c] : []));
    expect(parties.map((c) => c.events.map((e) => e.type))).toEqual([
      ['settings_changed'],
      ['peer_updated'],
    ]);
    expect(settingsOf(b)).toMatchObject({ locked: true, maxPeers: 5 });
    expect(parties[0]!.party?.settings).toMatchObject({ locked: true, maxPeers: 5 });
    expect(rig.relay.sent.get('get_party') ?? 0).toBe(0);
  });

  it('a lost settings_changed is a gap: one snapshot brings the settings', async () => {
    const { a, b } = await party();
    rig.relay.drop = (f) => f.type === 'settings_changed';
    await a.access!.updateSettings('party_p1', { locked: true });
    await a.updatePeer('party_p1', makePeer('pa').with({ publicPort: 41000 }));
    await waitFor(() => portOf(b, 'pa') === 41000 && settingsOf(b)?.locked === true, 5000);
    expect(rig.relay.dropped).toHaveLength(1);
    expect(rig.relay.sent.get('get_party')).toBe(1);
  });
});
