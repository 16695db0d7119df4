/**
 * "Parties nearby" from the LAN: a party advertised by multicast DNS (on 127.0.0.1, on this
 * test's own port, so nothing reaches a real network) shows up in a local-mode instance
 * with where it is, opens the join dialog, passes axe, and leaves the list with its
 * host's goodbye. A host's TLS port that does not answer is said in the status bar. A party
 * another address announces too is shown without Join, and its host is told.
 */
import { LanDiscovery } from '../electron/core/lan/discovery';
import { openMdnsTransport } from '../electron/core/lan/mdns-transport';
import { systemClock } from '../shared/time/clock';
import { PROTOCOL_VERSION } from '../shared/protocol/protocol';
import { freeTcpPort } from '../server/test-util/ports';
import { checkEveryLook } from './fixtures/a11y';
import { mdnsPortFor, startHeadless } from './fixtures/processes';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createParty, expectPeers, joinById } from './fixtures/ui';

/**
 * Alice's app serving its parties on the LAN (127.0.0.1 here) and Bob's browsing it, on one
 * mDNS port of this test's own, each page open.
 */
async function hostAndBrowser({ cleanup, openUi }: Fixtures, tag: string) {
  const [aliceHome, bobHome] = [cleanup.tempDir(`${tag}-a`), cleanup.tempDir(`${tag}-b`)];
  const mdnsPort = await mdnsPortFor(aliceHome);
  const alice = await startHeadless({
    home: aliceHome,
    peerName: 'Alice',
    mdnsPort,
    lanListen: true,
  });
  cleanup.add(() => alice.process.kill());
  const bob = await startHeadless({ home: bobHome, peerName: 'Bob', mdnsPort });
  cleanup.add(() => bob.process.kill());
  const alicePage = await openUi(alice.url, { bypassCSP: true });
  const bobPage = await openUi(bob.url, { bypassCSP: true });
  return { alicePage, bobPage, mdnsPort };
}

test('a LAN party appears under Parties nearby, opens the join dialog, and goes with its goodbye', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(120_000);
  const home = cleanup.tempDir('lan');
  const headless = await startHeadless({ home, peerName: 'Bob' });
  cleanup.add(() => headless.process.kill());
  const page = await openUi(headless.url, { bypassCSP: true });
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'local');

  const transport = await openMdnsTransport({
    port: await mdnsPortFor(home),
    interface: '127.0.0.1',
  });
  const host = new LanDiscovery({ transport, clock: systemClock, hostName: 'lanrage-e2e.local' });
  cleanup.add(() => host.close());
  host.advertise({
    party_id: 'party_basement',
    name: 'Basement LAN',
    host_name: 'Dana',
    peer_count: 3,
    online_count: 2,
    max_peers: 8,
    protocol: '1.1',
    port: 8667,
  });

  const listed = page.locator('[data-testid="discovered-party"][data-party-id="party_basement"]');
  await expect(listed).toBeVisible({ timeout: 3000 });
  await expect(listed).toHaveAttribute('data-where', 'lan');
  await expect(listed).toContainText('Basement LAN');
  await expect(listed).toContainText('hosted by Dana · 3 of 8 players (2 online)');
  await expect(listed).toContainText('on your network · 127.0.0.1');
  await checkEveryLook(page, 'home-lan-nearby');

  await listed.getByRole('button', { name: 'Join Basement LAN' }).click();
  await expect(page.getByTestId('invite-party-name')).toHaveText('Basement LAN');
  await expect(page.getByTestId('invite-where')).toContainText('on your network at 127.0.0.1');
  await expect(page.getByTestId('join-input')).toHaveValue('party_basement');
  await checkEveryLook(page, 'join-lan-nearby');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  await host.close();
  await expect(listed).toBeHidden({ timeout: 3000 });
  await snap(page, 'home-lan-gone');
});

