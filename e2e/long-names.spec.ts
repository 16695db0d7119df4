/**
 * Names at their limit (64 characters, no space in them) at a phone's width: each box that
 * shows one wraps it, so nothing runs past the window's edge and every button stays in reach,
 * and each name takes two lines at most (names.css). A helper found the party-ended banner's
 * Dismiss off screen and the leave dialog's choices past the dialog; a review found an activity
 * line cut as one sentence ("BBBB…": joined? banned?), and the invite preview and the ban
 * dialog whole only on hover.
 */
import { startHeadless } from './fixtures/processes';
import { expect, snap, test } from './fixtures/test';
import { createWith } from './fixtures/access';
import { byKeyboard, expectNamesFit, linesOf, overTwoLines } from './fixtures/names';

const PARTY = 'W'.repeat(64);

/** What inside `selector` ends past the window's right edge (page code, as a string). */
const overflowIn = (selector: string) => `(() => {
  const out = [];
  if (document.documentElement.scrollWidth > innerWidth) out.push('the page scrolls sideways');
  for (const el of document.querySelectorAll('${selector}, ${selector} *')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > innerWidth + 1) {
      out.push(el.tagName.toLowerCase() + ' "' + el.textContent.slice(0, 20) + '" ends at ' + Math.round(box.right));
    }
  }
  return out;
})()`;

/**
 * Each activity line's words after the name ("joined") not shown whole inside its line and the
 * list's box, as "text: why" (page code, as a string).
 */
const restOutside = `(() => {
  const list = document.querySelector('[data-testid=activity-list]').getBoundingClientRect();
  return [...document.querySelectorAll('[data-testid=activity-entry]')].flatMap((li) => {
    const rest = li.querySelector('[data-testid=activity-rest]');
    if (!rest) return [li.textContent.slice(-20) + ': no words apart from the name'];
    const box = li.getBoundingClientRect();
    return [...rest.getClientRects()]
      .filter((r) => r.bottom > box.bottom + 0.5 || r.right > box.right + 0.5 ||
        r.right > list.right + 0.5 || r.width === 0)
      .map((r) => rest.textContent + ': ends at ' + Math.round(r.bottom) + ' below the line');
  });
})()`;

