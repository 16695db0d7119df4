/**
 * What the app's engine makes of a LAN host's TLS: a link that had to fall back to the
 * host's plain port is said in the status (the window shows it), and cleared with the link;
 * once a host served our party over TLS, it is not dialled in plain again, and the party
 * announced with another certificate is not taken for it (host-pins.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../shared/clock';
import { silentLogger } from '../../../shared/logger';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { PartyInfo } from '../../../shared/model';
import { WS_PATH } from '../../../shared/protocol';
import { freeTcpPort } from '../../../server/test-util/ports';
import { Config } from '../config/config';
import { newIdentitySeed, signerFromSeed, type IdentitySigner } from '../identity/identity-key';
import { makeLanCertificate } from '../identity/lan-certificate';
import type { Report } from '../notices';
import { WsClient } from '../remote/ws-client';
import { embeddedOptions } from '../test-util/embedded-options';
import { makePeer } from '../test-util/fixtures';
import { localEnv } from '../test-util/local-plane';
import { peerDict } from '../test-util/scripted-server';
import { tcpTap, type TcpTap } from '../test-util/tcp-tap';
import { makeTempDir } from '../test-util/temp-dir';
import { waitFor } from '../test-util/child-process';
import { LocalControlPlane } from './control-plane';
import { EmbeddedServer } from './embedded-server';

const PARTY = 'party_lan_link_01';
let temp: ReturnType<typeof makeTempDir>;
const closers: (() => unknown)[] = [];

beforeEach(() => {
  temp = makeTempDir('lanrage-lan-link-');
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  temp.cleanup();
});

/**
 * A LAN host's embedded server (TLS beside plain ws, unless `plainOnly`) holding PARTY,
 * hosted by `ph`.
 */
async function lanHost(name = 'host', plainOnly = false): Promise<EmbeddedServer> {
  const tls = makeLanCertificate(new Date());
  const file = `${temp.dir}/${name}.json`;
  const where = plainOnly ? { host: '127.0.0.1' } : { host: '0.0.0.0', tls };
  const server = await EmbeddedServer.start(embeddedOptions(file, where));
  closers.push(() => server.close());
  const host = await WsClient.connect(server.url, {
    clock: systemClock,
    logger: silentLogger,
    connectTimeoutMs: 3000,
    requestTimeoutMs: 5000,
    onPush: () => {},
    onClose: () => {},
  });
  closers.push(() => host.close());
  await host.request({ type: 'hello', version: '1.2', client: 'lanrage' });
  const host_peer = peerDict('ph');
  await host.request({ type: 'register_party', party_id: PARTY, name: 'LAN', host_peer });
  return server;
}

/** The URL the LAN bridge makes of the host's announcement, its TLS port given. */
function pinnedUrl(server: EmbeddedServer, tlsPort = server.tls!.port, plain = server.port) {
  const query = `pin=${server.tls!.sha256}&plain=${plain}`;
  return `wss://127.0.0.1:${tlsPort}${WS_PATH}?${query}`;
}

/** A relay in front of `port`, closed after the test. */
async function tapped(port: number): Promise<TcpTap> {
  const tap = await tcpTap(port);
  closers.push(() => tap.close());
  return tap;
}

/**
 * Our app without a server, finding PARTY on the LAN where `lan.url` says (as mDNS would
 * have it; the test may change it).
 */
