/**
 * Local mode behaves like the server: statuses follow the one heartbeat-health rule,
 * silent members are removed with reason timeout, and the host hands over.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PartyEvent } from '../../shared/party-transitions';
import type { LocalControlPlane } from './control';
import { ManualClock, systemClock, type Clock } from './scheduler';
import { waitFor } from './test-util/child-process';
import { makePeer } from './test-util/fixtures';
import { testLocalPlane } from './test-util/local-plane';
import { makeTempDir } from './test-util/temp-dir';

let home: string;
let cleanup: () => void;
const planes: LocalControlPlane[] = [];

beforeEach(() => {
  ({ dir: home, cleanup } = makeTempDir());
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  cleanup();
});

function instance(name: string, clock: Clock = systemClock): Promise<LocalControlPlane> {
  return testLocalPlane(home, name, planes, clock);
}

function record(plane: LocalControlPlane): PartyEvent[] {
  const events: PartyEvent[] = [];
  plane.subscribe((c) => {
    if (c.kind === 'party') events.push(...c.events);
  });
  return events;
}

describe('local mode presence and hand-over', () => {
  it('a member without a heartbeat for two intervals is offline, online again after one', async () => {
    const clock = new ManualClock();
    const host = await instance('host', clock);
    await host.registerParty('p1', 'One', makePeer('alice'));
    await host.joinParty('p1', makePeer('bob'));
    host.myPeerId = 'alice';
    const events = record(host);
    await clock.advance(30_000);
    await host.heartbeat('p1', 'alice');
    await clock.advance(31_000);
    await host.heartbeat('p1', 'alice');
    await host.flush();
    expect(host.presenceOf('p1').get('bob')?.status).toBe('offline');
    const bobStatus = events.filter((e) => e.type === 'peer_status' && e.peerId === 'bob');
    expect(bobStatus.map((e) => e.type === 'peer_status' && e.presence.status)).toEqual([
      'offline',
    ]);
    expect(host.presenceOf('p1').get('alice')?.status).toBe('online');
    await host.heartbeat('p1', 'bob');
    await clock.advance(300);
    await host.flush();
    expect(host.presenceOf('p1').get('bob')?.status).toBe('online');
  });

  it('removes a member offline for the peer timeout with reason timeout', async () => {
    const clock = new ManualClock();
    const host = await instance('host', clock);
    await host.registerParty('p1', 'One', makePeer('alice'));
    await host.joinParty('p1', makePeer('bob'));
    host.myPeerId = 'alice';
    const events = record(host);
    for (let i = 0; i < 6; i++) {
      await clock.advance(60_000);
      await host.heartbeat('p1', 'alice');
      await host.flush();
    }
    expect(events).toContainEqual({
      type: 'peer_left',
      partyId: 'p1',
      peerId: 'bob',
      reason: 'timeout',
    });
  });

  it('with hand-over on, the host leaving hands the party to the longest-present member', async () => {
    const host = await instance('host');
    await host.registerParty('p1', 'One', makePeer('alice'), { hostMigration: true });
    const guest = await instance('guest');
    await guest.joinParty('p1', makePeer('bob'));
    const late = await instance('late');
    await late.joinParty('p1', makePeer('cid'));
    const events = record(late);
    await host.leaveParty('p1', 'alice');
    await waitFor(() => late.parties.get('p1')?.hostId === 'bob', 5000);
    expect(events).toContainEqual({
      type: 'host_changed',
      partyId: 'p1',
      hostId: 'bob',
      reason: 'host_left',
    });
    expect((await late.discoverParties()).get('p1')?.settings.hostMigration).toBe(true);
  });

  it('transferHost and closeParty: only the host may; closing tells the others why', async () => {
    const host = await instance('host');
    host.myPeerId = 'alice';
    await host.registerParty('p1', 'One', makePeer('alice'));
    const guest = await instance('guest');
    await guest.joinParty('p1', makePeer('bob'));
    await expect(guest.transferHost('p1', 'bob')).rejects.toMatchObject({ code: 'forbidden' });
    await host.transferHost('p1', 'bob');
    await waitFor(() => guest.parties.get('p1')?.hostId === 'bob', 5000);
    await expect(host.closeParty('p1')).rejects.toMatchObject({ code: 'forbidden' });
    await guest.closeParty('p1');
    expect((await host.discoverParties()).has('p1')).toBe(false);
  });
});
