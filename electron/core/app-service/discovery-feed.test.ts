import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveredParty, StateEvent } from '../../../shared/ipc/app-state';
import { PartyInfo } from '../../../shared/model';
import { withDefaults } from '../../../shared/party/settings';
import type { ConnectionStatus } from '../../../shared/status';
import { DiscoveryFeed, rivalNotice } from './discovery-feed';
import { RECORD_TTL_S } from '../lan/dns-sd-records';
import { LanDiscovery } from '../lan/discovery';
import { ManualClock } from '../test-util/manual-clock';
import { makePeer } from '../test-util/fixtures';
import { MemoryMdnsHub } from '../test-util/memory-mdns';
import type { ControlPlaneApi } from '../types';
import { silentLogger } from '../../../shared/logger';

const clock = new ManualClock();
const open: LanDiscovery[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

function lanOn(hub: MemoryMdnsHub, address: string): LanDiscovery {
  const lan = new LanDiscovery({
    transport: hub.transport(address),
    clock,
    hostName: `${address}.local`,
  });
  open.push(lan);
  lan.start();
  return lan;
}

/** The two things the feed asks of a control plane. */
function control(state: ConnectionStatus['state'], thisPc: PartyInfo[]) {
  const plane = {
    state,
    thisPc,
    calls: 0,
    status: () => ({ state: plane.state }) as ConnectionStatus,
    discoverParties: () => {
      plane.calls++;
      return Promise.resolve(new Map(plane.thisPc.map((p) => [p.partyId, p])));
    },
  };
  return plane;
}

function feedFor(
  plane: ReturnType<typeof control>,
  lan: LanDiscovery | null,
  mine: string | null = null,
) {
  const events: DiscoveredParty[][] = [];
  const feed = new DiscoveryFeed({
    logger: silentLogger,
    emit: (e: StateEvent) => void (e.type === 'discovered' && events.push(e.parties)),
    control: () => plane as unknown as ControlPlaneApi,
    myPartyId: () => mine,
    lan,
  });
  feed.start();
  return { feed, events };
}

const party = (id: string, name: string, host: string, at: number) =>
  new PartyInfo({
    partyId: id,
    name,
    hostId: host,
    createdAt: new Date(at),
    peers: new Map([[host, makePeer(host, host)]]),
  });

const summary = (id: string, name: string) => ({
  party_id: id,
  name,
  host_name: 'Zed',
  peer_count: 2,
  max_peers: 8,
  protocol: '1.1',
  port: 8667,
});

describe('DiscoveryFeed', () => {
  it('pushes LAN parties as they appear and go, after this PC’s, without polling', async () => {
    const hub = new MemoryMdnsHub();
    const me = lanOn(hub, '10.0.0.2');
    const host = lanOn(hub, '10.0.0.9');
    const plane = control('local', [party('pc1', 'On this PC', 'amy', 1000)]);
    const { feed, events } = feedFor(plane, me);
    await feed.refresh();
    expect(events.at(-1)!.map((p) => p.where)).toEqual(['this_pc']);
    host.advertise(summary('lan1', 'Over there'));
    await clock.advance(0);
    await feed.refresh();
    expect(events.at(-1)).toEqual([
      // No limit chosen: the most a party can have.
      expect.objectContaining({ party_id: 'pc1', where: 'this_pc', address: null, max_peers: 256 }),
      expect.objectContaining({
        party_id: 'lan1',
        name: 'Over there',
        host_name: 'Zed',
        peer_count: 2,
        max_peers: 8,
        where: 'lan',
        address: '10.0.0.9',
        created_at: null,
      }),
    ]);
    const callsBefore = plane.calls;
    await clock.advance(60_000);
    // Nothing changed for a minute: nothing was read again and nothing was pushed.
    expect(plane.calls).toBe(callsBefore);
    await host.close();
    await clock.advance(0);
    await feed.refresh();
    expect(events.at(-1)!.map((p) => p.party_id)).toEqual(['pc1']);
  });

  it('lists LAN parties first heard first: copies announced later come after the real one', async () => {
    const hub = new MemoryMdnsHub();
    const me = lanOn(hub, '10.0.0.2');
    const real = lanOn(hub, '10.0.0.1');
    const eve = lanOn(hub, '10.0.0.4');
    const { feed, events } = feedFor(control('local', []), me);
    real.advertise(summary('party_zzz_real', 'Friday Frag'));
    await clock.advance(0);
    // Random ids that sort before the real one's, the same name and host name.
    for (const id of ['party_aaa1', 'party_aaa2']) eve.advertise(summary(id, 'Friday Frag'));
    await clock.advance(0);
    await feed.refresh();
    expect(events.at(-1)!.map((p) => [p.party_id, p.address])).toEqual([
      ['party_zzz_real', '10.0.0.1'],
      ['party_aaa1', '10.0.0.4'],
      ['party_aaa2', '10.0.0.4'],
    ]);
  });

  it('shows how many are online as the host says, never more than its members', async () => {
    const hub = new MemoryMdnsHub();
    const me = lanOn(hub, '10.0.0.2');
    const host = lanOn(hub, '10.0.0.9');
    const { feed, events } = feedFor(control('local', []), me);
    host.advertise({ ...summary('lan1', 'Honest'), online_count: 1 });
    host.advertise({ ...summary('lan2', 'Boastful'), online_count: 5 });
    host.advertise(summary('lan3', 'Older host'));
    await clock.advance(0);
    await feed.refresh();
    const online = Object.fromEntries(events.at(-1)!.map((p) => [p.name, p.online_count]));
    expect(online).toEqual({ Honest: 1, Boastful: 2, 'Older host': null });
  });

  it('gives each party’s limit, and pushes the list again when only a limit changes', async () => {
    const hub = new MemoryMdnsHub();
    const me = lanOn(hub, '10.0.0.2');
    const host = lanOn(hub, '10.0.0.9');
    const fourSeats = party('pc1', 'Here', 'amy', 1).with({
      settings: withDefaults({ maxPeers: 4 }),
    });
    const { feed, events } = feedFor(control('local', [fourSeats]), me);
    host.advertise(summary('lan1', 'Over there'));
    await clock.advance(0);
    await feed.refresh();
    const limits = () => events.at(-1)!.map((p) => [p.party_id, p.max_peers]);
    expect(limits()).toEqual([
      ['pc1', 4],
      ['lan1', 8],
    ]);
    host.advertise({ ...summary('lan1', 'Over there'), max_peers: 2 });
    await clock.advance(0);
    await feed.refresh();
    expect(limits()).toEqual([
      ['pc1', 4],
      ['lan1', 2],
    ]);
  });

  it('tells who may join (this PC’s by its settings, the LAN’s as announced, else null)', async () => {
    const hub = new MemoryMdnsHub();
    const me = lanOn(hub, '10.0.0.2');
    const host = lanOn(hub, '10.0.0.9');
    const approving = party('pc1', 'Here', 'amy', 1).with({
      settings: withDefaults({ joinPolicy: 'approval' }),
    });
    const { feed, events } = feedFor(control('local', [approving]), me);
    host.advertise({ ...summary('lan1', 'Secret'), join_policy: 'password' });
    host.advertise(summary('lan2', 'Older host'));
    await clock.advance(0);
    await feed.refresh();
    const policies = () => Object.fromEntries(events.at(-1)!.map((p) => [p.name, p.join_policy]));
    expect(policies()).toEqual({ Here: 'approval', Secret: 'password', 'Older host': null });
    // Only the policy changed: pushed again, so the join dialog knows to ask.
    host.advertise({ ...summary('lan2', 'Older host'), join_policy: 'password' });
    await clock.advance(0);
    await feed.refresh();
    expect(policies()['Older host']).toBe('password');
  });

  it('lists a party found both ways once, as this PC’s; never offers my own', async () => {
    const hub = new MemoryMdnsHub();
    const me = lanOn(hub, '10.0.0.2');
    const host = lanOn(hub, '10.0.0.9');
    host.advertise(summary('both', 'Both'));
    host.advertise(summary('mine', 'Mine'));
    await clock.advance(0);
    const { feed } = feedFor(control('offline', [party('both', 'Both', 'amy', 1)]), me, 'mine');
    expect((await feed.refresh()).map((p) => [p.party_id, p.where])).toEqual([['both', 'this_pc']]);
  });

  it('shows nothing nearby while connected to a server (joining there goes through it)', async () => {
    const hub = new MemoryMdnsHub();
    const me = lanOn(hub, '10.0.0.2');
    lanOn(hub, '10.0.0.9').advertise(summary('lan1', 'Over there'));
    await clock.advance(0);
    const { feed } = feedFor(control('connected', [party('pc1', 'x', 'amy', 1)]), me);
    expect(await feed.refresh()).toEqual([]);
  });

  it('lists a party two PCs announce as contested: no address, named, not mine', async () => {
    const hub = new MemoryMdnsHub();
    const me = lanOn(hub, '10.0.0.2');
    lanOn(hub, '10.0.0.9').advertise(summary('lan1', 'Real'));
    lanOn(hub, '10.0.0.66').advertise(summary('lan1', 'Copy'));
    lanOn(hub, '10.0.0.7').advertise(summary('lan2', 'Plain'));
    await clock.advance(0);
    const { feed } = feedFor(control('local', []), me);
    const rows = await feed.refresh();
    expect(rows.map((p) => [p.party_id, p.contested, p.address])).toEqual([
      ['lan2', false, '10.0.0.7'],
      ['lan1', true, null],
    ]);
    expect(rows[1]!.name).toBe('Real'); // as first heard
    const mine = feedFor(control('local', []), me, 'lan1').feed;
    expect((await mine.refresh()).map((p) => p.party_id)).toEqual(['lan2']);
  });

  it('gives a LAN party’s announced certificate pin, so Join goes to the PC listed', async () => {
    const hub = new MemoryMdnsHub();
    const me = lanOn(hub, '10.0.0.2');
    const pin = 'A'.repeat(43);
    lanOn(hub, '10.0.0.9').advertise({
      ...summary('tls1', 'Pinned'),
      tls_port: 8669,
      tls_sha256: pin,
    });
    lanOn(hub, '10.0.0.7').advertise(summary('plain1', 'Plain'));
    await clock.advance(0);
    const { feed } = feedFor(control('local', [party('pc1', 'Here', 'amy', 1)]), me);
    const pins = Object.fromEntries((await feed.refresh()).map((p) => [p.party_id, p.host_pin]));
    expect(pins).toEqual({ pc1: null, tls1: pin, plain1: null });
  });

  // "<party> is back" through the feed: only from the certificate the plane knew its host by.
  it('tells a party back from its host’s pin, not from another PC announcing its id', async () => {
    const hub = new MemoryMdnsHub();
    const me = lanOn(hub, '10.0.0.2');
    const pin = 'A'.repeat(43);
    const plane = { ...control('local', []), hostPinOf: () => pin };
    const offered: string[] = [];
    const notices = { offer: (m: string) => void offered.push(m), withdraw: () => undefined };
    const feed = new DiscoveryFeed({
      logger: silentLogger,
      emit: () => undefined,
      control: () => plane as unknown as ControlPlaneApi,
      myPartyId: () => null,
      lan: me,
      back: { clock, notices },
    });
    const ended = { party_name: 'Friday', reason: 'host_left', message: '', at: '' };
    feed.ended('party_a', ended);
    await feed.refresh();
    const other = { ...summary('party_a', 'Friday'), tls_port: 8669, tls_sha256: 'B'.repeat(43) };
    lanOn(hub, '10.0.0.66').advertise(other);
    await clock.advance(0);
    expect((await feed.refresh()).map((p) => p.party_id)).toEqual(['party_a']);
    expect(offered).toEqual([]);
  });

  it('tells the host once per PC that announces its party too, again if it comes back', async () => {
    const hub = new MemoryMdnsHub();
    const host = lanOn(hub, '10.0.0.9');
    host.advertise(summary('lan1', 'Real'));
    await clock.advance(0);
    const told: string[] = [];
    const feed = new DiscoveryFeed({
      logger: silentLogger,
      emit: () => {},
      control: () => control('local', []) as unknown as ControlPlaneApi,
      myPartyId: () => 'lan1',
      lan: host,
      report: (message) => told.push(message),
    });
    feed.start();
    await feed.refresh();
    expect(told).toEqual([]);
    const copy = lanOn(hub, '10.0.0.66');
    copy.advertise(summary('lan1', 'Copy'));
    await clock.advance(0);
    await feed.refresh();
    await feed.refresh();
    expect(told).toEqual([rivalNotice('10.0.0.66')]);
    expect(told[0]).toContain('send them your invite link');
    await copy.close();
    await clock.advance((RECORD_TTL_S + 1) * 1000);
    await feed.refresh();
    lanOn(hub, '10.0.0.66').advertise(summary('lan1', 'Copy'));
    await clock.advance(0);
    await feed.refresh();
    expect(told).toHaveLength(2);
  });

  it('coalesces a burst of changes into at most two looks', async () => {
    const plane = control('local', []);
    const { feed } = feedFor(plane, null);
    for (let i = 0; i < 50; i++) feed.changed();
    await feed.refresh();
    // It looked (a feed that never looks would pass "at most two" too), once or twice.
    expect(plane.calls).toBeGreaterThanOrEqual(1);
    expect(plane.calls).toBeLessThanOrEqual(2);
  });
});
