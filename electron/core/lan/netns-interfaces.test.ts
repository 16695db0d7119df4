/**
 * LAN parties where a PC's networks are not one simple LAN, across network namespaces
 * (netns-lan.ts), one real LANrage app in each: a host plugged into two networks (Ethernet
 * and Wi-Fi, a second switch), a guest on each and one on both, and a host with no
 * multicast route (a PC without a default route). Needs root and iproute2 (CI has both);
 * skipped, saying why, elsewhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteLink } from '../../../shared/invite';
import { waitFor } from '../test-util/child-process';
import { LanApp } from '../test-util/lan-app-driver';
import {
  createNetnsLan,
  netnsUnavailable,
  nftUnavailable,
  type NetnsLan,
} from '../test-util/netns-lan';

const skipReason = await netnsUnavailable();
const noFirewall = await nftUnavailable();
const APPEAR_MS = 3000;
/**
 * Host 0 on both networks, 1 on the first, 2 on the second, 3 on both, 4 without a route;
 * the others on the first.
 */
const LANS = [[0, 1], [0], [1], [0, 1], [0], [0], [0], [0], [0], [0], [0], [0], [0], [0]];

let lan: NetnsLan;

/** `quick`: a silent link found lost in 6 s instead of 25, for the tests that wait on it. */
async function app(index: number, name: string, quick = false): Promise<LanApp> {
  const args = quick ? ['--quick-liveness'] : [];
  const made = new LanApp(lan, lan.hosts[index]!, { LANRAGE_PEER_NAME: name }, args);
  await made.started();
  return made;
}

const listedAt = (who: LanApp, partyId: string) =>
  who.nearby.find((p) => p.party_id === partyId && p.where === 'lan')?.address ?? null;
const members = (who: LanApp) => JSON.stringify(who.peers);