async function guestOnLan(
  lan: Lan,
  options: { logger?: MemoryLogger; identity?: IdentitySigner; report?: Report } = {},
) {
  const config = Config.load({ env: localEnv(temp.dir, 'guest') });
  const logger = options.logger ?? new MemoryLogger();
  const p = new LocalControlPlane(config, { saveDelayMs: 5, ...options, logger });
  closers.push(() => p.close());
  await p.initialize();
  const fields = { partyId: PARTY, name: 'LAN', hostId: '', createdAt: new Date(0) };
  const party = new PartyInfo({ ...fields, peers: new Map() });
  const at = (controlUrl: string) => ({ party, controlUrl, hostPid: 0, hostInstance: controlUrl });
  const onChange = (listener: () => void) => {
    lan.announce = listener;
    return () => undefined;
  };
  // Claimed from elsewhere too, it is listed nowhere (rival-claims.test.ts), only claimed.
  const hosts = () => new Map(lan.rivals?.length ? [] : [[PARTY, at(lan.url)]]);
  const claims = (id: string) => (id === PARTY ? [lan.url, ...(lan.rivals ?? [])].map(at) : []);
  p.hosting.addSource({ hosts, claims, onChange });
  return p;
}

/**
 * Where PARTY is announced, and by whom else (`rivals`); `announce` tells the guest it
 * changed (set by guestOnLan).
 */
interface Lan {
  url: string;
  rivals?: string[];
  announce?: () => void;
}

