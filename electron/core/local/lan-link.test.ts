/**
 * What the app's engine makes of a LAN host's TLS: a link that had to fall back to the
 * host's plain port is said in the status (the window shows it), and cleared with the link;
 * once a host served our party over TLS, it is not dialled in plain again, and the party
 * announced with another certificate is not taken for it (host-pins.ts).
 */
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { freeTcpPort } from '../../../server/test-util/ports';
import { newIdentitySeed, signerFromSeed } from '../identity/identity-key';
import { makePeer } from '../test-util/fixtures';
import { waitFor } from '../test-util/child-process';
import { WS_PATH } from '../../../shared/protocol/protocol';
import {
  guestOnLan,
  lanHost,
  PARTY,
  pinnedUrl,
  tapped,
  useLanRig,
  type Lan,
} from '../test-util/lan-rig';

useLanRig();

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

  it('to a party not heard yet is made once the network, asked, answers', async () => {
    const server = await lanHost();
    // Its announcements went by before this app listened (a pasted link, a PC just woken):
    // a browse query is answered.
    const lan: Lan = { url: pinnedUrl(server), gone: true };
    lan.asked = () =>
      setTimeout(() => {
        lan.gone = false;
        lan.announce?.();
      }, 200);
    const guest = await guestOnLan(lan);
    await guest.joinParty(PARTY, makePeer('pg'));
    expect(guest.myPartyId).toBe(PARTY);
  });

  it('to a party the network never answers for is refused as not found after a few seconds', async () => {
    const server = await lanHost();
    let asked = 0;
    const lan: Lan = { url: pinnedUrl(server), gone: true, asked: () => asked++ };
    const guest = await guestOnLan(lan);
    const started = Date.now();
    await expect(guest.joinParty(PARTY, makePeer('pg'))).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(asked).toBeGreaterThanOrEqual(3);
  });

  it('lost while the host is away still names the host’s certificate, for invite links', async () => {
    const server = await lanHost();
    const network = await tapped(server.tls!.port);
    const guest = await guestOnLan({ url: pinnedUrl(server, network.port) });
    await guest.joinParty(PARTY, makePeer('pg'));
    await waitFor(() => guest.status().hostPin === server.tls!.sha256, 3000);
    // Unreachable now (its PC away): the guest tries again for a few seconds, still in it.
    await network.close();
    await waitFor(() => !guest.linkUp, 5000);
    expect(guest.myPartyId).toBe(PARTY);
    expect(guest.status().hostPin).toBe(server.tls!.sha256);
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

  it('that served TLS is not dialled in plain when its TLS port refuses, nor a firewall blamed', async () => {
    const server = await lanHost();
    const crashed = await tapped(server.tls!.port);
    const logger = new MemoryLogger();
    const told = new Set<string>();
    const report = (message: string) => void told.add(message);
    const guest = await guestOnLan({ url: pinnedUrl(server, crashed.port) }, { logger, report });
    await guest.joinParty(PARTY, makePeer('pg'));
    // Nothing listens there any more (its host's LANrage crashed), still announced a while.
    await crashed.close();
    // Its retries over, the party ends as a host that left, never linked in plain.
    await waitFor(() => guest.parties.size === 0, 15_000);
    expect(guest.status().plainLink).not.toBe(true);
    expect(logger.messages('warn')).toContainEqual(
      expect.stringMatching(
        /ECONNREFUSED.*; not trying ws:\/\/127\.0\.0\.1:\d+\/ws: it served TLS$/,
      ),
    );
    expect([...told]).toEqual([]);
  });

  it('whose TLS port takes no answer while it is still announced: a firewall may be why', async () => {
    const server = await lanHost();
    const firewall = await tapped(server.tls!.port);
    const told = new Set<string>();
    const report = (message: string) => void told.add(message);
    const lan = { url: pinnedUrl(server, firewall.port) };
    const guest = await guestOnLan(lan, { report, connectTimeoutMs: 300 });
    await guest.joinParty(PARTY, makePeer('pg'));
    firewall.hang();
    // Told while its host is still tried (its retries then end the party as a host that left).
    await waitFor(() => told.size > 0, 10_000);
    expect(guest.parties.has(PARTY)).toBe(true);
    expect(guest.status().plainLink).not.toBe(true);
    expect([...told]).toEqual([
      'The host of LAN stopped answering on its encrypted port, and LANrage does not reach it ' +
        'unencrypted instead: its firewall may have changed, or something on your network blocks it.',
    ]);
  });

  it('whose TLS port takes no answer and then is announced no more: its host is gone, not walled off', async () => {
    const server = await lanHost();
    const powerCut = await tapped(server.tls!.port);
    const told = new Set<string>();
    const report = (message: string) => void told.add(message);
    const lan: Lan = { url: pinnedUrl(server, powerCut.port) };
    const logger = new MemoryLogger();
    const guest = await guestOnLan(lan, { logger, report, connectTimeoutMs: 300 });
    await guest.joinParty(PARTY, makePeer('pg'));
    powerCut.hang();
    // The first dial fails while still announced; its announcement then expires.
    const failed = () => logger.messages('info').some((line) => /unreachable/.test(line));
    await waitFor(failed, 5000);
    lan.gone = true;
    await waitFor(() => guest.parties.size === 0, 15_000);
    expect([...told]).toEqual([]);
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
