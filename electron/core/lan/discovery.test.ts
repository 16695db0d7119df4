import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../test-util/manual-clock';
import { MemoryMdnsHub } from '../test-util/memory-mdns';
import { advertPacket, RECORD_TTL_S, SERVICE_ENUMERATION } from './dns-sd-records';
import { LanDiscovery } from './discovery';
import { lanSummary } from '../test-util/lan-summary';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';

const summary = lanSummary;

let clock: ManualClock;
let hub: MemoryMdnsHub;
const open: LanDiscovery[] = [];

function instance(address: string) {
  const transport = hub.transport(address);
  const log = new MemoryLogger();
  const lan = new LanDiscovery({ transport, clock, hostName: `h-${address}.local`, logger: log });
  open.push(lan);
  lan.start();
  return { lan, transport, log };
}
const ids = (lan: LanDiscovery) => lan.parties().map((p) => p.summary.party_id);

afterEach(async () => {
  for (const lan of open.splice(0)) await lan.close();
});

function setup() {
  clock = new ManualClock();
  hub = new MemoryMdnsHub();
}

describe('LanDiscovery', () => {
  it('a hosted party is listed by a running browser at once, with where to reach it', async () => {
    setup();
    const browser = instance('10.0.0.2');
    await clock.advance(5000);
    const host = instance('10.0.0.1');
    host.lan.advertise(summary());
    await clock.advance(0);
    expect(browser.lan.parties()).toEqual([
      { summary: summary(), address: '10.0.0.1', port: 8667 },
    ]);
  });

  it('a browser that starts later finds it by asking', async () => {
    setup();
    const host = instance('10.0.0.1');
    host.lan.advertise(summary());
    await clock.advance(60_000);
    const browser = instance('10.0.0.2');
    await clock.advance(100);
    expect(ids(browser.lan)).toEqual(['party_abc123']);
  });

  it('asks the network when told to (a join looking for a party), no more than the gap allows', async () => {
    setup();
    const browser = instance('10.0.0.2');
    await clock.advance(60_000);
    const before = hub.count('query', '10.0.0.2');
    browser.lan.ask();
    browser.lan.ask();
    expect(hub.count('query', '10.0.0.2')).toBe(before + 1);
    await clock.advance(300);
    expect(hub.count('query', '10.0.0.2')).toBe(before + 2);
  });

  it('stays listed while the host answers refreshes, for minutes', async () => {
    setup();
    const host = instance('10.0.0.1');
    const browser = instance('10.0.0.2');
    host.lan.advertise(summary());
    const changes = vi.fn();
    await clock.advance(100);
    browser.lan.subscribe(changes);
    for (let s = 0; s < 300; s++) {
      await clock.advance(1000);
      expect(ids(browser.lan)).toEqual(['party_abc123']);
    }
    expect(changes).not.toHaveBeenCalled();
    // Refresh traffic is bounded: about one query per TTL·0.8, not one per second.
    expect(hub.count('query', '10.0.0.2')).toBeLessThan(300 / (RECORD_TTL_S * 0.8) + 12);
  });

  it('a goodbye removes it at once', async () => {
    setup();
    const host = instance('10.0.0.1');
    const browser = instance('10.0.0.2');
    host.lan.advertise(summary());
    await clock.advance(3000);
    const changes = vi.fn();
    browser.lan.subscribe(changes);
    await host.lan.close();
    await clock.advance(0);
    expect(browser.lan.parties()).toEqual([]);
    expect(changes).toHaveBeenCalledWith([]);
  });

  it('a crashed host (no goodbye) is dropped within the TTL, not before it runs out', async () => {
    setup();
    const host = instance('10.0.0.1');
    const browser = instance('10.0.0.2');
    host.lan.advertise(summary());
    await clock.advance(10_000);
    host.transport.crash();
    const crashedAt = clock.now();
    let goneAt: number | null = null;
    browser.lan.subscribe((list) => {
      if (list.length === 0) goneAt ??= clock.now();
    });
    await clock.advance(30_000);
    expect(goneAt).not.toBeNull();
    expect(goneAt! - crashedAt).toBeLessThanOrEqual(RECORD_TTL_S * 1000);
    expect(goneAt! - crashedAt).toBeGreaterThan(0);
  });

  it('a changed summary reaches browsers', async () => {
    setup();
    const host = instance('10.0.0.1');
    const browser = instance('10.0.0.2');
    host.lan.advertise(summary());
    await clock.advance(3000);
    host.lan.advertise(summary({ peer_count: 3 }));
    await clock.advance(0);
    expect(browser.lan.parties()[0]!.summary.peer_count).toBe(3);
  });

  it('answers a flood of queries at most once a second (no amplifier)', async () => {
    setup();
    const host = instance('10.0.0.1');
    host.lan.advertise(summary());
    await clock.advance(5000);
    const before = hub.count('response', '10.0.0.1');
    for (let i = 0; i < 200; i++) {
      hub.inject('10.0.0.66', {
        type: 'query',
        questions: [{ name: '_lanrage._tcp.local', type: 'PTR' }],
      });
    }
    await clock.advance(0);
    expect(hub.count('response', '10.0.0.1') - before).toBe(1);
  });

  it('answers a flood of service-type enumerations at most once a second too', async () => {
    setup();
    const host = instance('10.0.0.1');
    host.lan.advertise(summary());
    await clock.advance(5000);
    const before = hub.count('response', '10.0.0.1');
    const enumerate = () =>
      hub.inject('10.0.0.66', {
        type: 'query',
        questions: [{ name: SERVICE_ENUMERATION, type: 'PTR' }],
      });
    for (let i = 0; i < 200; i++) enumerate();
    await clock.advance(0);
    expect(hub.count('response', '10.0.0.1') - before).toBe(1);
    await clock.advance(1000);
    enumerate();
    await clock.advance(0);
    expect(hub.count('response', '10.0.0.1') - before).toBe(2);
  });

  it('ignores hostile answers and logs them; a party with a bad TXT is not listed', async () => {
    setup();
    const browser = instance('10.0.0.2');
    const bad = advertPacket({ summary: summary(), hostName: 'x.local', addresses: [] });
    bad.additionals![1]!.data = [Buffer.from('txtvers=1'), Buffer.from('party_id=other')];
    hub.inject('10.0.0.66', bad);
    hub.inject('10.0.0.66', { type: 'response', answers: [{ name: 5, type: 'PTR' } as never] });
    await clock.advance(0);
    expect(browser.lan.parties()).toEqual([]);
    // Someone else's packets: warnings, not faults of this app.
    expect(browser.log.messages('warn')).not.toEqual([]);
    expect(browser.log.messages('error')).toEqual([]);
  });

  it('a party announced from 0.0.0.0 (its host lost its address) is not listed there', async () => {
    setup();
    const browser = instance('10.0.0.2');
    const host = instance('10.0.0.1');
    host.lan.advertise(summary());
    await clock.advance(100);
    host.transport.crash();
    const addressless = instance('0.0.0.0');
    addressless.lan.advertise(summary());
    await clock.advance(30_000);
    // Listed there, the guests dialled 0.0.0.0 (their own PC), were refused and left.
    expect(browser.lan.parties()).toEqual([]);
    expect(browser.log.messages('warn')).toContain(
      'LAN discovery: ignored: ["a response from 0.0.0.0"]',
    );
  });

  it('a flood of malformed announcements is logged once, then counted every 10 s', async () => {
    setup();
    const browser = instance('10.0.0.2');
    await clock.advance(100);
    const bad = advertPacket({ summary: summary(), hostName: 'x.local', addresses: [] });
    bad.additionals![1]!.data = [Buffer.from('txtvers=9')];
    for (let i = 0; i < 500; i++) hub.inject('10.0.0.66', bad);
    await clock.advance(0);
    const ignored = () => browser.log.messages('warn').filter((m) => m.includes('ignored'));
    expect(ignored()).toHaveLength(1);
    await clock.advance(10_000);
    expect(ignored()).toHaveLength(2);
    expect(ignored()[1]).toBe(
      'LAN discovery: ignored (499 more in 10 s): {"10.0.0.66: unknown txtvers":499}',
    );
  });

  it('close() stops every timer', async () => {
    setup();
    const host = instance('10.0.0.1');
    host.lan.advertise(summary());
    await clock.advance(100);
    await host.lan.close();
    open.splice(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
