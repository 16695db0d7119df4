import { afterEach, describe, expect, it } from 'vitest';
import { PartyInfo } from '../../../shared/model';
import { withDefaults } from '../../../shared/party/settings';
import { ManualClock } from '../test-util/manual-clock';
import { makePeer } from '../test-util/fixtures';
import { MemoryMdnsHub } from '../test-util/memory-mdns';
import { LanAdvertising } from './advertising';
import { lanControlUrl } from './bridge';
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

const party = (id: string, members: string[]) =>
  new PartyInfo({
    partyId: id,
    name: `Party ${id}`,
    hostId: members[0]!,
    createdAt: new Date(0),
    peers: new Map(members.map((m) => [m, makePeer(m, m.toUpperCase())])),
  });

const seen = (lan: LanDiscovery) =>
  lan
    .parties()
    .map((p) => `${p.summary.party_id}:${p.summary.peer_count}@${p.port}`)
    .sort();

describe('LanAdvertising', () => {
  it('advertises what the server hosts, follows its member count, withdraws what it stops hosting', async () => {
    const hub = new MemoryMdnsHub();
    const host = lanOn(hub, '10.0.0.1');
    const other = lanOn(hub, '10.0.0.2');
    const ads = new LanAdvertising(host);
    ads.sync([party('p1', ['amy'])], { port: 7000, tls: null });
    await clock.advance(0);
    expect(seen(other)).toEqual(['p1:1@7000']);
    expect(other.parties()[0]!.summary).toMatchObject({ name: 'Party p1', host_name: 'AMY' });
    ads.sync([party('p1', ['amy', 'bob']), party('p2', ['amy'])], { port: 7000, tls: null });
    await clock.advance(0);
    expect(seen(other)).toEqual(['p1:2@7000', 'p2:1@7000']);
    ads.sync([party('p2', ['amy'])], { port: 7000, tls: null });
    await clock.advance(0);
    expect(seen(other)).toEqual(['p2:1@7000']);
  });

  it('announces the party’s own limit, so a full party reads full before Join', async () => {
    const hub = new MemoryMdnsHub();
    const host = lanOn(hub, '10.0.0.1');
    const other = lanOn(hub, '10.0.0.2');
    const twoSeats = party('p1', ['amy', 'bob']).with({ settings: withDefaults({ maxPeers: 2 }) });
    new LanAdvertising(host).sync([twoSeats], { port: 7000, tls: null });
    await clock.advance(0);
    expect(other.parties()[0]!.summary).toMatchObject({ peer_count: 2, max_peers: 2 });
  });

  it('a server on loopback only (or stopped) advertises nothing', async () => {
    const hub = new MemoryMdnsHub();
    const host = lanOn(hub, '10.0.0.1');
    const other = lanOn(hub, '10.0.0.2');
    const ads = new LanAdvertising(host);
    ads.sync([party('p1', ['amy'])], { port: 7000, tls: null });
    await clock.advance(0);
    ads.sync([party('p1', ['amy'])], null);
    await clock.advance(0);
    expect(seen(other)).toEqual([]);
  });

  it('announces the TLS port and pin, and the other side dials them with wss', async () => {
    const hub = new MemoryMdnsHub();
    const host = lanOn(hub, '10.0.0.1');
    const other = lanOn(hub, '10.0.0.2');
    const ads = new LanAdvertising(host);
    const tls = { port: 7001, sha256: 'A'.repeat(42) + 'w' };
    ads.sync([party('p1', ['amy'])], { port: 7000, tls });
    await clock.advance(0);
    const [found] = other.parties();
    expect(found!.summary).toMatchObject({ port: 7000, tls_port: 7001, tls_sha256: tls.sha256 });
    expect(lanControlUrl(found!)).toBe(`wss://10.0.0.1:7001/ws?pin=${tls.sha256}&plain=7000`);
    ads.sync([party('p1', ['amy'])], { port: 7000, tls: null });
    await clock.advance(0);
    expect(lanControlUrl(other.parties()[0]!)).toBe('ws://10.0.0.1:7000/ws');
  });
});
