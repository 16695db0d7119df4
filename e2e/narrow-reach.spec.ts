/**
 * At a phone's size (360×640) what a gamer must see next is in view, found on a walk through
 * the app: the member menu opened on the last row had Kick and Ban under the status bar,
 * Settings refused an empty name with focus on the field and its reason below the fold, the
 * mute shortcut's placeholder was cut, and a member's Leave party sat apart from the host's.
 */
import type { Locator, Page } from '@playwright/test';
import { createWith, remoteSetUp, tryJoin } from './fixtures/access';
import { expect, snap, test } from './fixtures/test';
import { createParty, joinById } from './fixtures/ui';

const PHONE = { viewport: { width: 360, height: 640 } };

/** The mute shortcut field's placeholder width and the room for it, in px (page code). */
const placeholderWidth = `(() => {
  const input = document.querySelector('[data-testid=settings-mute-shortcut]');
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.font;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [context.measureText(input.placeholder).width, room];
})()`;

/** How far Leave party ends from the party header's content edge on the right, in px. */
const rightGap = `(() => {
  const header = document.querySelector('.party-header');
  const style = getComputedStyle(header);
  const edge = parseFloat(style.paddingRight) + parseFloat(style.borderRightWidth);
  const room = header.getBoundingClientRect().right - edge;
  return room - document.querySelector('[data-testid=leave-party]').getBoundingClientRect().right;
})()`;

/** Whether `target` shows whole above the status bar (inside every box that clips it). */
async function expectShown(page: Page, target: Locator) {
  await expect(target).toBeInViewport({ ratio: 1 });
  const box = (await target.boundingBox())!;
  const bar = (await page.getByTestId('status-bar').boundingBox())!;
  expect(box.y + box.height, 'its bottom above the status bar').toBeLessThanOrEqual(bar.y + 0.5);
}

test('Leave party at the right for host and member; the last row menu shows Kick and Ban', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(60_000);
  const { ui } = await remoteSetUp({ cleanup, openUi });
  const alice = await ui('Alice', [], PHONE);
  const partyId = await createParty(alice, 'Friday Frag Night');
  const bob = await ui('Bob', [], PHONE);
  await joinById(bob, partyId);
  await expect(alice.getByTestId('peer-row')).toHaveCount(2);
  // A member's Leave party sits at the right of the header under the name, as the host's
  // tools do: it was at the left at this width, and at the right at 1280 px.
  for (const page of [alice, bob]) {
    const right = await page.evaluate<number>(rightGap);
    expect(right, 'px from Leave party to the right edge of the header').toBeLessThan(1);
  }
  await alice.getByTestId('member-menu').click();
  await expectShown(alice, alice.getByTestId('ban-member'));
  await expectShown(alice, alice.getByTestId('kick-member'));
  await snap(alice, 'narrow-reach-member-menu-360x640');
});

test('Settings refusing an empty name says why beside the field it focuses; no placeholder is cut', async ({
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
  // The field's label too: focus scrolled the input to the dialog's top edge, its "Display
  // name" just out of view above it (inside the dialog's scroll box, which clips it).
  await expectShown(
    bob,
    bob.getByTestId('settings-dialog').getByText('Display name', { exact: true }),
  );
  await snap(bob, 'narrow-reach-settings-error-360x640');
  // The mute shortcut's placeholder says all of itself: it read "…then press the ke".
  const [text, room] = await bob.evaluate<[number, number]>(placeholderWidth);
  expect(text, 'the placeholder, in px').toBeLessThanOrEqual(room);
});

/** Each card title's left edge in the party view, by its words (page code). */
const titleEdges = `(() => {
  const titles = document.querySelectorAll('.party-view .party-name, .party-view .section-title');
  return [...titles].map((t) => [t.textContent.trim(), Math.round(t.getBoundingClientRect().left)]);
})()`;

test('every card title in the party view starts at one x, at 1280 and at 360 px', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(60_000);
  const { ui } = await remoteSetUp({ cleanup, openUi });
  const alice = await ui('Alice', [], { viewport: { width: 1280, height: 800 } });
  const partyId = await createWith(alice, 'Friday Frag Night', { policy: 'approval' });
  const bob = await ui('Bob');
  await tryJoin(bob, partyId);
  // Waiting to join, Members, Voice, Screen sharing, Invite links, Activity and the header.
  await expect(alice.getByTestId('join-request')).toBeVisible();
  for (const size of [{ width: 1280, height: 800 }, PHONE.viewport]) {
    await alice.setViewportSize(size);
    const edges = await alice.evaluate<[string, number][]>(titleEdges);
    expect(edges.length, 'titles found').toBeGreaterThanOrEqual(7);
    // Members, Voice and Screen sharing started 4 px left of the others at 1280 (12 px in).
    for (const [title, x] of edges) expect(x, `${title} at ${size.width} px`).toBe(edges[0]![1]);
  }
});
