/**
 * At a phone's size (360×640) what a gamer must see next is in view, found on a walk through
 * the app: the member menu opened on the last row had Kick and Ban under the status bar, and
 * Settings refused an empty name with focus on the field and its reason below the fold.
 */
import type { Locator, Page } from '@playwright/test';
import { remoteSetUp } from './fixtures/access';
import { expect, snap, test } from './fixtures/test';
import { createParty, joinById } from './fixtures/ui';

const PHONE = { viewport: { width: 360, height: 640 } };

/** Whether `target` shows whole above the status bar (inside every box that clips it). */
async function expectShown(page: Page, target: Locator) {
  await expect(target).toBeInViewport({ ratio: 1 });
  const box = (await target.boundingBox())!;
  const bar = (await page.getByTestId('status-bar').boundingBox())!;
  expect(box.y + box.height, 'its bottom above the status bar').toBeLessThanOrEqual(bar.y + 0.5);
}

test('the member menu opened on the last row shows Kick and Ban above the status bar', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(60_000);
  const { ui } = await remoteSetUp({ cleanup, openUi });
  const alice = await ui('Alice', [], PHONE);
  const partyId = await createParty(alice, 'Friday Frag Night');
  const bob = await ui('Bob');
  await joinById(bob, partyId);
  await expect(alice.getByTestId('peer-row')).toHaveCount(2);
  await alice.getByTestId('member-menu').click();
  await expectShown(alice, alice.getByTestId('ban-member'));
  await expectShown(alice, alice.getByTestId('kick-member'));
  await snap(alice, 'narrow-reach-member-menu-360x640');
});

test('Settings refusing an empty name says why beside the field it focuses', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(60_000);
  const { ui } = await remoteSetUp({ cleanup, openUi });
  const bob = await ui('Bob', [], PHONE);
  await bob.getByTestId('settings-button').click();
  await bob.getByTestId('settings-name').fill('');
  await bob.getByTestId('settings-save').click();
  await expect(bob.getByTestId('settings-name')).toBeFocused();
  await expect(bob.getByTestId('settings-error')).toHaveText('Display name must not be empty');
  await expectShown(bob, bob.getByTestId('settings-error'));
  await snap(bob, 'narrow-reach-settings-error-360x640');
});