describe("the link to a LAN party's host", () => {
  it('over its TLS port is not said to be plain; its address is said while it lasts', async () => {
    const server = await lanHost();
    const guest = await guestOnLan({ url: pinnedUrl(server) });
    await guest.joinParty(PARTY, makePeer('pg'));
    expect(guest.status().plainLink).not.toBe(true);
    expect(guest.status().hostAddress).toBe('127.0.0.1');
    await server.close();
    await waitFor(() => guest.status().hostAddress === undefined, 5000);
  });

  it('fallen back to its plain port is said so while it lasts', async () => {
    const server = await lanHost();
    const network = await tapped(server.port);
    const guest = await guestOnLan({ url: pinnedUrl(server, await freeTcpPort(), network.port) });
    await guest.joinParty(PARTY, makePeer('pg'));
    expect(guest.status().plainLink).toBe(true);
    // No pin was kept from a plain link: the next one may be plain too.
    network.cut();
    await waitFor(() => network.accepted() === 2 && guest.linkUp, 10_000);
    expect(guest.status().plainLink).toBe(true);
    await server.close();
    await waitFor(() => guest.status().plainLink === false, 5000);
  });

  it('fallen back to its plain port is what its identity proof names', async () => {
    // A host that serves no TLS takes no proof for a TLS origin: the proof must name the port
    // the link went to (before, such a join was refused as a proof made for another server).
    const server = await lanHost('plain', true);
    const url = `wss://127.0.0.1:${await freeTcpPort()}${WS_PATH}?pin=${'A'.repeat(43)}`;
    const identity = signerFromSeed(newIdentitySeed())!;
    const guest = await guestOnLan({ url: `${url}&plain=${server.port}` }, { identity });
    await guest.joinParty(PARTY, makePeer('pg'));
    expect(guest.status().plainLink).toBe(true);
  });

  it("is made again over TLS when the guest's app restarts, and its pin kept", async () => {
    const server = await lanHost();
    const network = await tapped(server.tls!.port);
    const lan = { url: pinnedUrl(server, network.port) };
    const first = await guestOnLan(lan);
    await first.joinParty(PARTY, makePeer('pg'));
    await waitFor(() => first.parties.has(PARTY) && first.myPartyId === PARTY, 3000);
    await first.close();
    const back = await guestOnLan(lan);
    await waitFor(() => back.linkUp && network.accepted() === 2, 10_000);
    expect(back.linkUrl).toBe(lan.url);
    expect(back.status().plainLink).not.toBe(true);
    // Its host's pin is known again: a plain fallback is not taken from here on.
    await network.close();
    await waitFor(() => back.parties.size === 0, 15_000);
    expect(back.status().plainLink).not.toBe(true);
  });

  it('is trusted after a restart only with the certificate its host showed before', async () => {
    const server = await lanHost();
    const network = await tapped(server.tls!.port);
    const lan: Lan = { url: pinnedUrl(server, network.port) };
    const first = await guestOnLan(lan);
    await first.joinParty(PARTY, makePeer('pg'));
    await waitFor(() => first.parties.has(PARTY) && first.myPartyId === PARTY, 3000);
    await first.close();
    // Back before its host is announced again: another PC announces the party first.
    const home = lan.url;
    const impostor = await lanHost('impostor');
    const impostorSeen = await tapped(impostor.tls!.port);
    lan.url = pinnedUrl(impostor, impostorSeen.port);
    const logger = new MemoryLogger();
    const told: string[] = [];
    const back = await guestOnLan(lan, { logger, report: (message) => told.push(message) });
    lan.announce?.();
    await waitFor(() => logger.messages('warn').some((line) => /not its host/.test(line)), 5000);
    expect(impostorSeen.accepted()).toBe(0);
    expect(back.linkUp).toBe(false);
    expect(told).toEqual([
      "Another PC on your network (127.0.0.1) announced LAN with a certificate other than its host's. LANrage stays with the PC you joined.",
    ]);
    // Its host announced again: linked there, in the party it was in.
    lan.url = home;
    lan.announce?.();
    await waitFor(() => back.linkUp && back.linkUrl === home, 10_000);
    expect(back.parties.get(PARTY)?.peers.has('pg')).toBe(true);
    expect(impostorSeen.accepted()).toBe(0);
  });

  it('joined from a link naming its host’s certificate, is that host or none', async () => {
    const server = await lanHost();
    const hostPin = server.tls!.sha256;
    const impostor = await lanHost('impostor');
    const impostorSeen = await tapped(impostor.tls!.port);
    const lan: Lan = { url: pinnedUrl(impostor, impostorSeen.port) };
    const guest = await guestOnLan(lan);
    await expect(guest.joinParty(PARTY, makePeer('pg'), { hostPin })).rejects.toThrow(
      'The party is announced on your network by a PC (127.0.0.1) that is not the host your ' +
        'invite link names, so LANrage did not join it.',
    );
    expect(impostorSeen.accepted()).toBe(0);
    // Its host announced, its TLS port not answering: not joined in plain either.
    const plain = await tapped(server.port);
    lan.url = pinnedUrl(server, await freeTcpPort(), plain.port);
    await expect(guest.joinParty(PARTY, makePeer('pg'), { hostPin })).rejects.toThrow();
    expect(plain.accepted()).toBe(0);
    expect(guest.parties.has(PARTY)).toBe(false);
    lan.url = pinnedUrl(server);
    await guest.joinParty(PARTY, makePeer('pg'), { hostPin });
    expect(guest.status().hostPin).toBe(hostPin);
    expect(guest.status().plainLink).not.toBe(true);
  });

  it('hosted here with the LAN listening, gives its certificate’s pin to invite links', async () => {
    for (const listen of ['1', '0']) {
      const env = { ...localEnv(temp.dir, `host${listen}`), LANRAGE_LAN_LISTEN: listen };
      const p = new LocalControlPlane(Config.load({ env }), { logger: new MemoryLogger() });
      closers.push(() => p.close());
      await p.initialize();
      await p.registerParty(`party_pin_${listen}`, 'Pinned', makePeer(`h${listen}`));
      const tls = p.hosting.server?.tls ?? undefined;
      expect(tls === undefined).toBe(listen === '0');
      expect(p.status().hostPin).toBe(tls?.sha256);
    }
  });

  it('announced by another PC too, is found by the pin its invite names, or its guest kept', async () => {
    const server = await lanHost();
    const network = await tapped(server.tls!.port);
    const impostor = await lanHost('impostor');
    const impostorSeen = await tapped(impostor.tls!.port);
    const home = pinnedUrl(server, network.port);
    const lan: Lan = { url: pinnedUrl(impostor, impostorSeen.port), rivals: [home] };
    const guest = await guestOnLan(lan);
    // Listed nowhere while contested: by its ID alone it is not found.
    await expect(guest.joinParty(PARTY, makePeer('pg'))).rejects.toThrow('Party not found');
    await guest.joinParty(PARTY, makePeer('pg'), { hostPin: server.tls!.sha256 });
    expect(guest.linkUrl).toBe(home);
    // Its link cut, the guest finds its host among the claims again by the pin it kept.
    network.cut();
    await waitFor(() => network.accepted() === 2 && guest.linkUp, 10_000);
    expect(guest.linkUrl).toBe(home);
    expect(guest.parties.has(PARTY)).toBe(true);
    expect(impostorSeen.accepted()).toBe(0);
  });

  it('that served TLS is not dialled in plain when its TLS port stops answering', async () => {
    const server = await lanHost();
    const firewall = await tapped(server.tls!.port);
    const logger = new MemoryLogger();
    const told = new Set<string>();
    const report = (message: string) => void told.add(message);
    const guest = await guestOnLan({ url: pinnedUrl(server, firewall.port) }, { logger, report });
    await guest.joinParty(PARTY, makePeer('pg'));
    await firewall.close();
    // Its retries over, the party ends as a host that left, never linked in plain.
    await waitFor(() => guest.parties.size === 0, 15_000);
    expect(guest.status().plainLink).not.toBe(true);
    expect(logger.messages('warn')).toContainEqual(
      expect.stringMatching(
        /ECONNREFUSED.*; not trying ws:\/\/127\.0\.0\.1:\d+\/ws: it served TLS$/,
      ),
    );
    expect([...told]).toEqual([
      'The host of LAN stopped answering on its encrypted port, and LANrage does not reach it ' +
        'unencrypted instead: its firewall may have changed, or something on your network blocks it.',
    ]);
  });

  it('is kept when the party is announced elsewhere with another certificate', async () => {
    const server = await lanHost();
    const network = await tapped(server.tls!.port);
    const lan = { url: pinnedUrl(server, network.port) };
    const logger = new MemoryLogger();
    const told: string[] = [];
    const guest = await guestOnLan(lan, { logger, report: (message) => told.push(message) });
    await guest.joinParty(PARTY, makePeer('pg'));
    const home = lan.url;
    const impostor = await lanHost('impostor');
    const impostorSeen = await tapped(impostor.tls!.port);
    lan.url = pinnedUrl(impostor, impostorSeen.port);
    network.cut();
    await waitFor(() => network.accepted() === 2 && guest.linkUp, 10_000);
    expect(guest.linkUrl).toBe(home);
    expect(guest.parties.has(PARTY)).toBe(true);
    expect(impostorSeen.sent().length).toBe(0);
    expect(logger.messages('warn')).toContainEqual(
      `${PARTY} is announced at wss://127.0.0.1:${impostorSeen.port}/ws with another certificate: not its host`,
    );
    expect(told).toEqual([
      "Another PC on your network (127.0.0.1) announced LAN with a certificate other than its host's. LANrage stays with the PC you joined.",
    ]);
  });

  it('is taken from the announcement again once the party is left and joined anew', async () => {
    const server = await lanHost();
    const lan = { url: pinnedUrl(server) };
    const logger = new MemoryLogger();
    const guest = await guestOnLan(lan, { logger });
    await guest.joinParty(PARTY, makePeer('pg'));
    await guest.leaveParty(PARTY, 'pg');
    // Its host's keys/ reset, say: another certificate, same party.
    const again = await lanHost('again');
    const network = await tapped(again.tls!.port);
    lan.url = pinnedUrl(again, network.port);
    await guest.joinParty(PARTY, makePeer('pg'));
    network.cut();
    await waitFor(() => network.accepted() === 2 && guest.linkUp, 10_000);
    expect(guest.linkUrl).toBe(lan.url);
    expect(logger.messages('warn').filter((line) => /not its host/.test(line))).toEqual([]);
  });
});
