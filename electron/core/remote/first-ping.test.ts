/**
 * A member's ping reaches the others as it arrives, not after the first heartbeat
 * intervals (30 s here, so no timer beat can be what tells it).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RunningServer } from '../../../server/server-core';
import { TestRig } from '../../../server/test-support';
import type { RemoteControlPlane } from '../control';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { testRemotePlane } from '../test-util/remote-plane';
import { makeTempDir } from '../test-util/temp-dir';

const rig = new TestRig();
let server: RunningServer;
let home: string;
let cleanup: () => void;
const planes: RemoteControlPlane[] = [];

beforeEach(async () => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-first-ping-'));
  server = await rig.start({ heartbeatIntervalS: 30 });
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

it('a member who just joined (a fresh app, no round trip measured yet) shows its ping to the host within 2 s', async () => {
  const [host, guest] = [await plane('h'), await plane('g')];
  await host.registerParty('party_ping', 'P', makePeer('ph'));
  expect(guest.status().lastHeartbeatRttMs).toBeNull();
  const joinedAt = Date.now();
  await guest.joinParty('party_ping', makePeer('pg'));
  await waitFor(() => typeof host.presenceOf('party_ping').get('pg')?.rtt_ms === 'number', 2000);
  expect(Date.now() - joinedAt).toBeLessThan(2000);
  expect(host.presenceOf('party_ping').get('pg')?.rtt_ms).toBeGreaterThanOrEqual(0);
  // The host's own ping went out the same way when it created the party.
  await waitFor(() => typeof guest.presenceOf('party_ping').get('ph')?.rtt_ms === 'number', 2000);
});