test('a LAN party’s invite link names its host’s certificate; a friend joins by it over TLS, a forged one is refused', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(120_000);
  const { alicePage, bobPage } = await hostAndBrowser({ cleanup, openUi }, 'lan-pin');
  const partyId = await createParty(alicePage, 'Pinned Night');
  const link = alicePage.getByTestId('invite-link');
  // And where Alice's PC answers, for a friend whose network blocks LAN discovery (`at`).
  await expect(link).toHaveText(
    new RegExp(`^lanrage://join/${partyId}\\?pin=[A-Za-z0-9_-]{43}(&at=[0-9.:,]+)?$`),
  );
  const invite = (await link.textContent()) ?? '';
  // What a guest's app names of her PC: the pin, and the address it reached her at, which
  // here (mDNS on loopback) is its own PC's, so none.
  const pinOnly = invite.replace(/&at=.*$/, '');
  await checkEveryLook(alicePage, 'party-lan-pin-link');

  const listed = bobPage.locator(`[data-testid="discovered-party"][data-party-id="${partyId}"]`);
  await expect(listed).toBeVisible({ timeout: 5000 });
  // Picked from the list, the party is joined as a link naming the certificate Alice's PC
  // announced: the PC listed, whoever else announces its ID by the time Bob presses Join.
  await listed.getByRole('button', { name: 'Join Pinned Night' }).click();
  await expect(bobPage.getByTestId('join-input')).toHaveValue(pinOnly);
  await bobPage.keyboard.press('Escape');
  // A link naming another certificate: refused, in words, and Bob stays out.
  await bobPage.getByTestId('open-join-dialog').click();
  await bobPage.getByTestId('join-input').fill(invite.replace(/pin=.*$/, `pin=${'A'.repeat(43)}`));
  await bobPage.getByTestId('join-input').press('Enter');
  await expect(bobPage.getByTestId('join-error')).toContainText(
    'that is not the host your invite link names, so LANrage did not join it',
  );
  await snap(bobPage, 'join-lan-pin-refused');
  await bobPage.keyboard.press('Escape');
  await joinById(bobPage, invite);
  await expectPeers(bobPage, ['Alice', 'Bob'], 'Alice', 'Bob');
  await expect(bobPage.getByTestId('status-plain-link')).toHaveCount(0);
  // Bob's own link to share names Alice's PC too, and so does an invite link Alice makes.
  await expect(bobPage.getByTestId('invite-link')).toHaveText(pinOnly);
  await alicePage.getByTestId('create-invite').click();
  await expect(alicePage.getByTestId('invite-item-link')).toHaveText(
    new RegExp(`^lanrage://join/${partyId}\\?invite=[A-Za-z0-9]+&${/pin=.*$/.exec(invite)![0]}$`),
  );
});

test('a clicked LAN invite link opened before its host’s PC is heard: the dialog looks, then names it', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(120_000);
  const [aliceHome, bobHome] = [cleanup.tempDir('lan-link-a'), cleanup.tempDir('lan-link-b')];
  const mdnsPort = await mdnsPortFor(aliceHome);
  const aliceEnv = { home: aliceHome, peerName: 'Alice', mdnsPort, lanListen: true };
  let alice = await startHeadless(aliceEnv);
  cleanup.add(() => alice.process.kill());
  const alicePage = await openUi(alice.url, { bypassCSP: true });
  await createParty(alicePage, 'Link Night');
  const invite = (await alicePage.getByTestId('invite-link').textContent()) ?? '';
  // Alice's app quits (her party is hosted again when it starts); Bob clicks her link meanwhile.
  await alice.process.kill();
  const bob = await startHeadless({ home: bobHome, peerName: 'Bob', mdnsPort, args: [invite] });
  cleanup.add(() => bob.process.kill());
  const bobPage = await openUi(bob.url, { bypassCSP: true });
  // Not heard yet is not "no such party": that sent gamers away from a party about to show.
  await expect(bobPage.getByTestId('invite-looking')).toContainText(
    'Looking for this party on your network…',
  );
  await expect(bobPage.getByTestId('invite-missing')).toHaveCount(0);
  alice = await startHeadless(aliceEnv);
  await expect(bobPage.getByTestId('invite-party-name')).toHaveText('Link Night', {
    timeout: 15_000,
  });
  await expect(bobPage.getByTestId('invite-host-name')).toHaveText('Alice');
  await expect(bobPage.getByTestId('join-input')).toHaveValue(invite);
  await bobPage.getByTestId('join-submit').click();
  await expectPeers(bobPage, ['Alice', 'Bob'], 'Alice', 'Bob');
});

