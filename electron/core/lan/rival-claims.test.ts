/**
 * Discovery is not authentication, but a party's id is what a friend gives you: a stranger
 * announcing the same party id at its own address must not become where "Parties nearby"
 * sends you (your join, with the party's password, went to it), and its goodbye must not
 * take the real party off everyone's list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../test-util/manual-clock';
import { MemoryMdnsHub } from '../test-util/memory-mdns';
import { advertPacket, goodbyePacket, RECORD_TTL_S } from './dns-sd-records';
import { LanDiscovery } from './discovery';
import { lanSummary } from '../test-util/lan-summary';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';

const summary = lanSummary;
const ATTACKER = '10.0.0.66';
/** The hostile copy: same party id and summary, its own address (the packet's source). */
const rival = (ttl?: number) =>
  advertPacket({ summary: summary(), hostName: 'evil.local', addresses: [ATTACKER] }, ttl);

let clock: ManualClock;
let hub: MemoryMdnsHub;
const open: LanDiscovery[] = [];
afterEach(async () => {
  for (const lan of open.splice(0)) await lan.close();
});

function instance(address: string) {
  const log = new MemoryLogger();
  const lan = new LanDiscovery({
    transport: hub.transport(address),
    clock,
    hostName: `h-${address}.local`,
    logger: log,
  });
  open.push(lan);
  lan.start();
  return { lan, log };
}

/** A host at 10.0.0.1 advertising the party, a browser at 10.0.0.2 that listed it. */
async function listed() {
  clock = new ManualClock();
  hub = new MemoryMdnsHub();
  const host = instance('10.0.0.1');
  const browser = instance('10.0.0.2');
  host.lan.advertise(summary());
  await clock.advance(0);
  expect(browser.lan.parties().map((p) => p.address)).toEqual(['10.0.0.1']);
  return { host, browser };
}

const addresses = (lan: LanDiscovery) => lan.parties().map((p) => p.address);

