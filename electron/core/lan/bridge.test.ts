import { afterEach, describe, expect, it } from 'vitest';
import { PartyInfo } from '../../../shared/model';
import type { HostSource } from '../hosting/host-sources';
import { ManualClock } from '../test-util/manual-clock';
import { makePeer } from '../test-util/fixtures';
import { MemoryMdnsHub } from '../test-util/memory-mdns';
import { attachLan, type HostedServer, type HostingLike } from './bridge';
import { LanDiscovery } from './discovery';

const clock = new ManualClock();
const open: LanDiscovery[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

function lanOn(hub: MemoryMdnsHub, address: string): LanDiscovery {
  const lan = new LanDiscovery({ transport: hub.transport(address), clock, hostName: 'h.local' });
  open.push(lan);
  lan.start();
  return lan;
}

const party = (id: string) =>
  new PartyInfo({
    partyId: id,
    name: `Party ${id}`,
    hostId: 'amy',
    createdAt: new Date(0),
    peers: new Map([['amy', makePeer('amy', 'Amy')]]),
  });

/** An embedded server and local hosting, reduced to what the bridge uses. */
function fakeHosting() {
  const serverListeners = new Set<(s: HostedServer | null) => void>();
  const sources: HostSource[] = [];
  let hosted: PartyInfo[] = [];
  const changeListeners = new Set<(p: readonly PartyInfo[]) => void>();
  const server: HostedServer = {
    port: 7000,
    onLan: true,
    tls: null,
    hostedParties: () => hosted,
    onChange: (l) => (changeListeners.add(l), () => changeListeners.delete(l)),
    onlineCount: () => 1,
  };
  const hosting: HostingLike & { server: HostedServer | null } = {
    server: null,
    onServer: (l) => (serverListeners.add(l), () => serverListeners.delete(l)),
    addSource: (s) => (sources.push(s), () => sources.splice(sources.indexOf(s), 1)),
  };
  return {
    hosting,
    sources,
    start() {
      hosting.server = server;
      for (const l of serverListeners) l(server);
    },
    host(parties: PartyInfo[]) {
      hosted = parties;
      for (const l of changeListeners) l(parties);
    },
    stop() {
      hosting.server = null;
      for (const l of serverListeners) l(null);
    },
  };
}

const ids = (lan: LanDiscovery) => lan.parties().map((p) => p.summary.party_id);

describe('attachLan', () => {
  it('advertises what the embedded server hosts while it runs, and withdraws when it stops', async () => {
    const hub = new MemoryMdnsHub();
    const mine = lanOn(hub, '10.0.0.1');
    const other = lanOn(hub, '10.0.0.2');
    const fake = fakeHosting();
    attachLan(fake.hosting, mine);
    fake.start();
    fake.host([party('p1')]);
    await clock.advance(0);
    expect(other.parties()).toEqual([expect.objectContaining({ address: '10.0.0.1', port: 7000 })]);
    // How many are online, as the embedded server counts them.
    expect(other.parties()[0]!.summary.online_count).toBe(1);
    fake.stop();
    await clock.advance(0);
    expect(ids(other)).toEqual([]);
  });

  it('offers LAN parties to hosting as hosts to locate and join, at their control URL', async () => {
    const hub = new MemoryMdnsHub();
    const mine = lanOn(hub, '10.0.0.1');
    const theirs = fakeHosting();
    attachLan(theirs.hosting, lanOn(hub, '10.0.0.2'));
    theirs.start();
    theirs.host([party('p9')]);
    const fake = fakeHosting();
    attachLan(fake.hosting, mine);
    await clock.advance(0);
    const hosts = fake.sources[0]!.hosts();
    expect([...hosts.keys()]).toEqual(['p9']);
    expect(hosts.get('p9')).toMatchObject({ controlUrl: 'ws://10.0.0.2:7000/ws' });
    expect(hosts.get('p9')!.party.name).toBe('Party p9');
    // The party holds no members here: who hosts it and its size are the announcement's.
    expect(hosts.get('p9')!.announced).toMatchObject({ host_name: 'Amy', peer_count: 1 });
    // Its claims too: here the one place announcing it, at the same URL.
    expect(fake.sources[0]!.claims!('p9').map((h) => h.controlUrl)).toEqual([
      'ws://10.0.0.2:7000/ws',
    ]);
    expect(fake.sources[0]!.claims!('p0')).toEqual([]);
  });

  it('detaching withdraws the adverts and the source', async () => {
    const hub = new MemoryMdnsHub();
    const mine = lanOn(hub, '10.0.0.1');
    const other = lanOn(hub, '10.0.0.2');
    const fake = fakeHosting();
    const detach = attachLan(fake.hosting, mine);
    fake.start();
    fake.host([party('p1')]);
    await clock.advance(0);
    detach();
    await clock.advance(0);
    expect(ids(other)).toEqual([]);
    expect(fake.sources).toEqual([]);
  });
});
