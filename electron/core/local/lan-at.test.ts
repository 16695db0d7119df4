/**
 * A LAN party joined by an invite link naming where its host answers (`at=`), by a guest whose
 * network lets no mDNS through: dialled over TLS there, taken only showing the link's pin, and
 * then as any LAN party found by mDNS (its pin kept, relinked at the same address after a cut).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeLanCertificate } from '../identity/lan-certificate';
import { embeddedOptions } from '../test-util/embedded-options';
import { freeTcpPort } from '../../../server/test-util/ports';
import { Config } from '../config/config';
import { makePeer } from '../test-util/fixtures';
import { localEnv } from '../test-util/local-plane';
import { waitFor } from '../test-util/child-process';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { WS_PATH } from '../../../shared/protocol/protocol';
import { guestOnLan, lanHost, PARTY, rig, tapped, useLanRig, type Lan } from '../test-util/lan-rig';
import { LocalControlPlane } from './control-plane';
import { EmbeddedServer } from '../hosting/embedded/embedded-server';
import { addressRank as lanRank } from '../hosting/lan-addresses';

useLanRig();

/** The guest's LAN, asked and never answering: its network drops mDNS. */
function silentLan(): Lan & { asks: () => number } {
  let asked = 0;
  return { url: 'wss://127.0.0.1:1/ws', gone: true, asked: () => asked++, asks: () => asked };
}

/** The types of the TLS records a client sent (0x17: application data, or 1.3's Finished). */
function recordTypes(bytes: Buffer): number[] {
  const types: number[] = [];
  for (let at = 0; at + 5 <= bytes.length; at += 5 + bytes.readUInt16BE(at + 3)) {
    types.push(bytes[at]!);
  }
  return types;
}

const inParty = (server: EmbeddedServer, peerId: string) =>
  server.hostedParties()[0]?.peers.has(peerId) === true;

/**
 * A guest that joined PARTY at its link's address, whose host then crashed: nothing answers
 * there (refused), its file as the crash left it. `restart` brings it back at that address
 * (as a host's app restarted takes its ports 8668/8669 again), with its certificate.
 */
async function guestOfACrashedHost() {
  const tls = makeLanCertificate(new Date());
  const first = await lanHost('host', false, tls);
  const network = await tapped(first.tls!.port);
  const hostPin = tls.sha256;
  const closed: string[] = [];
  const guest = await guestOnLan(silentLan());
  guest.subscribe((change) => {
    for (const event of change.kind === 'party' ? change.events : []) {
      if (event.type === 'party_closed') closed.push(event.reason);
    }
  });
  await guest.joinParty(PARTY, makePeer('pg'), { hostPin, hostAt: [`127.0.0.1:${network.port}`] });
  const file = `${rig.dir}/host.json`;
  await waitFor(() => readFileSync(file, 'utf8').includes('"pg"'), 3000);
  const left = readFileSync(file, 'utf8');
  const crashedAt = Date.now();
  await network.close();
  await first.close();
  writeFileSync(file, left);
  const restart = async (): Promise<EmbeddedServer> => {
    const back = await EmbeddedServer.start(embeddedOptions(file, { host: '0.0.0.0', tls }));
    rig.closers.push(() => back.close());
    await tapped(back.tls!.port, network.port);
    return back;
  };
  const home = `wss://127.0.0.1:${network.port}${WS_PATH}?pin=${hostPin}`;
  return { guest, closed, crashedAt, home, restart };
}