test('64-character names at 360 px: nearby list, invite preview, wait, request, activity, leave dialog and party-ended banner fit, each name on two lines at most, dialogs whole by keyboard', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(60_000);
  const home = cleanup.tempDir('long-names');
  const open = async (peerName: string, instance: string, args: string[] = []) => {
    const headless = await startHeadless({ home, peerName, instance, args });
    cleanup.add(() => headless.process.kill());
    return openUi(headless.url, { viewport: { width: 360, height: 740 } });
  };
  const alice = await open('A'.repeat(64), 'a');
  const partyId = await createWith(alice, PARTY, { policy: 'approval' });
  // Parties nearby, on another app of this PC: the party's and its host's names.
  const carol = await open('Carol', 'c');
  await expect(carol.getByTestId('discovered-party')).toContainText(PARTY);
  await expectNamesFit(carol, '[data-testid=discovered-party]', 2);
  await carol.getByTestId('discovered-party').scrollIntoViewIfNeeded();
  await snap(carol, 'long-names-nearby-360px');
  // An invite link opens the dialog with the party's name and its host's.
  const bob = await open('B'.repeat(64), 'b', [`lanrage://join/${partyId}`]);
  await expect(bob.getByTestId('invite-host-name')).toHaveText('A'.repeat(64));
  expect(await bob.evaluate<unknown>(overflowIn('[data-testid=join-dialog]'))).toEqual([]);
  expect(await bob.evaluate<unknown>(overflowIn('[data-testid=discovered-party]'))).toEqual([]);
  await expectNamesFit(bob, '[data-testid=invite-summary]', 2);
  await snap(bob, 'long-names-invite-preview-360px');
  // By keyboard, the dialog's button shows its names whole (no Tab stop per name).
  await byKeyboard(bob, bob.getByTestId('join-submit'));
  expect(await linesOf(bob, '[data-testid=invite-party-name]')).toBeGreaterThan(2.5);
  await snap(bob, 'long-names-invite-preview-focused-360px');
  await bob.getByTestId('join-submit').click();
  await expect(bob.getByTestId('join-waiting')).toContainText(PARTY);
  expect(await bob.evaluate<unknown>(overflowIn('[data-testid=join-dialog]'))).toEqual([]);
  await expect(alice.getByTestId('join-request')).toContainText('B'.repeat(64));
  expect(await alice.evaluate<unknown>(overflowIn('[data-testid=join-requests]'))).toEqual([]);
  await expectNamesFit(alice, '[data-testid=join-request]', 1);
  expect(await overTwoLines(alice, '[data-testid=party-name]')).toEqual([]);
  await snap(alice, 'long-names-join-request-360px');
  await alice.getByTestId('accept-join').click();
  await expect(alice.getByTestId('peer-row')).toHaveCount(2);
  await expect(bob.getByTestId('party-view')).toBeVisible();
  // The activity line cuts the name, never what happened: "BBB…" then "joined", in the list.
  const entry = alice.getByTestId('activity-entry').first();
  await expect(entry).toHaveAttribute('title', `${'B'.repeat(64)} joined`);
  await expect(entry.getByTestId('activity-rest')).toHaveText(' joined');
  expect(await alice.evaluate<unknown>(restOutside)).toEqual([]);
  expect(await overTwoLines(alice, '[data-testid=activity-entry] .name-clamp')).toEqual([]);
  await entry.scrollIntoViewIfNeeded();
  await snap(alice, 'long-names-activity-360px');
  // Leave sits among the host's tools at their height (it was 39 px beside their 28).
  const heights = await alice.evaluate<number[]>(
    `[...document.querySelectorAll('.party-tools button')].map((b) => b.offsetHeight)`,
  );
  expect(heights.length).toBeGreaterThanOrEqual(3);
  expect(new Set(heights).size).toBe(1);

  // The ban dialog names him in its title and its text: two lines each; Cancel bans no one.
  await alice.getByTestId('member-menu').click();
  await alice.getByTestId('ban-member').click();
  await expect(alice.getByTestId('ban-dialog')).toContainText(`Ban ${'B'.repeat(64)}?`);
  expect(await alice.evaluate<unknown>(overflowIn('[data-testid=ban-dialog]'))).toEqual([]);
  await expectNamesFit(alice, '[data-testid=ban-dialog]', 2);
  await snap(alice, 'long-names-ban-dialog-360px');
  // Opened by mouse it cuts the name; by keyboard on its buttons, both show it whole.
  await byKeyboard(alice, alice.getByTestId('ban-confirm'));
  expect(
    await linesOf(alice, '[data-testid=ban-dialog] .dialog-title .name-clamp'),
  ).toBeGreaterThan(2.5);
  expect(await linesOf(alice, '[data-testid=ban-dialog] p .name-clamp')).toBeGreaterThan(2.5);
  await snap(alice, 'long-names-ban-dialog-focused-360px');
  await alice.getByTestId('ban-dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(alice.getByTestId('ban-dialog')).toBeHidden();

  await alice.getByTestId('leave-party').click();
  await expect(alice.getByTestId('leave-dialog')).toContainText(`Hand over to ${'B'.repeat(64)}`);
  expect(await alice.evaluate<unknown>(overflowIn('[data-testid=leave-dialog]'))).toEqual([]);
  await expectNamesFit(alice, '[data-testid=leave-dialog]', 1);
  await snap(alice, 'long-names-leave-dialog-360px');

  await alice.getByTestId('leave-end').check();
  await alice.getByTestId('leave-confirm').click();
  await expect(bob.getByTestId('party-ended')).toContainText(PARTY);
  expect(await bob.evaluate<unknown>(overflowIn('[data-testid=party-ended]'))).toEqual([]);
  await expect(bob.getByTestId('dismiss-ended')).toBeInViewport();
  await expectNamesFit(bob, '[data-testid=party-ended]', 1);
  await snap(bob, 'long-names-party-ended-360px');
  await bob.getByTestId('dismiss-ended').click();
  await expect(bob.getByTestId('party-ended')).toBeHidden();
});
