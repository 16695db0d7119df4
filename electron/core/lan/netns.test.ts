/**
 * LAN parties on a real LAN: network namespaces joined by a bridge (netns-lan.ts), one
 * LANrage app (the real app core, lan-app-instance.ts) in each. The host's app serves the
 * party from its embedded control server on its LAN address and advertises it by multicast
 * DNS; the others find it under "Parties nearby" and join it through the same handlers the
 * UI calls. Needs root and iproute2 (CI has both); skipped, saying why, elsewhere.
 *
 * Timings: the issue asks for a party to appear within 3 s and to disappear within 10 s of
 * its host quitting or crashing; the measured figures are printed for the README.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteLink } from '../../../shared/invite';
import { waitFor } from '../test-util/child-process';
import { LanApp } from '../test-util/lan-app-driver';
import { makeTempDir } from '../test-util/temp-dir';
import { bundled } from '../../../server/test-util/bundles';
import {
  createNetnsLan,
  netnsUnavailable,
  nftUnavailable,
  type LanHost,
  type NetnsLan,
} from '../test-util/netns-lan';

const run = promisify(execFile);
const skipReason = await netnsUnavailable();
const noFirewall = await nftUnavailable();
const APPEAR_MS = 3000;
const DISAPPEAR_MS = 10_000;
const figures: Record<string, number> = {};

let lan: NetnsLan;
let used = 0;

async function apps(...names: string[]): Promise<LanApp[]> {
  const made = names.map(
    (name) => new LanApp(lan, lan.hosts[used++]!, { LANRAGE_PEER_NAME: name }),
  );
  await Promise.all(made.map((m) => m.started()));
  return made;
}

const seesOnLan = (who: LanApp, partyId: string) => () =>
  who.nearby.some((p) => p.party_id === partyId && p.where === 'lan');
const gone = (who: LanApp, partyId: string) => () => !who.nearbyIds().includes(partyId);
const members = (who: LanApp) => JSON.stringify(who.peers);

/** The far ends (`address:port`) of a namespace's established TCP connections. */
async function connectionsFrom(host: LanHost): Promise<string[]> {
  const ss = ['netns', 'exec', host.ns, 'ss', '-Htn', 'state', 'established'];
  const { stdout } = await run('ip', ss, { timeout: 10_000 });
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+/).at(-1)!);
}

/** Where the control server keeps its data (one server per run). */
let dataDirs: ReturnType<typeof makeTempDir>;

