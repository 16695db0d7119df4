/**
 * A PC on the LAN announcing made-up parties must not keep a friend's party off "Parties
 * nearby", nor off the claims a pinned invite link is joined by: one address holds at most
 * MAX_PARTIES_PER_ADDRESS parties, and a full list makes room for an address holding few.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../test-util/manual-clock';
import { MemoryMdnsHub } from '../test-util/memory-mdns';
import { lanSummary } from '../test-util/lan-summary';
import { MAX_LAN_PARTIES, MAX_PARTIES_PER_ADDRESS } from './browse-cache';
import { advertPacket } from './dns-sd-records';
import { LanDiscovery } from './discovery';
import { silentLogger } from '../../../shared/logger';

const REAL = 'party_friends1';
const HOST = '10.0.0.1';

let clock: ManualClock;
let hub: MemoryMdnsHub;
const open: LanDiscovery[] = [];
afterEach(async () => {
  for (const lan of open.splice(0)) await lan.close();
});

function browser(): LanDiscovery {
  clock = new ManualClock();
  hub = new MemoryMdnsHub();
  const lan = new LanDiscovery({
    transport: hub.transport('10.0.0.2'),
    clock,
    hostName: 'bob.local',
    logger: silentLogger,
  });
  open.push(lan);
  lan.start();
  return lan;
}

/** `count` made-up parties announced from each of `addresses`, unasked. */
async function flood(addresses: string[], count: number): Promise<void> {
  for (const [a, address] of addresses.entries()) {
    for (let k = 0; k < count; k++) {
      const summary = lanSummary({ party_id: `party_junk${a}x${k}`, name: `Junk ${a}.${k}` });
      hub.inject(
        address,
        advertPacket({ summary, hostName: `junk${a}.local`, addresses: [address] }),
      );
    }
  }
  await clock.advance(0);
}

async function friendAnnounces(): Promise<void> {
  const summary = lanSummary({ party_id: REAL, name: 'Friday LAN' });
  hub.inject(HOST, advertPacket({ summary, hostName: 'alice.local', addresses: [HOST] }));
  await clock.advance(0);
}

const from = (lan: LanDiscovery, address: string) =>
  lan.parties().filter((p) => p.address === address).length;

describe('a LAN flooded with made-up parties', () => {
  it('one address is listed with at most MAX_PARTIES_PER_ADDRESS of them; a friend’s still is', async () => {
    const lan = browser();
    await flood(['10.0.0.66'], MAX_LAN_PARTIES);
    expect(from(lan, '10.0.0.66')).toBe(MAX_PARTIES_PER_ADDRESS);
    await friendAnnounces();
    expect(lan.parties().map((p) => p.summary.party_id)).toContain(REAL);
    expect(lan.claims(REAL).map((p) => p.address)).toEqual([HOST]);
  });

  it('a list full of addresses holding several makes room for a friend’s party', async () => {
    const lan = browser();
    const crowd = Array.from({ length: 8 }, (_, i) => `10.0.1.${i + 1}`);
    await flood(crowd, MAX_PARTIES_PER_ADDRESS);
    expect(lan.parties()).toHaveLength(MAX_LAN_PARTIES);
    await friendAnnounces();
    const listed = lan.parties();
    expect(listed).toHaveLength(MAX_LAN_PARTIES);
    expect(lan.claims(REAL).map((p) => p.address)).toEqual([HOST]);
    // The first-heard party of the first crowd address went, nothing else.
    const ids = listed.map((p) => p.summary.party_id);
    expect(ids).not.toContain('party_junk0x0');
    expect(ids).toContain('party_junk0x1');
  });

  it('no address crowds out one holding as many: a list of one party per address stays full', async () => {
    const lan = browser();
    const crowd = Array.from({ length: MAX_LAN_PARTIES }, (_, i) => `10.0.2.${i + 1}`);
    await flood(crowd, 1);
    await friendAnnounces();
    expect(lan.parties()).toHaveLength(MAX_LAN_PARTIES);
    expect(lan.claims(REAL)).toEqual([]);
  });
});
