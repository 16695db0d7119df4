/**
 * The remote control plane against a real 1.1 server: presence, host hand-over and the
 * party_closed reason reach the client's mirror, each applied once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../server/server-core';
import { TestRig } from '../../../server/test-util/support';
import type { RemoteControlPlane } from '../control';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { testRemotePlane } from '../test-util/remote-plane';
import { makeTempDir } from '../test-util/temp-dir';
import type { ControlPlaneChange } from '../types';

const rig = new TestRig();
let server: RunningServer;
let home: string;
let cleanup: () => void;
const planes: RemoteControlPlane[] = [];

beforeEach(() => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-presence-'));
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  await rig.cleanup();
  cleanup();
});

async function plane(name: string): Promise<RemoteControlPlane> {
  const p = testRemotePlane(home, name, server.url, { reconnectDelayMs: 50 });
  planes.push(p);
  await p.initialize();
  return p;
}

function eventsOf(p: RemoteControlPlane): string[] {
  const seen: string[] = [];
  p.subscribe((c: ControlPlaneChange) => {
    if (c.kind === 'party') for (const e of c.events) seen.push(e.type);
  });
  return seen;
}

async function threeInParty(hostMigration: boolean) {
  const [a, b, c] = [await plane('a'), await plane('b'), await plane('c')];
  await a.registerParty('party_pp', 'P', makePeer('pa'), { hostMigration });
  await b.joinParty('party_pp', makePeer('pb'));
  await c.joinParty('party_pp', makePeer('pc'));
  await waitFor(() => a.parties.get('party_pp')?.peers.size === 3, 5000);
  return { a, b, c };
}

describe('RemoteControlPlane with protocol 1.1', () => {
  beforeEach(async () => {
    // A fast heartbeat: presence changes show within a fraction of a second.
    server = await rig.start({ heartbeatIntervalS: 0.2 });
  });

  it('has every member’s presence from the snapshot; a member whose app quits is offline, then online again when it is back', async () => {
    const { a, c } = await threeInParty(false);
    expect(a.presenceOf('party_pp').get('pc')).toMatchObject({ status: 'online' });
    const statuses: string[] = [];
    a.subscribe((change) => {
      if (change.kind !== 'party') return;
      for (const e of change.events) {
        if (e.type === 'peer_status' && e.peerId === 'pc') statuses.push(e.presence.status);
      }
    });
    await c.close();
    await waitFor(() => statuses.includes('offline'), 5000);
    // The app restarts: its saved session resumes the member, online again.
    await plane('c');
    await waitFor(() => statuses.includes('online'), 5000);
    expect(statuses).toEqual(['offline', 'online']);
    expect(a.presenceOf('party_pp').get('pc')?.status).toBe('online');
  });

  it('sends its round trip with its heartbeats; the others get it as the member’s ping', async () => {
    const { a, b } = await threeInParty(false);
    await b.heartbeat('party_pp', 'pb');
    await b.heartbeat('party_pp', 'pb');
    await waitFor(() => typeof a.presenceOf('party_pp').get('pb')?.rtt_ms === 'number', 5000);
    expect(a.presenceOf('party_pp').get('pb')!.rtt_ms).toBeGreaterThanOrEqual(0);
  });

  it('transferHost: everyone sees the new host once, with host_changed', async () => {
    const { a, b, c } = await threeInParty(false);
    const seen = eventsOf(c);
    await a.transferHost('party_pp', 'pc');
    for (const p of [a, b, c])
      await waitFor(() => p.parties.get('party_pp')?.hostId === 'pc', 5000);
    expect(seen.filter((t) => t === 'host_changed')).toHaveLength(1);
  });

  it('closeParty: the guests see party_closed with reason closed_by_host', async () => {
    const { a, b } = await threeInParty(false);
    const reasons: string[] = [];
    b.subscribe((change) => {
      if (change.kind !== 'party') return;
      for (const e of change.events) if (e.type === 'party_closed') reasons.push(e.reason);
    });
    await a.closeParty('party_pp');
    expect(a.parties.has('party_pp')).toBe(false);
    await waitFor(() => !b.parties.has('party_pp'), 5000);
    expect(reasons).toEqual(['closed_by_host']);
  });

  it('with hand-over the host leaving makes the longest-present member host; without it the party closes', async () => {
    const { a, b, c } = await threeInParty(true);
    await a.leaveParty('party_pp', 'pa');
    await waitFor(() => c.parties.get('party_pp')?.hostId === 'pb', 5000);
    expect(b.parties.get('party_pp')?.peers.has('pa')).toBe(false);

    await b.closeParty('party_pp');
    const [d, e] = [await plane('d'), await plane('e')];
    await d.registerParty('party_qq', 'Q', makePeer('pd'));
    await e.joinParty('party_qq', makePeer('pe'));
    await waitFor(() => d.parties.get('party_qq')?.peers.size === 2, 5000);
    const reasons: string[] = [];
    e.subscribe((change) => {
      if (change.kind !== 'party') return;
      for (const ev of change.events) if (ev.type === 'party_closed') reasons.push(ev.reason);
    });
    await d.leaveParty('party_qq', 'pd');
    await waitFor(() => !e.parties.has('party_qq'), 5000);
    expect(reasons).toEqual(['host_left']);
  });
});

describe('a member arriving', () => {
  beforeEach(async () => {
    // The default interval: no timer beat within the test can be what tells a ping.
    server = await rig.start({ heartbeatIntervalS: 30 });
  });

  it('a member who just joined (a fresh app, no round trip measured yet) shows its ping to the host within 2 s', async () => {
    const [host, guest] = [await plane('h'), await plane('g')];
    await host.registerParty('party_ping', 'P', makePeer('ph'));
    expect(guest.status().lastHeartbeatRttMs).toBeNull();
    const joinedAt = Date.now();
    await guest.joinParty('party_ping', makePeer('pg'));
    const ping = () => host.presenceOf('party_ping').get('pg')?.rtt_ms;
    await waitFor(() => typeof ping() === 'number', 2000);
    expect(Date.now() - joinedAt).toBeLessThan(2000);
    expect(ping()).toBeGreaterThanOrEqual(0);
    // The host's own ping went out the same way when it created the party.
    await waitFor(() => typeof guest.presenceOf('party_ping').get('ph')?.rtt_ms === 'number', 2000);
  });
});
