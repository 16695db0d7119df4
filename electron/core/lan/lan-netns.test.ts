/**
 * LAN parties on a real LAN: network namespaces joined by a bridge (netns-lan.ts), one
 * LANrage instance process in each. The host runs the control server on its LAN address and
 * advertises by multicast DNS; the others find it under "Parties nearby" and join it as
 * clients. Needs root and iproute2 (CI has both); skipped, saying why, elsewhere.
 *
 * Timings: the issue asks for a party to appear within 3 s and to disappear within 10 s of
 * its host quitting or crashing; measured figures are printed for the README.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../test-util/child-process';
import { LanInstance } from '../test-util/lan-instance-driver';
import { createNetnsLan, netnsUnavailable, type NetnsLan } from '../test-util/netns-lan';

const skipReason = await netnsUnavailable();
const APPEAR_MS = 3000;
const DISAPPEAR_MS = 10_000;
const figures: Record<string, number> = {};

let lan: NetnsLan;
const instances: LanInstance[] = [];

async function instancesOn(count: number): Promise<LanInstance[]> {
  const made = lan.hosts
    .slice(instances.length, instances.length + count)
    .map((h) => new LanInstance(lan, h));
  instances.push(...made);
  await Promise.all(made.map((m) => m.started()));
  return made;
}

const sees = (who: LanInstance, partyId: string) => () => who.nearbyIds().includes(partyId);
const gone = (who: LanInstance, partyId: string) => () => !who.nearbyIds().includes(partyId);

describe.skipIf(skipReason !== null)(
  `LAN parties across network namespaces${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    beforeAll(async () => {
      lan = await createNetnsLan(6);
    });
    afterAll(async () => {
      await lan?.destroy();
      console.log('LAN figures (ms):', JSON.stringify(figures));
    });

    it('host in one namespace; the others find the party by mDNS, join, see everyone; a member leaves; the host quits', async () => {
      const [host, bob, carol] = await instancesOn(3);
      const port = await host!.call({
        op: 'host',
        partyId: 'party_lan1',
        name: 'LAN Night',
        peerId: 'alice',
      });
      const [tBob, tCarol] = await Promise.all([
        waitFor(sees(bob!, 'party_lan1'), APPEAR_MS),
        waitFor(sees(carol!, 'party_lan1'), APPEAR_MS),
      ]);
      figures.appear_ms = Math.max(tBob, tCarol);
      expect(bob!.nearby[0]).toMatchObject({
        address: host!.host.address,
        port,
        summary: { name: 'LAN Night', host_name: 'alice', peer_count: 1 },
      });

      expect(await bob!.call({ op: 'join', partyId: 'party_lan1', peerId: 'bob' })).toEqual([
        'alice',
        'bob',
      ]);
      expect(await carol!.call({ op: 'join', partyId: 'party_lan1', peerId: 'carol' })).toEqual([
        'alice',
        'bob',
        'carol',
      ]);
      const everyone = JSON.stringify(['alice', 'bob', 'carol']);
      await waitFor(
        () => [host!, bob!, carol!].every((i) => JSON.stringify(i.peers) === everyone),
        5000,
      );
      // The advertised member count follows the party.
      await waitFor(() => carol!.nearby[0]?.summary.peer_count === 3, 5000);

      await carol!.call({ op: 'leave' });
      await waitFor(
        () =>
          [host!, bob!].every((i) => JSON.stringify(i.peers) === JSON.stringify(['alice', 'bob'])),
        5000,
      );

      const quitAt = Date.now();
      await host!.call({ op: 'quit' });
      await Promise.all([
        waitFor(gone(bob!, 'party_lan1'), DISAPPEAR_MS),
        waitFor(gone(carol!, 'party_lan1'), DISAPPEAR_MS),
      ]);
      figures.disappear_after_quit_ms = Date.now() - quitAt;
    });

    it('a host that crashes (SIGKILL, no goodbye) leaves the lists within 10 s', async () => {
      const [host, dave] = await instancesOn(2);
      await host!.call({ op: 'host', partyId: 'party_lan2', name: 'Crash Night', peerId: 'erin' });
      await waitFor(sees(dave!, 'party_lan2'), APPEAR_MS);
      const crashedAt = Date.now();
      await host!.crash();
      await waitFor(gone(dave!, 'party_lan2'), DISAPPEAR_MS);
      figures.disappear_after_crash_ms = Date.now() - crashedAt;
      // Not a goodbye in disguise: the cache held it until its TTL ran out.
      expect(figures.disappear_after_crash_ms).toBeGreaterThan(1000);
    });

    // Issue 10's protocol is defined but its server does not check passwords yet; this case
    // becomes a test (host with join_policy "password", a stranger found it by mDNS and is
    // refused without it) once it does.
    it.todo('a LAN stranger without the password cannot join');
  },
);