/** The control server in a namespace, on its LAN address; resolves with its URL. */
async function serverIn(host: LanHost): Promise<{ url: string; proc: ChildProcess }> {
  const proc = lan.spawnIn(
    host,
    process.execPath,
    [bundled('cli'), '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDirs.dir],
    { stdio: 'pipe' },
  );
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 15_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = /listening on ws:\/\/[^:]+:(\d+)\/ws/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return { url: `ws://${host.address}:${port}`, proc };
}

describe.skipIf(skipReason !== null)(
  `LAN parties across network namespaces${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    beforeAll(async () => {
      lan = await createNetnsLan(13);
      dataDirs = makeTempDir('lanrage-netns-server-');
    });
    afterAll(async () => {
      await lan?.destroy();
      dataDirs?.cleanup();
      console.log('LAN figures (ms):', JSON.stringify(figures));
    });

    it('host in one namespace; the others find it by mDNS and join; everyone sees everyone; a member leaves; the host quits', async () => {
      const [alice, bob, carol, dave] = await apps('Alice', 'Bob', 'Carol', 'Dave');
      // From the click on Create: the party is served, then announced.
      const hostedAt = Date.now();
      const partyId = (await alice!.call({ op: 'host', name: 'LAN Night' })) as string;
      await Promise.all([bob, carol, dave].map((w) => waitFor(seesOnLan(w!, partyId), APPEAR_MS)));
      figures.appear_ms = Date.now() - hostedAt;
      expect(dave!.nearby.find((p) => p.party_id === partyId)).toMatchObject({
        name: 'LAN Night',
        host_name: 'Alice',
        peer_count: 1,
        online_count: 1,
        where: 'lan',
        address: alice!.host.address,
      });

      await bob!.call({ op: 'join', partyId });
      // Carol by Alice's invite link, which names her PC's certificate; Bob's link to her
      // is TLS with that certificate too.
      expect(alice!.hostPin).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(bob!.hostPin).toBe(alice!.hostPin);
      // A link naming another certificate is not Alice's party: Dave is told, and stays out.
      const forged = inviteLink(partyId, undefined, null, 'A'.repeat(43));
      await expect(dave!.call({ op: 'join', partyId: forged })).rejects.toThrow(
        /is not the host your invite link names/,
      );
      await carol!.call({
        op: 'join',
        partyId: inviteLink(partyId, undefined, null, alice!.hostPin),
      });
      const everyone = JSON.stringify(['Alice', 'Bob', 'Carol']);
      await waitFor(() => [alice!, bob!, carol!].every((a) => members(a) === everyone), 5000);
      // The advertised member count follows the party; members are not offered their own.
      const seen = () => dave!.nearby.find((p) => p.party_id === partyId);
      await waitFor(() => seen()?.peer_count === 3 && seen()?.online_count === 3, 5000);
      expect(bob!.nearbyIds()).not.toContain(partyId);

      await carol!.call({ op: 'leave' });
      const two = JSON.stringify(['Alice', 'Bob']);
      await waitFor(() => [alice!, bob!].every((a) => members(a) === two), 5000);

      const quitAt = Date.now();
      await alice!.call({ op: 'quit' });
      await Promise.all([carol, dave].map((w) => waitFor(gone(w!, partyId), DISAPPEAR_MS)));
      figures.disappear_after_quit_ms = Date.now() - quitAt;
      await waitFor(() => bob!.peers === null, DISAPPEAR_MS);
      expect(bob!.ended).toBe('host_left');
    });

    it('a host that crashes (SIGKILL, no goodbye) leaves the lists within 10 s', async () => {
      const [erin, frank] = await apps('Erin', 'Frank');
      const partyId = (await erin!.call({ op: 'host', name: 'Crash Night' })) as string;
      await waitFor(seesOnLan(frank!, partyId), APPEAR_MS);
      const crashedAt = Date.now();
      await erin!.crash();
      await waitFor(gone(frank!, partyId), DISAPPEAR_MS);
      figures.disappear_after_crash_ms = Date.now() - crashedAt;
      // Not a goodbye in disguise: the cache held it until its TTL ran out.
      expect(figures.disappear_after_crash_ms).toBeGreaterThan(1000);
    });

    it('the fallback: the control server goes away, the host carries on in local mode, and a LAN instance joins', async () => {
      const server = await serverIn(lan.hosts[used]!);
      const [gina] = await apps('Gina');
      const [hank] = await apps('Hank');
      await gina!.call({ op: 'settings', control_server: server.url });
      await waitFor(() => gina!.status === 'connected', 10_000);
      const partyId = (await gina!.call({ op: 'host', name: 'Server Night' })) as string;
      // On a server, the party is not advertised on the LAN.
      await new Promise((r) => setTimeout(r, 1500));
      expect(hank!.nearbyIds()).not.toContain(partyId);
      server.proc.kill('SIGKILL');
      const lostAt = Date.now();
      // The seed's 5 attempts, 5 s apart, then local mode: the party is hosted here.
      await waitFor(seesOnLan(hank!, partyId), 45_000);
      figures.fallback_listed_after_server_loss_ms = Date.now() - lostAt;
      expect(gina!.status).toBe('offline');
      await hank!.call({ op: 'join', partyId });
      const both = JSON.stringify(['Gina', 'Hank']);
      await waitFor(() => [gina!, hank!].every((a) => members(a) === both), 5000);
    }, 90_000);

    it('a LAN stranger without the password cannot join; a policy change is announced; the host leaving withdraws the party', async () => {
      const [ivy, jack, kim] = await apps('Ivy', 'Jack', 'Kim');
      const partyId = (await ivy!.call({
        op: 'host',
        name: 'Private Night',
        password: 'letmein-42',
      })) as string;
      // Found by mDNS like any party: the LAN is not trusted, the host's server decides.
      await waitFor(seesOnLan(jack!, partyId), APPEAR_MS);
      await expect(jack!.call({ op: 'join', partyId })).rejects.toThrow(/password_required/);
      await expect(jack!.call({ op: 'join', partyId, password: 'guess-1234' })).rejects.toThrow(
        /wrong_password/,
      );
      expect(jack!.peers).toBeNull();
      expect(members(ivy!)).toBe(JSON.stringify(['Ivy']));
      await jack!.call({ op: 'join', partyId, password: 'letmein-42' });
      const both = JSON.stringify(['Ivy', 'Jack']);
      await waitFor(() => [ivy!, jack!].every((a) => members(a) === both), 5000);
      // Over TLS, at the port Ivy's app announced beside its plain one (8668, the default):
      // the password, Jack's session token and everything after crossed the LAN encrypted.
      const dialled = await connectionsFrom(jack!.host);
      expect(dialled).toContain(`${ivy!.host.address}:8669`);
      expect(dialled).not.toContain(`${ivy!.host.address}:8668`);

      // Parties nearby says who may join, and follows the host changing it.
      await waitFor(seesOnLan(kim!, partyId), APPEAR_MS);
      expect(kim!.nearby.find((p) => p.party_id === partyId)?.join_policy).toBe('password');
      await ivy!.call({ op: 'policy', join_policy: 'approval' });
      const policyOf = (who: LanApp) => who.nearby.find((p) => p.party_id === partyId)?.join_policy;
      await waitFor(() => policyOf(kim!) === 'approval', APPEAR_MS);

      // The host leaves (no hand-over): the party ends, and its server stops advertising.
      const leftAt = Date.now();
      await ivy!.call({ op: 'leave' });
      await waitFor(gone(kim!, partyId), DISAPPEAR_MS);
      figures.disappear_after_host_left_ms = Date.now() - leftAt;
      // Why it ended is reported just after the party itself goes.
      await waitFor(() => jack!.peers === null && jack!.ended === 'host_left', DISAPPEAR_MS);
    });

    it.skipIf(noFirewall !== null)(
      `a host's firewall that lets in its plain port alone: the guest joins unencrypted, and is told${noFirewall ? ` (skipped: ${noFirewall})` : ''}`,
      async () => {
        const [lena, milo] = await apps('Lena', 'Milo');
        await lan.refuseTcp(lena!.host, 8669);
        const partyId = (await lena!.call({ op: 'host', name: 'Firewalled Night' })) as string;
        await waitFor(seesOnLan(milo!, partyId), APPEAR_MS);
        await milo!.call({ op: 'join', partyId });
        const both = JSON.stringify(['Lena', 'Milo']);
        await waitFor(() => [lena!, milo!].every((a) => members(a) === both), 5000);
        expect(await connectionsFrom(milo!.host)).toContain(`${lena!.host.address}:8668`);
        expect(milo!.plainLink).toBe(true);
        expect(lena!.plainLink).toBe(false);
      },
    );
  },
);
