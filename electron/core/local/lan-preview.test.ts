/**
 * A LAN party's invite link, previewed by a guest without a server: the summary its join
 * dialog reads is the host's announcement, who may join included (a password party's dialog
 * asks for the password before the first try).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartyInfo } from '../../../shared/model';
import { withDefaults } from '../../../shared/party/settings';
import { LanAdvertising } from '../lan/advertising';
import { lanHostSource } from '../lan/bridge';
import { LanDiscovery } from '../lan/discovery';
import { makePeer } from '../test-util/fixtures';
import { testLocalPlane } from '../test-util/local-plane';
import { ManualClock } from '../test-util/manual-clock';
import { MemoryMdnsHub } from '../test-util/memory-mdns';
import { makeTempDir } from '../test-util/temp-dir';
import type { LocalControlPlane } from './control-plane';

const clock = new ManualClock();
const closers: (() => Promise<unknown>)[] = [];
let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir('lanrage-lan-preview-')));
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  temp.cleanup();
});

function lanOn(hub: MemoryMdnsHub, address: string): LanDiscovery {
  const lan = new LanDiscovery({ transport: hub.transport(address), clock, hostName: 'h.local' });
  closers.push(() => lan.close());
  lan.start();
  return lan;
}

const hosted = (id: string, joinPolicy?: 'password') =>
  new PartyInfo({
    partyId: id,
    name: `Party ${id}`,
    hostId: 'amy',
    createdAt: new Date(0),
    peers: new Map([['amy', makePeer('amy', 'Amy')]]),
    settings: withDefaults(joinPolicy ? { joinPolicy } : {}),
  });

async function guestFinding(hub: MemoryMdnsHub): Promise<LocalControlPlane> {
  const planes: LocalControlPlane[] = [];
  const guest = await testLocalPlane(temp.dir, 'guest', planes);
  closers.push(() => guest.close());
  guest.hosting.addSource(lanHostSource(lanOn(hub, '10.0.0.2')));
  return guest;
}

describe('a LAN party’s preview', () => {
  it('says who may join as its host announced it', async () => {
    const hub = new MemoryMdnsHub();
    const host = lanOn(hub, '10.0.0.1');
    const guest = await guestFinding(hub);
    new LanAdvertising(host).sync([hosted('party_pw', 'password'), hosted('party_open')], {
      port: 7000,
      tls: null,
    });
    await clock.advance(0);
    const preview = await guest.previewParty('party_pw');
    expect(preview).toMatchObject({ host_name: 'Amy', join_policy: 'password' });
    expect(await guest.previewParty('party_open')).toMatchObject({ join_policy: 'open' });
  });

  it('from a host that announces no policy, reads as not asking for a password', async () => {
    const hub = new MemoryMdnsHub();
    const older = lanOn(hub, '10.0.0.1');
    const guest = await guestFinding(hub);
    older.advertise({
      party_id: 'party_old',
      name: 'Old',
      host_name: 'Bob',
      peer_count: 1,
      max_peers: 8,
      protocol: '1.1',
      port: 7000,
    });
    await clock.advance(0);
    expect(await guest.previewParty('party_old')).toMatchObject({
      host_name: 'Bob',
      join_policy: 'open',
    });
  });
});
