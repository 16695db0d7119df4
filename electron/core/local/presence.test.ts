/**
 * Local mode is the server: the embedded server keeps presence by the one heartbeat-health
 * rule, removes silent members with reason timeout, and hands the party over.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PartyEvent } from '../../../shared/party/events';
import type { LocalControlPlane } from '../control';
import { systemClock, type Clock } from '../../../shared/time/clock';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { testLocalPlane } from '../test-util/local-plane';
import { makeTempDir } from '../test-util/temp-dir';

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
  it('presence is the embedded server’s: a member whose app is gone goes offline, then is removed (timeout)', async () => {
    // Short intervals, written to config.json as a user would: beat 0.2 s, timeout 1 s.
    const intervals = { heartbeat_interval: 0.2, cleanup_interval: 0.2, peer_timeout: 1 };
    writeFileSync(join(home, 'config.json'), JSON.stringify(intervals));
    const host = await instance('host');
    await host.registerParty('party_p1', 'One', makePeer('alice'));
    const guest = await instance('guest');
    await guest.joinParty('party_p1', makePeer('bob'));
    await waitFor(() => host.presenceOf('party_p1').get('bob')?.status === 'online', 3000);
    await waitFor(() => guest.presenceOf('party_p1').get('alice')?.status === 'online', 3000);
    const events = record(host);
    await guest.close(); // its heartbeats stop, its connection closes
    await waitFor(() => host.presenceOf('party_p1').get('bob')?.status === 'offline', 3000);
    await waitFor(() => !host.parties.get('party_p1')?.peers.has('bob'), 5000);
    expect(events).toContainEqual({
      type: 'peer_left',
      partyId: 'party_p1',
      peerId: 'bob',
      reason: 'timeout',
    });
    expect(host.presenceOf('party_p1').get('alice')?.status).toBe('online');
  });

  it('with hand-over on, the host leaving hands the party to the longest-present member', async () => {
    const host = await instance('host');
    await host.registerParty('party_p1', 'One', makePeer('alice'), { hostMigration: true });
    const guest = await instance('guest');
    await guest.joinParty('party_p1', makePeer('bob'));
    const late = await instance('late');
    await late.joinParty('party_p1', makePeer('cid'));
    const events = record(late);
    await host.leaveParty('party_p1', 'alice');
    await waitFor(() => late.parties.get('party_p1')?.hostId === 'bob', 5000);
    expect(events).toContainEqual({
      type: 'host_changed',
      partyId: 'party_p1',
      hostId: 'bob',
      reason: 'host_left',
    });
    expect((await late.discoverParties()).get('party_p1')?.settings.hostMigration).toBe(true);
  });

  it('the app still serving a party it handed over quits: its host is not told the host left', async () => {
    const host = await instance('host');
    host.myPeerId = 'alice';
    await host.registerParty('party_p1', 'One', makePeer('alice'));
    const guest = await instance('guest');
    await guest.joinParty('party_p1', makePeer('bob'));
    expect(host.status().localServer?.servedFor ?? []).toEqual([]);
    await host.transferHost('party_p1', 'bob');
    await host.leaveParty('party_p1', 'alice');
    await waitFor(() => guest.parties.get('party_p1')?.peers.size === 1, 5000);
    // Out of the party, its app still listens for it: the status says for whom.
    await waitFor(() => host.status().localServer?.servedFor?.length === 1, 3000);
    expect(host.status().localServer?.servedFor).toEqual([{ party: 'One', host: 'bob' }]);
    const events = record(guest);
    await host.close();
    await waitFor(() => !guest.parties.has('party_p1'), 5000);
    expect(events).toContainEqual({
      type: 'party_closed',
      partyId: 'party_p1',
      reason: 'server_left',
    });
  });

  it('transferHost and closeParty: only the host may; closing tells the others why', async () => {
    const host = await instance('host');
    host.myPeerId = 'alice';
    await host.registerParty('party_p1', 'One', makePeer('alice'));
    const guest = await instance('guest');
    await guest.joinParty('party_p1', makePeer('bob'));
    await expect(guest.transferHost('party_p1', 'bob')).rejects.toMatchObject({
      code: 'forbidden',
    });
    await host.transferHost('party_p1', 'bob');
    await waitFor(() => guest.parties.get('party_p1')?.hostId === 'bob', 5000);
    await expect(host.closeParty('party_p1')).rejects.toMatchObject({ code: 'forbidden' });
    const reasons: string[] = [];
    host.subscribe((c) => {
      if (c.kind === 'party')
        for (const e of c.events) if (e.type === 'party_closed') reasons.push(e.reason);
    });
    await guest.closeParty('party_p1');
    await waitFor(() => !host.parties.has('party_p1'), 3000);
    expect(reasons).toEqual(['closed_by_host']);
    await waitFor(() => !host.hosting.server?.hostedParties().length, 3000);
  });
});