test('a LAN host whose encrypted port does not answer is joined at its plain one, and the status bar says so', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(120_000);
  const [aliceHome, bobHome] = [cleanup.tempDir('lan-plain-a'), cleanup.tempDir('lan-plain-b')];
  const alice = await startHeadless({ home: aliceHome, peerName: 'Alice' });
  cleanup.add(() => alice.process.kill());
  const bob = await startHeadless({ home: bobHome, peerName: 'Bob' });
  cleanup.add(() => bob.process.kill());
  const alicePage = await openUi(alice.url, { bypassCSP: true });
  const bobPage = await openUi(bob.url, { bypassCSP: true });
  const partyId = await createParty(alicePage, 'Firewalled Night');
  const listening = await alicePage.getByTestId('status-listening').textContent();
  const port = Number(/port (\d+)/.exec(listening ?? '')?.[1]);

  // Alice's party as her app would announce it on a LAN, its TLS port behind a firewall.
  const transport = await openMdnsTransport({
    port: await mdnsPortFor(bobHome),
    interface: '127.0.0.1',
  });
  const announcer = new LanDiscovery({ transport, clock: systemClock, hostName: 'alice.local' });
  cleanup.add(() => announcer.close());
  announcer.advertise({
    ...{ party_id: partyId, name: 'Firewalled Night', host_name: 'Alice' },
    ...{ peer_count: 1, online_count: 1, max_peers: 8, protocol: PROTOCOL_VERSION, port },
    ...{ tls_port: await freeTcpPort(), tls_sha256: 'A'.repeat(43) },
  });
  const listed = bobPage.locator(`[data-testid="discovered-party"][data-party-id="${partyId}"]`);
  await expect(listed).toBeVisible({ timeout: 5000 });
  await joinById(bobPage, partyId);
  await expectPeers(bobPage, ['Alice', 'Bob'], 'Alice', 'Bob');
  await expect(bobPage.getByTestId('status-plain-link')).toHaveText(
    "Not encrypted: the host's PC did not answer on its encrypted port",
  );
  await expect(alicePage.getByTestId('status-plain-link')).toHaveCount(0);
  await checkEveryLook(bobPage, 'party-lan-plain-link');
});

test('a party a second PC announces too is shown without Join, its host is told, and it comes back', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(120_000);
  const { alicePage, bobPage, mdnsPort } = await hostAndBrowser({ cleanup, openUi }, 'lan-twice');
  const partyId = await createParty(alicePage, 'Twice Night');
  const listed = bobPage.locator(`[data-testid="discovered-party"][data-party-id="${partyId}"]`);
  await expect(listed.getByRole('button', { name: 'Join Twice Night' })).toBeVisible({
    timeout: 5000,
  });

  // A stranger at another loopback address announces Alice's party id as its own.
  const transport = await openMdnsTransport({ port: mdnsPort, interface: '127.0.0.2' });
  const stranger = new LanDiscovery({ transport, clock: systemClock, hostName: 'evil.local' });
  stranger.advertise({
    ...{ party_id: partyId, name: 'Twice Night', host_name: 'Alice' },
    ...{ peer_count: 1, max_peers: 8, protocol: PROTOCOL_VERSION, port: 8667 },
  });
  await expect(listed).toHaveAttribute('data-contested', 'true', { timeout: 5000 });
  await expect(listed).toContainText('ask the host for an invite link');
  await expect(listed.getByRole('button')).toHaveCount(0);
  await expect(alicePage.getByTestId('notice')).toContainText(
    'Another PC on your network (127.0.0.2) also announces your party.',
  );
  await checkEveryLook(bobPage, 'home-lan-contested');
  await snap(alicePage, 'party-lan-contested-notice');

  // The stranger stops (its goodbye): the party is Alice's alone again, and joinable.
  await stranger.close();
  await listed.getByRole('button', { name: 'Join Twice Night' }).click({ timeout: 5000 });
  await expect(bobPage.getByTestId('invite-party-name')).toHaveText('Twice Night');
});