describe('a LAN party joined at the address its invite link names', () => {
  it('is joined there over TLS when mDNS hears nothing, without waiting it out', async () => {
    const server = await lanHost();
    const network = await tapped(server.tls!.port);
    const lan = silentLan();
    const guest = await guestOnLan(lan);
    const hostPin = server.tls!.sha256;
    const at = [`127.0.0.1:${network.port}`];
    const started = Date.now();
    await guest.joinParty(PARTY, makePeer('pg'), { hostPin, hostAt: at });
    // Asked for on the LAN meanwhile; joined as soon as the address showed the pin.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(lan.asks()).toBeGreaterThanOrEqual(1);
    expect(guest.linkUrl).toBe(`wss://127.0.0.1:${network.port}${WS_PATH}?pin=${hostPin}`);
    expect(inParty(server, 'pg')).toBe(true);
    expect(guest.status()).toMatchObject({ hostPin, hostAddress: '127.0.0.1' });
    // Its own link names no loopback address (a friend's would be theirs):
    // hosting/lan-addresses.test.ts.
    expect(guest.status().hostAt).toBeUndefined();
    expect(guest.status().plainLink).not.toBe(true);
    // The probe (a handshake, hung up), then the link: the join went over it, encrypted.
    expect(network.accepted()).toBe(2);
    expect(recordTypes(network.sent()).filter((type) => type === 0x17).length).toBeGreaterThan(2);
    expect(network.sent().includes('join_party')).toBe(false);
    // Its link opened again: nothing a stranger may see was announced (no host name, which the
    // join dialog's contract needs), so nothing is shown, not a summary naming no host.
    expect(await guest.previewParty(PARTY, hostPin)).toBeNull();
    // Cut, it is linked again at the same address (no LAN announcement to find it by).
    network.cut();
    await waitFor(() => network.accepted() === 3 && guest.linkUp, 10_000);
    expect(guest.linkUrl).toBe(`wss://127.0.0.1:${network.port}${WS_PATH}?pin=${hostPin}`);
    expect(guest.myPartyId).toBe(PARTY);
  });

  it('is linked at that address again when the guest’s app restarts, mDNS still silent', async () => {
    const server = await lanHost();
    const network = await tapped(server.tls!.port);
    const hostPin = server.tls!.sha256;
    const first = await guestOnLan(silentLan());
    // A dead address first: the first to show the pin is taken, not the first listed.
    const hostAt = [`127.0.0.1:${await freeTcpPort()}`, `127.0.0.1:${network.port}`];
    await first.joinParty(PARTY, makePeer('pg'), { hostPin, hostAt });
    const home = `wss://127.0.0.1:${network.port}${WS_PATH}?pin=${hostPin}`;
    expect(first.linkUrl).toBe(home);
    await waitFor(() => first.myPartyId === PARTY, 3000);
    await first.close();
    const accepted = network.accepted();
    const back = await guestOnLan(silentLan());
    await waitFor(() => back.linkUp && back.linkUrl === home, 10_000);
    expect(network.accepted()).toBe(accepted + 1);
    expect(back.parties.get(PARTY)?.peers.has('pg')).toBe(true);
    expect(back.status().hostPin).toBe(hostPin);
  });

  it('names where its host answers in the guest’s own link, its link to the host up or down', async () => {
    const server = await lanHost();
    const network = await tapped(server.tls!.port);
    const hostPin = server.tls!.sha256;
    // A LAN at 127.0.0.1 (loopback is never named otherwise: lan-addresses.test.ts).
    const addressRank = (address: string) => (address === '127.0.0.1' ? 0 : lanRank(address));
    const guest = await guestOnLan(silentLan(), { addressRank, connectTimeoutMs: 1000 });
    const at = `127.0.0.1:${network.port}`;
    await guest.joinParty(PARTY, makePeer('pg'), { hostPin, hostAt: [at] });
    expect(guest.status()).toMatchObject({ hostPin, hostAt: [at] });
    // Its link cut, and the relinks unanswered (taken and never answered): still named.
    network.hang();
    await waitFor(() => !guest.linkUp, 5000);
    expect(guest.status()).toMatchObject({ hostPin, hostAt: [at] });
    expect(guest.myPartyId).toBe(PARTY);
  });

  it('names where its host was announced in the guest’s own link while that link is down', async () => {
    const server = await lanHost();
    const network = await tapped(server.tls!.port);
    const hostPin = server.tls!.sha256;
    const announced = `wss://127.0.0.1:${network.port}${WS_PATH}?pin=${hostPin}`;
    const addressRank = (address: string) => (address === '127.0.0.1' ? 0 : lanRank(address));
    const guest = await guestOnLan({ url: announced }, { addressRank, connectTimeoutMs: 1000 });
    await guest.joinParty(PARTY, makePeer('pg'), { hostPin });
    const at = [`127.0.0.1:${network.port}`];
    expect(guest.status()).toMatchObject({ hostPin, hostAt: at });
    network.hang();
    await waitFor(() => !guest.linkUp, 5000);
    expect(guest.status()).toMatchObject({ hostPin, hostAt: at });
  });

  it('its host crashed and back at the same address within the relinks, is linked there again', async () => {
    const { guest, closed, home, restart } = await guestOfACrashedHost();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const back = await restart();
    await waitFor(() => guest.linkUp || closed.length > 0, 10_000);
    expect([guest.linkUrl, guest.myPartyId, closed]).toEqual([home, PARTY, []]);
    expect(inParty(back, 'pg')).toBe(true);
  });

  it('its host crashed and not back, ends as the host left after the relinks (about 5 s)', async () => {
    const { guest, closed, crashedAt } = await guestOfACrashedHost();
    await waitFor(() => closed.length > 0, 10_000);
    // Ten refused tries, 0.5 s apart: "The host left", its address forgotten.
    expect(Date.now() - crashedAt).toBeGreaterThan(4000);
    expect(closed).toEqual(['host_left']);
    expect([guest.myPartyId, guest.status().hostAt]).toEqual([null, undefined]);
  });

  it('is refused where another certificate answers, nothing sent there but the handshake', async () => {
    const server = await lanHost();
    const impostor = await lanHost('impostor');
    const relay = await tapped(impostor.tls!.port);
    const refused = await freeTcpPort();
    const guest = await guestOnLan(silentLan());
    const hostAt = [`127.0.0.1:${relay.port}`, `127.0.0.1:${refused}`];
    const join = guest.joinParty(PARTY, makePeer('pg'), { hostPin: server.tls!.sha256, hostAt });
    await expect(join).rejects.toMatchObject({
      code: 'not_found',
      message:
        `Party ${PARTY} was neither found on your network nor reachable at ` +
        `127.0.0.1:${relay.port} (another certificate than the host's your link names), ` +
        `127.0.0.1:${refused} (no answer). Its host's LANrage may be closed, or its PC on ` +
        'another network, or a firewall there keeps you out: ask the host.',
    });
    // One handshake (ended by its Finished, the one encrypted record), then hung up.
    expect(relay.accepted()).toBe(1);
    expect(recordTypes(relay.sent()).filter((type) => type === 0x17).length).toBeLessThanOrEqual(1);
    expect([inParty(impostor, 'pg'), inParty(server, 'pg')]).toEqual([false, false]);
    expect(guest.parties.has(PARTY)).toBe(false);
    expect(guest.linkUp).toBe(false);
  });

  it('heard on the LAN too, is joined where it is announced, the link’s address unused', async () => {
    const server = await lanHost();
    const network = await tapped(server.tls!.port);
    const hostPin = server.tls!.sha256;
    const announced = `wss://127.0.0.1:${server.tls!.port}${WS_PATH}?pin=${hostPin}&plain=${server.port}`;
    const guest = await guestOnLan({ url: announced });
    await guest.joinParty(PARTY, makePeer('pg'), {
      hostPin,
      hostAt: [`127.0.0.1:${network.port}`],
    });
    expect([guest.linkUrl, network.accepted()]).toEqual([announced, 0]);
  });

  it('hosted here, names this PC’s LAN addresses at its TLS port, only beside the pin', async () => {
    for (const listen of ['1', '0']) {
      const env = { ...localEnv(rig.dir, `host${listen}`), LANRAGE_LAN_LISTEN: listen };
      const hostAddresses = (port: number) => [`10.0.0.5:${port}`, `192.168.1.20:${port}`];
      const options = { logger: new MemoryLogger(), hostAddresses };
      const p = new LocalControlPlane(Config.load({ env }), options);
      rig.closers.push(() => p.close());
      await p.initialize();
      await p.registerParty(`party_at_${listen}`, 'At', makePeer(`h${listen}`));
      const port = p.hosting.server?.tls?.port;
      const expected = port === undefined ? undefined : hostAddresses(port);
      expect([listen, p.status().hostAt]).toEqual([listen, expected]);
    }
  });

  it('hosted here, follows this PC’s addresses as they change (a new DHCP lease)', async () => {
    let lease = '10.0.0.5';
    const hostAddresses = (port: number) => [`${lease}:${port}`];
    const options = { logger: new MemoryLogger(), hostAddresses };
    const env = { ...localEnv(rig.dir, 'dhcp'), LANRAGE_LAN_LISTEN: '1' };
    const p = new LocalControlPlane(Config.load({ env }), options);
    rig.closers.push(() => p.close());
    await p.initialize();
    await p.registerParty('party_at_dhcp', 'At', makePeer('hd'));
    const port = p.hosting.server!.tls!.port;
    expect(p.status().hostAt).toEqual([`10.0.0.5:${port}`]);
    lease = '10.0.0.105';
    // Checked with the PC's network, every 2 s.
    await waitFor(() => p.status().hostAt?.[0] === `10.0.0.105:${port}`, 5000);
  });
});