describe('a stranger claiming a listed party’s id', () => {
  it('is never where the party is listed or joined', async () => {
    const { browser } = await listed();
    for (let i = 0; i < 3; i++) {
      hub.inject(ATTACKER, rival());
      await clock.advance(0);
      expect(addresses(browser.lan)).not.toContain(ATTACKER);
      await clock.advance(1000);
    }
  });

  it('while two addresses claim it, it is listed at neither, and the log says so', async () => {
    const { browser } = await listed();
    hub.inject(ATTACKER, rival());
    await clock.advance(0);
    expect(browser.lan.parties()).toEqual([]);
    expect(browser.log.messages('warn')).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^LAN discovery: a party announced from two addresses is not listed: .*${ATTACKER}`,
        ),
      ),
    );
    // The stranger gives up; the real host goes on answering: listed again at its address.
    await clock.advance((RECORD_TTL_S + 1) * 1000);
    expect(addresses(browser.lan)).toEqual(['10.0.0.1']);
  });

  it('while contested, it is among the contested parties, as first heard, until one lapses', async () => {
    const { browser } = await listed();
    expect(browser.lan.contestedParties()).toEqual([]);
    hub.inject(ATTACKER, rival());
    await clock.advance(0);
    expect(browser.lan.contestedParties().map((p) => [p.summary.party_id, p.address])).toEqual([
      ['party_abc123', '10.0.0.1'],
    ]);
    await clock.advance((RECORD_TTL_S + 1) * 1000);
    expect(browser.lan.contestedParties()).toEqual([]);
    expect(addresses(browser.lan)).toEqual(['10.0.0.1']);
  });

  it('the host hears who else announces its party: never itself, nor for a party it does not host', async () => {
    const { host, browser } = await listed();
    expect(host.lan.rivalsOf('party_abc123')).toEqual([]);
    hub.inject(ATTACKER, rival());
    await clock.advance(0);
    expect(host.lan.rivalsOf('party_abc123')).toEqual([ATTACKER]);
    // The browser hears the same claims, but announces no such party.
    expect(browser.lan.rivalsOf('party_abc123')).toEqual([]);
    host.lan.withdraw('party_abc123');
    expect(host.lan.rivalsOf('party_abc123')).toEqual([]);
  });

  it('its own claim is no rival when its address has gone (its cable out)', async () => {
    clock = new ManualClock();
    hub = new MemoryMdnsHub();
    const transport = hub.transport('10.0.0.1');
    let up = true;
    const host = new LanDiscovery({
      transport: { ...transport, addresses: () => (up ? ['10.0.0.1'] : []) },
      clock,
      hostName: 'h.local',
    });
    open.push(host);
    host.start();
    host.advertise(summary());
    await clock.advance(0);
    // Its own announcement, heard back, is still cached: it told its host "Another PC on
    // your network (10.0.0.1) also announces your party" when the interface went down.
    up = false;
    expect(host.rivalsOf('party_abc123')).toEqual([]);
  });

  it('while contested, both claims can still be told apart by what they announced', async () => {
    const { browser } = await listed();
    const forged = { ...summary(), tls_port: 8669, tls_sha256: 'A'.repeat(43) };
    hub.inject(
      ATTACKER,
      advertPacket({ summary: forged, hostName: 'evil.local', addresses: [ATTACKER] }),
    );
    await clock.advance(0);
    expect(browser.lan.parties()).toEqual([]);
    const claims = browser.lan.claims(summary().party_id);
    expect(claims.map((c) => [c.address, c.summary.tls_sha256])).toEqual([
      ['10.0.0.1', summary().tls_sha256],
      [ATTACKER, 'A'.repeat(43)],
    ]);
    expect(browser.lan.claims('party_other')).toEqual([]);
  });

  it('cannot take it off the list with a goodbye', async () => {
    const { browser } = await listed();
    hub.inject(ATTACKER, goodbyePacket({ summary: summary(), hostName: 'x', addresses: [] }));
    await clock.advance(0);
    expect(addresses(browser.lan)).toEqual(['10.0.0.1']);
  });

  it('the host’s own goodbye still removes it at once', async () => {
    const { host, browser } = await listed();
    host.lan.withdraw('party_abc123');
    await clock.advance(0);
    expect(browser.lan.parties()).toEqual([]);
  });

  it('a browser that hears the stranger first lists the party once the host answers too', async () => {
    clock = new ManualClock();
    hub = new MemoryMdnsHub();
    const browser = instance('10.0.0.2');
    hub.inject(ATTACKER, rival());
    await clock.advance(0);
    expect(addresses(browser.lan)).toEqual([ATTACKER]); // nobody else claims it (yet)
    instance('10.0.0.1').lan.advertise(summary());
    await clock.advance(0);
    expect(browser.lan.parties()).toEqual([]);
  });

  it('a browser that heard the stranger first never lists it while the host still answers', async () => {
    clock = new ManualClock();
    hub = new MemoryMdnsHub();
    const browser = instance('10.0.0.2');
    hub.inject(ATTACKER, rival());
    await clock.advance(0);
    instance('10.0.0.1').lan.advertise(summary());
    // The stranger repeats itself every second; the host speaks only when asked. The host's
    // claim must be asked about before it lapses, or the stranger is listed alone again.
    for (let second = 0; second < 180; second++) {
      hub.inject(ATTACKER, rival());
      await clock.advance(1000);
      expect(addresses(browser.lan), `after ${second + 1} s`).not.toContain(ATTACKER);
    }
  });

  it('a stranger heard first cannot pass the host off as its own other address', async () => {
    clock = new ManualClock();
    hub = new MemoryMdnsHub();
    const browser = instance('10.0.0.2');
    // A host on two networks names both addresses in its A records; the stranger names
    // the real host's too, so the host's claim would pass for its own second interface.
    const addresses = [ATTACKER, '10.0.0.1'];
    hub.inject(ATTACKER, advertPacket({ summary: summary(), hostName: 'evil.local', addresses }));
    await clock.advance(0);
    instance('10.0.0.1').lan.advertise(summary());
    await clock.advance(0);
    expect(browser.lan.parties()).toEqual([]);
  });
});
