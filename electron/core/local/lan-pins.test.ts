/**
 * A LAN party's host as an invite link names it (its certificate's pin): joined only there,
 * and found by that pin among every PC announcing the party, a stranger copying the pin
 * included (host-sources.ts, host-trust-plane.ts).
 */
import net, { type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { freeTcpPort } from '../../../server/test-util/ports';
import { Config } from '../config/config';
import { makePeer } from '../test-util/fixtures';
import { localEnv } from '../test-util/local-plane';
import { waitFor } from '../test-util/child-process';
import {
  guestOnLan,
  lanHost,
  PARTY,
  pinnedUrl,
  rig,
  tapped,
  useLanRig,
  type Lan,
} from '../test-util/lan-rig';
import { LocalControlPlane } from './control-plane';
import type { EmbeddedServer } from '../hosting/embedded/embedded-server';

useLanRig();

/** A TCP port that takes connections and never says anything on them. */
async function blackHole() {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    // Read (and dropped), or a peer's hang-up would never be seen here.
    sockets.add(socket.on('close', () => sockets.delete(socket)).resume());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rig.closers.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as net.AddressInfo;
  return { port, accepted: () => accepted, open: () => sockets.size };
}

describe('a LAN party joined by its invite link', () => {
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
      const env = { ...localEnv(rig.dir, `host${listen}`), LANRAGE_LAN_LISTEN: listen };
      const p = new LocalControlPlane(Config.load({ env }), { logger: new MemoryLogger() });
      rig.closers.push(() => p.close());
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
    // Listed nowhere while contested: by its ID alone it is not found, nor shown to a link.
    await expect(guest.joinParty(PARTY, makePeer('pg'))).rejects.toThrow('Party not found');
    expect(await guest.previewParty(PARTY)).toBeNull();
    const preview = await guest.previewParty(PARTY, server.tls!.sha256);
    // Its host and size as announced: the host's PartyInfo here holds no members.
    expect(preview).toMatchObject({
      party_id: PARTY,
      name: 'LAN',
      host_name: 'Pat',
      peer_count: 1,
    });
    await guest.joinParty(PARTY, makePeer('pg'), { hostPin: server.tls!.sha256 });
    expect(guest.linkUrl).toBe(home);
    // Its link cut, the guest finds its host among the claims again by the pin it kept.
    network.cut();
    await waitFor(() => network.accepted() === 2 && guest.linkUp, 10_000);
    expect(guest.linkUrl).toBe(home);
    expect(guest.parties.has(PARTY)).toBe(true);
    expect(impostorSeen.accepted()).toBe(0);
  });

  it('announced by a stranger copying its pin, is joined, relinked and restarted with', async () => {
    const server = await lanHost();
    const network = await tapped(server.tls!.port);
    const impostor = await lanHost('impostor');
    const impostorSeen = await tapped(impostor.tls!.port);
    const hostPin = server.tls!.sha256;
    // Heard first, naming the host's pin: its handshake shows its own certificate.
    const copied = pinnedUrl(impostor, impostorSeen.port).replace(impostor.tls!.sha256, hostPin);
    const home = pinnedUrl(server, network.port);
    const lan: Lan = { url: copied, rivals: [home], names: { [copied]: 'Free skins' } };
    const guest = await guestOnLan(lan);
    // The link's dialog names the party as its host announces it, not as the stranger does.
    expect(await guest.previewParty(PARTY, hostPin)).toMatchObject({ name: 'LAN' });
    await guest.joinParty(PARTY, makePeer('pg'), { hostPin });
    expect(guest.linkUrl).toBe(home);
    // Each look asks both once (a handshake, hung up); only the host is then dialled.
    expect([impostorSeen.accepted(), network.accepted()]).toEqual([2, 3]);
    network.cut();
    await waitFor(() => network.accepted() === 5 && guest.linkUp, 10_000);
    expect([guest.linkUrl, impostorSeen.accepted()]).toEqual([home, 3]);
    await waitFor(() => guest.myPartyId === PARTY, 3000);
    await guest.close();
    const back = await guestOnLan(lan);
    lan.announce?.();
    await waitFor(() => back.linkUp && back.linkUrl === home, 10_000);
    expect(back.parties.get(PARTY)?.peers.has('pg')).toBe(true);
    expect([impostorSeen.accepted(), network.accepted()]).toEqual([4, 7]);
    const members = (s: EmbeddedServer) => s.hostedParties()[0]?.peers.has('pg');
    expect([members(server), members(impostor)]).toEqual([true, false]);
  });

  it('announced with its pin from an address that never answers, is joined without waiting', async () => {
    const server = await lanHost();
    const hole = await blackHole();
    const hostPin = server.tls!.sha256;
    const silent = pinnedUrl(server, hole.port);
    const lan: Lan = { url: silent, rivals: [pinnedUrl(server)] };
    const guest = await guestOnLan(lan);
    await guest.joinParty(PARTY, makePeer('pg'), { hostPin });
    expect(guest.linkUrl).toBe(pinnedUrl(server));
    // Joined while the silent address still holds the one connection made to it, unanswered.
    expect([hole.accepted(), hole.open()]).toEqual([1, 1]);
  });
});