describe.skipIf(skipReason !== null)(
  `LAN parties on PCs with two networks or no multicast route${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    beforeAll(async () => {
      lan = await createNetnsLan(LANS.length, {
        lansOf: (i) => LANS[i]!,
        noMulticastRoute: [4],
      });
    });
    afterAll(async () => {
      await lan?.destroy();
    });

    it('a host on two networks is found, at its address there, and joined from each', async () => {
      const [erin, bob, fay, dual] = await Promise.all([
        app(0, 'Erin'),
        app(1, 'Bob'),
        app(2, 'Fay'),
        app(3, 'Dual'),
      ]);
      const partyId = (await erin.call({ op: 'host', name: 'Two Nets' })) as string;
      const [first, second] = erin.host.addresses;
      // It used to go out by the multicast route alone: Fay, on the other network, saw nothing.
      await waitFor(() => listedAt(fay, partyId) === second, APPEAR_MS);
      await waitFor(() => listedAt(bob, partyId) === first, APPEAR_MS);
      // Heard on both networks, from two addresses: the host's own, not a rival hiding it.
      await waitFor(() => listedAt(dual, partyId) !== null, APPEAR_MS);
      await new Promise((r) => setTimeout(r, 6000));
      expect(erin.host.addresses).toContain(listedAt(dual, partyId));

      await fay.call({ op: 'join', partyId });
      await bob.call({ op: 'join', partyId });
      const everyone = JSON.stringify(['Bob', 'Erin', 'Fay']);
      await waitFor(() => [erin, bob, fay].every((a) => members(a) === everyone), 5000);
    }, 90_000);

    it('a host without a multicast route is found on its LAN', async () => {
      const [gus, bob] = await Promise.all([app(4, 'Gus'), app(1, 'Bob')]);
      const partyId = (await gus.call({ op: 'host', name: 'No Route' })) as string;
      // Its announcements failed (ENETUNREACH) while its status bar said it was on the LAN.
      await waitFor(() => listedAt(bob, partyId) === gus.host.address, APPEAR_MS);
      await bob.call({ op: 'join', partyId });
      await waitFor(() => members(gus) === JSON.stringify(['Bob', 'Gus']), 5000);
    }, 90_000);

    it('a guest whose own network goes is told so, and is back in the party when it returns', async () => {
      const [hana, ivan] = await Promise.all([app(5, 'Hana', true), app(6, 'Ivan', true)]);
      const partyId = (await hana.call({ op: 'host', name: 'Cable Out' })) as string;
      await waitFor(() => listedAt(ivan, partyId) !== null, APPEAR_MS);
      await ivan.call({ op: 'join', partyId });
      const both = JSON.stringify(['Hana', 'Ivan']);
      await waitFor(() => members(hana) === both && members(ivan) === both, 5000);
      await lan.link(ivan.host, 'down');
      // The link is found silent within 6 s (25 s outside tests); then no route out of this PC.
      // It said "its PC may be asleep", about the host.
      await waitFor(() => ivan.words.startsWith('This PC has lost its network'), 20_000);
      await lan.link(ivan.host, 'up');
      await waitFor(
        () => !ivan.words.startsWith('This PC') && !ivan.words.startsWith('Wait'),
        15_000,
      );
      expect(members(ivan)).toBe(both);
    }, 90_000);

    it('a host whose own network goes is told so at once, not its guests shown online', async () => {
      const [lou, max] = await Promise.all([app(10, 'Lou', true), app(11, 'Max', true)]);
      const partyId = (await lou.call({ op: 'host', name: 'Host Cable Out' })) as string;
      await waitFor(() => listedAt(max, partyId) !== null, APPEAR_MS);
      await max.call({ op: 'join', partyId });
      const both = JSON.stringify(['Lou', 'Max']);
      await waitFor(() => members(lou) === both && members(max) === both, 5000);
      const downAt = Date.now();
      await lan.link(lou.host, 'down');
      // Its own server called Max online for a minute, and its bar stayed green.
      await waitFor(() => lou.words.startsWith('This PC has lost its network'), 5000);
      expect(Date.now() - downAt).toBeLessThan(5000);
      await lan.link(lou.host, 'up');
      await waitFor(() => !lou.words.startsWith('This PC'), 15_000);
      await waitFor(() => members(max) === both && !max.words.startsWith('Wait'), 30_000);
    }, 90_000);

    it.skipIf(noFirewall !== null)(
      `a PC whose firewall drops multicast is told it cannot search, and is not told a party ended${noFirewall ? ` (skipped: ${noFirewall})` : ''}`,
      async () => {
        const [nia, oz] = await Promise.all([app(12, 'Nia'), app(13, 'Oz')]);
        await lan.dropMulticast(oz.host);
        const partyId = (await nia.call({ op: 'host', name: 'Behind A Wall' })) as string;
        // Its browse queries fail (EPERM) from the first second: said within a few.
        await waitFor(() => oz.lanBlocked, 15_000);
        expect(oz.nearbyIds()).not.toContain(partyId);
        const started = Date.now();
        await expect(oz.call({ op: 'join', partyId })).rejects.toThrow(
          /not_found: LANrage has not heard party .* blocks LAN discovery \(multicast, UDP 5353\)/,
        );
        // Looked for a few seconds: it was "no such party" in 93 ms.
        expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
        expect(nia.lanBlocked).toBe(false);
        // Nia's invite link names her PC's address at its TLS port beside her certificate's
        // pin (`at=`): dialled at once, it gets Oz in without the mDNS Oz cannot send.
        await waitFor(() => nia.hostPin !== null && nia.hostAt !== null, 5000);
        expect(nia.hostAt).toEqual([`${nia.host.address}:8669`]);
        const link = inviteLink(partyId, undefined, null, nia.hostPin, nia.hostAt);
        const linked = Date.now();
        await oz.call({ op: 'join', partyId: link });
        const joinMs = Date.now() - linked;
        console.log(`joined by the link's address, mDNS blocked: ${joinMs} ms`);
        // Measured 74 to 182 ms in six runs (load 7 to 11); the mDNS look alone takes 3 s.
        expect(joinMs).toBeLessThan(2500);
        const both = JSON.stringify(['Nia', 'Oz']);
        await waitFor(() => members(nia) === both && members(oz) === both, 5000);
        expect([oz.hostPin, oz.plainLink]).toEqual([nia.hostPin, false]);
      },
      60_000,
    );

    it('the host’s address changes: its guests follow it, and its log is not flooded', async () => {
      const [jo, kay, lee] = await Promise.all([
        app(7, 'Jo', true),
        app(8, 'Kay', true),
        app(9, 'Lee', true),
      ]);
      const partyId = (await jo.call({ op: 'host', name: 'New Lease' })) as string;
      await waitFor(() => listedAt(kay, partyId) !== null, APPEAR_MS);
      await kay.call({ op: 'join', partyId });
      const both = JSON.stringify(['Jo', 'Kay']);
      await waitFor(() => members(jo) === both && members(kay) === both, 5000);
      // A new DHCP lease: the address goes, a moment without one, then another.
      const old = jo.host.address;
      const renewed = old.replace(/\.(\d+)$/, (_, n: string) => `.${Number(n) + 100}`);
      await lan.ipIn(jo.host, 'addr', 'del', `${old}/24`, 'dev', 'eth0');
      await new Promise((r) => setTimeout(r, 2000));
      await lan.ipIn(jo.host, 'addr', 'add', `${renewed}/24`, 'dev', 'eth0');
      await waitFor(() => listedAt(lee, partyId) === renewed, 10_000);
      // The link to the old address is found silent within 6 s; then Kay finds Jo again. The
      // wait between may be short (Jo already listed at the new address): it is looked for in
      // all Kay said, not polled for.
      const waited = () => [...kay.said].some((w) => w.startsWith('Wait'));
      await waitFor(
        () => waited() && !kay.words.startsWith('Wait') && members(kay) === both,
        30_000,
      );
      expect(kay.ended).toBeNull();
      // multicast-dns joins the group by address every 5 s: the new one's interface was in
      // it already, and each refusal was logged, forever.
      expect(jo.logged()).not.toMatch(/addMembership EADDRINUSE/);
    }, 90_000);
  },
);
