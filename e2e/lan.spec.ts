/**
 * "Parties nearby" from the LAN: a party advertised by multicast DNS (on 127.0.0.1, on this
 * test's own port, so nothing reaches a real network) shows up in a local-mode instance
 * with where it is, opens the join dialog, passes axe, and leaves the list with its
 * host's goodbye.
 */
import { LanDiscovery } from '../electron/core/lan/discovery';
import { openMdnsTransport } from '../electron/core/lan/mdns-transport';
import { systemClock } from '../shared/clock';
import { checkEveryLook } from './fixtures/a11y';
import { mdnsPortFor, startHeadless } from './fixtures/processes';
import { expect, snap, test } from './fixtures/test';

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

  const transport = await openMdnsTransport({ port: mdnsPortFor(home), interface: '127.0.0.1' });
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
  await expect(listed).toContainText('hosted by Dana · 3 players (2 online)');
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
