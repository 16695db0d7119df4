/**
 * "<party> is back": a host's app that crashes (SIGKILL) ends its party for its guest ("The
 * host left"); started again, it hosts the party again, and the guest's window says the party
 * is back, with a Join that goes through the join dialog as Parties nearby's does.
 */
import type { Page } from '@playwright/test';
import { startHeadless, type HeadlessInstance } from './fixtures/processes';
import { expect, test, type Fixtures } from './fixtures/test';
import { createParty, expectPeers } from './fixtures/ui';

async function startLocal(
  { cleanup, openUi }: Fixtures,
  home: string,
  peerName: string,
  instance: string,
): Promise<{ page: Page; headless: HeadlessInstance }> {
  const headless = await startHeadless({ home, peerName, instance });
  cleanup.add(() => headless.process.kill());
  const page = await openUi(headless.url);
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'local');
  return { page, headless };
}

test('a party whose host app crashed and came back is told back, and its Join rejoins', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(90_000);
  const home = cleanup.tempDir('party-back');
  const alice = await startLocal({ cleanup, openUi }, home, 'Alice', 'a');
  const bob = await startLocal({ cleanup, openUi }, home, 'Bob', 'b');
  const partyId = await createParty(alice.page, 'LAN Night');
  const listed = bob.page.locator(`[data-testid="discovered-party"][data-party-id="${partyId}"]`);
  await listed.getByRole('button', { name: 'Join LAN Night' }).click({ timeout: 15_000 });
  await bob.page.getByTestId('join-submit').click();
  await expectPeers(bob.page, ['Alice', 'Bob'], 'Alice', 'Bob');

  await alice.headless.process.kill('SIGKILL');
  await expect(bob.page.getByTestId('party-ended')).toContainText('The host left', {
    timeout: 15_000,
  });
  const notice = bob.page.getByTestId('notice').filter({ hasText: 'LAN Night is back' });
  await expect(notice).toHaveCount(0);

  await startLocal({ cleanup, openUi }, home, 'Alice', 'a');
  await expect(notice).toHaveText(/LAN Night is back: its host is hosting it again\./, {
    timeout: 15_000,
  });
  await expect(notice.getByTestId('notice-dismiss')).toBeVisible();
  await notice.getByTestId('notice-join').click();
  await expect(bob.page.getByTestId('invite-party-name')).toHaveText('LAN Night');
  await bob.page.getByTestId('join-submit').click();
  await expect(bob.page.getByTestId('party-view')).toBeVisible();
  await expectPeers(bob.page, ['Alice', 'Bob'], 'Alice', 'Bob');
  // Joined, the notice has done its work: it goes by itself.
  await expect(notice).toHaveCount(0);
});
