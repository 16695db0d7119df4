/**
 * Local mode: no control server; two headless instances share one LANRAGE_HOME
 * (LANRAGE_INSTANCE a and b) and find each other's parties through discovery.json.
 */
import { startHeadless } from './fixtures/processes';
import { expect, snap, test } from './fixtures/test';
import { createParty, expectPeers, joinById, leave } from './fixtures/ui';

test('local mode: create, join from the discovered list and by pasting the ID, leave', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(90_000);
  const home = cleanup.tempDir('local');
  const start = async (peerName: string, instance: string) => {
    const headless = await startHeadless({ home, peerName, instance });
    cleanup.add(() => headless.process.kill());
    const page = await openUi(headless.url);
    await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'local');
    await expect(page.getByTestId('status-bar')).toContainText(
      'No server: only players on this PC can join',
    );
    return page;
  };
  const alice = await start('Alice', 'a');
  const bob = await start('Bob', 'b');
  await snap(alice, 'local-home');
  await alice.getByTestId('settings-button').click();
  await expect(alice.getByTestId('settings-server')).toHaveValue('');
  await snap(alice, 'local-settings');
  await alice.keyboard.press('Escape');
  await expect(alice.getByRole('dialog')).toBeHidden();

  const partyId = await createParty(alice, 'LAN Night');
  const listed = bob.locator(`[data-testid="discovered-party"][data-party-id="${partyId}"]`);
  await expect(listed).toBeVisible({ timeout: 15_000 });
  await expect(listed).toContainText('LAN Night');
  await snap(bob, 'local-discovered');

  await expect(listed).toContainText('on this PC');
  // Join goes through the join dialog, which shows the party before anything is sent.
  await listed.getByRole('button', { name: 'Join LAN Night' }).click();
  await expect(bob.getByTestId('invite-party-name')).toHaveText('LAN Night');
  await expect(bob.getByTestId('invite-where')).toContainText('on this PC');
  await bob.getByTestId('join-submit').click();
  await expect(bob.getByTestId('party-view')).toBeVisible();
  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
  await snap(alice, 'local-party-view');
  await alice.setViewportSize({ width: 360, height: 740 });
  await snap(alice, 'local-party-view-360px');

  await leave(bob);
  await expect(alice.getByTestId('peer-row')).toHaveCount(1, { timeout: 10_000 });

  await bob.getByTestId('open-join-dialog').click();
  await bob.getByTestId('join-input').fill(`lanrage://join/${partyId}`);
  await snap(bob, 'local-join-dialog');
  await bob.keyboard.press('Escape');
  await joinById(bob, `lanrage://join/${partyId}`);
  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');

  await leave(bob);
  await expect(alice.getByTestId('peer-row')).toHaveCount(1, { timeout: 10_000 });
});
