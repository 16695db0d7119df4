/**
 * A LAN party joined at the address its invite link named (a network dropping mDNS), after
 * the guest left it: looked for at that address (pinned TLS, bounded) and listed under
 * "Parties nearby" while its host answers there with its pin and still hosts it.
 */
import { createServer, type Server } from 'node:https';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { makeLanCertificate, type LanCertificate } from '../identity/lan-certificate';
import { DiscoveryFeed } from '../app-service/discovery-feed';
import { makePeer } from '../test-util/fixtures';
import { waitFor } from '../test-util/child-process';
import { ManualClock } from '../test-util/manual-clock';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { guestOnLan, lanHost, PARTY, rig, tapped, useLanRig, type Lan } from '../test-util/lan-rig';
import type { LocalControlPlane } from './control-plane';
import { EmbeddedServer } from '../hosting/embedded/embedded-server';
import { embeddedOptions } from '../test-util/embedded-options';

useLanRig();

/** The guest's LAN: its network drops mDNS, nothing is ever heard there. */
const silentLan = (): Lan => ({ url: 'wss://127.0.0.1:1/ws', gone: true, asked: () => {} });

const EVERY_MS = 7000;
const FOR_MS = 60_000;

/** "Parties nearby" as the app builds it from the guest's plane (no LAN heard). */
function nearbyOf(guest: LocalControlPlane) {
  const feed = new DiscoveryFeed({
    logger: new MemoryLogger(),
    emit: () => undefined,
    control: () => guest,
    myPartyId: () => guest.myPartyId,
    lan: null,
  });
  return () => feed.refresh();
}

/** A guest that joined PARTY at its link's address (through `network`) and then left it. */
async function guestWhoLeft(tls: LanCertificate, port: number, logger = new MemoryLogger()) {
  const clock = new ManualClock();
  const atWatch = { clock, everyMs: EVERY_MS, forMs: FOR_MS };
  const guest = await guestOnLan(silentLan(), { atWatch, logger });
  const at = [`127.0.0.1:${port}`];
  await guest.joinParty(PARTY, makePeer('pg'), { hostPin: tls.sha256, hostAt: at });
  await guest.leaveParty(PARTY, 'pg');
  return { guest, clock, nearby: nearbyOf(guest) };
}

/** Moves the watch's clock one look on, and waits for that look to be answered. */
async function oneLook(clock: ManualClock, answered: () => boolean): Promise<void> {
  await clock.advance(EVERY_MS);
  await waitFor(answered, 5000);
}

/**
 * A place showing `tls`'s certificate whose get_party answer breaks the summary's schema (a
 * name of 500 characters).
 */
async function brokenSummaryAt(
  tls: LanCertificate,
): Promise<{ port: number; asked: () => number }> {
  let asked = 0;
  const server: Server = createServer({ cert: tls.cert, key: tls.key });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws) =>
    ws.on('message', (data) => {
      const { request_id } = JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as {
        request_id: string;
      };
      asked++;
      const summary = { party_id: PARTY, name: 'x'.repeat(500), host_name: 'Pat', peer_count: 1 };
      const rest = { max_peers: 8, join_policy: 'open', visibility: 'public', locked: false };
      ws.send(JSON.stringify({ type: 'party_summary', request_id, ...summary, ...rest }));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rig.closers.push(() => new Promise((resolve) => server.close(resolve)));
  rig.closers.push(() => wss.close());
  return { port: (server.address() as { port: number }).port, asked: () => asked };
}

describe('a party left that was joined at its link’s address', () => {
  it('is listed under Parties nearby from that address while its host has it; then no more looks', async () => {
    const tls = makeLanCertificate(new Date());
    const server = await lanHost('host', false, tls);
    const network = await tapped(server.tls!.port);
    const { guest, clock, nearby } = await guestWhoLeft(tls, network.port);
    expect(await nearby()).toEqual([]);
    const before = network.accepted();
    await oneLook(clock, () => guest.nearbyAt().length === 1);
    // The handshake (hung up), then the pinned link asking get_party.
    expect(network.accepted()).toBe(before + 2);
    expect(await nearby()).toEqual([
      expect.objectContaining({
        party_id: PARTY,
        name: 'LAN',
        host_name: 'ph',
        peer_count: 1,
        where: 'lan',
        address: '127.0.0.1',
        host_pin: tls.sha256,
        at_address: true,
      }),
    ]);
    // Its join dialog shows the summary; its Join (the nearby pick's link: the pin alone)
    // finds it there and rejoins.
    expect(await guest.previewParty(PARTY, tls.sha256)).toMatchObject({
      name: 'LAN',
      host_name: 'ph',
      peer_count: 1,
    });
    await guest.joinParty(PARTY, makePeer('pg'), { hostPin: tls.sha256 });
    expect(guest.myPartyId).toBe(PARTY);
    expect(await nearby()).toEqual([]);
    await guest.leaveParty(PARTY, 'pg');
    await oneLook(clock, () => guest.nearbyAt().length === 1);

    // The host's app, restarted, no longer hosts that party: it answers with its pin, and
    // get_party says there is none. The row goes.
    await network.close();
    await server.close();
    const empty = await EmbeddedServer.start(
      embeddedOptions(`${rig.dir}/empty.json`, { host: '0.0.0.0', tls }),
    );
    rig.closers.push(() => empty.close());
    const there = await tapped(empty.tls!.port, network.port);
    await oneLook(clock, () => there.accepted() === 2 && guest.nearbyAt().length === 0);
    expect(await nearby()).toEqual([]);
    // Past the bound since it last answered, it is let go: no dial at all any more.
    await clock.advance(FOR_MS);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const dials = there.accepted();
    for (let i = 0; i < 5; i++) await clock.advance(EVERY_MS);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(there.accepted()).toBe(dials);
  });

  it('is never listed where another certificate answers, and nothing is sent there', async () => {
    const tls = makeLanCertificate(new Date());
    const server = await lanHost('host', false, tls);
    const network = await tapped(server.tls!.port);
    const { guest, clock, nearby } = await guestWhoLeft(tls, network.port);
    await server.close();
    // Another PC takes the address (its own certificate), hosting a party with the same id.
    const impostor = await lanHost('impostor');
    await network.close();
    const there = await tapped(impostor.tls!.port, network.port);
    await oneLook(clock, () => there.accepted() > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The handshake alone, hung up: no link is made to ask it anything.
    expect(there.accepted()).toBe(1);
    expect(guest.nearbyAt()).toEqual([]);
    expect(await nearby()).toEqual([]);
  });

  it('is not listed from a host whose summary breaks the schema, and the log says so', async () => {
    const tls = makeLanCertificate(new Date());
    const server = await lanHost('host', false, tls);
    const network = await tapped(server.tls!.port);
    const logger = new MemoryLogger();
    const { guest, clock, nearby } = await guestWhoLeft(tls, network.port, logger);
    await server.close();
    const broken = await brokenSummaryAt(tls);
    await network.close();
    await tapped(broken.port, network.port);
    await oneLook(clock, () => broken.asked() === 1);
    await oneLook(clock, () => broken.asked() === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(guest.nearbyAt()).toEqual([]);
    expect(await nearby()).toEqual([]);
    // Told once, however often the place answers so.
    expect(logger.messages('warn').filter((m) => m.includes('malformed'))).toHaveLength(1);
  });
});
