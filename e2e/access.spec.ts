/**
 * Private parties (issue 10) through the real UI: a real control server and headless
 * instances, one browser page each. Passwords, the host's approval, invite links, kick and
 * ban, with screenshots under e2e/artifacts/ and axe on each new screen.
 */
import { accessibleNames, checkLook, LOOKS } from './fixtures/a11y';
import { createWith, remoteSetUp, tryJoin } from './fixtures/access';
import { expect, snap, test } from './fixtures/test';
import { expectPeers, peerRow } from './fixtures/ui';
import { refusalSentence } from '../shared/protocol/refusals';

const look = LOOKS[0];

test('a password party: the join dialog asks for it, refuses a wrong one, lets the right one in', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(90_000);
  const { ui } = await remoteSetUp({ cleanup, openUi });
  const alice = await ui('Alice');
  const bob = await ui('Bob');

  await alice.getByTestId('create-party-name').fill('Secret Night');
  await alice.getByTestId('create-policy-password').check();
  await alice.getByTestId('create-party-button').click();
  await expect(alice.getByTestId('create-password-error')).toBeVisible();
  await checkLook(alice, 'access-create-password-missing', look);
  const partyId = await createWith(alice, 'Secret Night', {
    policy: 'password',
    password: 'hunter22',
  });
  await expect(alice.getByTestId('party-rules')).toContainText('Anyone with the password can join');

  await tryJoin(bob, partyId);
  const error = bob.getByTestId('join-error');
  await expect(error).toHaveText(refusalSentence('password_required'));
  await expect(bob.getByTestId('join-password')).toBeFocused();
  await checkLook(bob, 'access-join-password-required', look);

  await bob.getByTestId('join-password').fill('wrong guess');
  await bob.getByTestId('join-submit').click();
  await expect(error).toHaveText(refusalSentence('wrong_password'));
  await snap(bob, 'access-join-wrong-password');
  await expectPeers(alice, ['Alice'], 'Alice', 'Alice');

  await bob.getByTestId('join-password').fill('hunter22');
  await bob.getByTestId('join-submit').click();
  await expect(bob.getByTestId('party-view')).toBeVisible();
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
});

test('an approval party: the joiner waits, the host rejects, then accepts; a cancelled request goes away', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(90_000);
  const { ui } = await remoteSetUp({ cleanup, openUi });
  const alice = await ui('Alice');
  const bob = await ui('Bob');
  const partyId = await createWith(alice, 'Approved Only', { policy: 'approval' });

  await tryJoin(bob, partyId);
  // Joined by bare ID: the name comes from the party's summary.
  await expect(bob.getByTestId('join-waiting')).toHaveText(
    /Waiting for the host of Approved Only to let you in\.\.\./,
  );
  // Join's button was disabled under focus: the wait takes it, not <body>.
  await expect(bob.getByTestId('join-waiting').getByRole('status')).toBeFocused();
  // The wait is not tabbable: Shift+Tab from it stays in the dialog, the page behind is inert.
  for (let i = 0; i < 3; i += 1) {
    await bob.keyboard.press('Shift+Tab');
    await expect(bob.locator(':focus').locator('xpath=ancestor::*[@role="dialog"]')).toHaveCount(1);
  }
  await expect(bob.locator('main')).toHaveAttribute('inert', '');
  // What a screen reader gets: the dialog's controls, none of the page's (Settings, Browse's).
  const reachable = await accessibleNames(bob);
  expect(reachable).toContain('Cancel');
  expect(reachable).not.toContain('Settings');
  const request = alice.getByTestId('join-request');
  await expect(request).toHaveCount(1);
  await expect(request).toContainText('Bob');
  await checkLook(bob, 'access-join-waiting', look);
  await checkLook(alice, 'access-host-join-request', look);

  // Cancel withdraws the request: the host's list empties.
  await bob.getByTestId('join-cancel-wait').click();
  await expect(bob.getByTestId('join-dialog')).toBeHidden();
  await expect(request).toHaveCount(0);

  await tryJoin(bob, partyId);
  await expect(request).toHaveCount(1);
  await request.getByTestId('reject-join').click();
  await expect(bob.getByTestId('join-error')).toHaveText(refusalSentence('rejected'));
  await expect(request).toHaveCount(0);
  // The answered request took the focused button with it: focus is on the members' title.
  await expect(alice.locator('#members-title')).toBeFocused();
  await snap(bob, 'access-join-rejected');

  await bob.getByTestId('join-submit').click();
  await expect(request).toHaveCount(1);
  await request.getByTestId('accept-join').click();
  await expect(bob.getByTestId('party-view')).toBeVisible();
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
});

test('an invite-only party: a link from the invites panel lets one person in; the bare ID and a used-up link do not', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(120_000);
  const { ui } = await remoteSetUp({ cleanup, openUi });
  const alice = await ui('Alice');
  const partyId = await createWith(alice, 'Invited Only', { policy: 'invite_only' });

  await alice.getByTestId('invite-uses').fill('0');
  await alice.getByTestId('create-invite').click();
  await expect(alice.getByTestId('invite-uses-error')).toBeVisible();
  await alice.getByTestId('invite-uses').fill('1');
  await alice.getByTestId('invite-expiry').selectOption({ label: '1 hour' });
  await alice.getByTestId('create-invite').click();
  const item = alice.getByTestId('invite-item');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('invite-item-limits')).toHaveText(
    /expires in (59|60) min · 0 of 1 use/,
  );
  // At 360 px the item is below the fold: saying "Copied!" must not make the page taller.
  const size = alice.viewportSize();
  await alice.setViewportSize({ width: 360, height: 740 });
  const height = () => alice.evaluate<number>('document.documentElement.scrollHeight');
  const before = await height();
  await item.getByTestId('copy-invite-item').click();
  await expect(item.getByTestId('copy-invite-item')).toContainText('Copied!');
  expect(await height()).toBe(before);
  // Each invite is told apart by its link: shown there too, on one line cut with an ellipsis.
  const itemLink = item.getByTestId('invite-item-link');
  await expect(itemLink).toBeVisible();
  await itemLink.scrollIntoViewIfNeeded();
  await expect(itemLink).toHaveAttribute('title', /^lanrage:\/\/join\//);
  const [linkBox, itemBox] = [await itemLink.boundingBox(), await item.boundingBox()];
  expect(linkBox!.width, 'the link shows, within its item').toBeGreaterThan(100);
  expect(linkBox!.x + linkBox!.width).toBeLessThanOrEqual(itemBox!.x + itemBox!.width);
  expect(itemBox!.x, 'nothing scrolled sideways').toBeGreaterThanOrEqual(0);
  expect(itemBox!.x + itemBox!.width, 'the item fits the window').toBeLessThanOrEqual(360);
  expect(linkBox!.height, 'one line').toBeLessThan(30);
  await snap(alice, 'access-invite-item-360');
  if (size) await alice.setViewportSize(size);
  const link = String(await alice.evaluate('navigator.clipboard.readText()'));
  expect(link).toMatch(new RegExp(`^lanrage://join/${partyId}\\?invite=[a-z0-9]{22,}$`, 'i'));
  await checkLook(alice, 'access-invites-panel', look);

  // The bare ID is not enough, and Cid is told he needs a link (not that one expired).
  const cid = await ui('Cid');
  await tryJoin(cid, partyId);
  await expect(cid.getByTestId('join-error')).toHaveText(refusalSentence('invite_invalid', false));

  // The link, opened as a deep link, fills the dialog; Join gets Bob in.
  const bob = await ui('Bob', [link]);
  await expect(bob.getByTestId('join-dialog')).toContainText('Join this party?');
  await expect(bob.getByTestId('invite-party-name')).toHaveText('Invited Only');
  await expect(bob.getByTestId('join-input')).toHaveValue(link);
  await snap(bob, 'access-invite-deep-link');
  await bob.getByTestId('join-submit').click();
  await expect(bob.getByTestId('party-view')).toBeVisible();
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');

  // Used up by Bob's join, the link leaves the host's list; pasted by Cid, it is refused.
  await expect(item).toHaveCount(0);
  await expect(alice.getByTestId('no-invites')).toHaveText(/^No active invite links\./);
  await cid.getByTestId('join-input').fill(link);
  await cid.getByTestId('join-submit').click();
  await expect(cid.getByTestId('join-error')).toHaveText(refusalSentence('invite_invalid'));
  // Opened as a deep link now, it shows nothing of the private party, and says why before Join.
  const dan = await ui('Dan', [link]);
  await expect(dan.getByTestId('invite-needs-invite')).toHaveText(
    refusalSentence('invite_invalid'),
  );
  await expect(dan.getByTestId('invite-party-name')).toHaveCount(0);
  await snap(dan, 'access-invite-spent-link');

  // Revoke removes a link from the list.
  await alice.getByTestId('create-invite').click();
  await expect(item).toHaveCount(1);
  await alice.getByTestId('revoke-invite').click();
  await expect(item).toHaveCount(0);
  await expect(alice.getByTestId('no-invites')).toBeVisible();
});

test('the host kicks one member and bans another: each is told, the banned one stays out until unbanned', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(120_000);
  const { ui } = await remoteSetUp({ cleanup, openUi });
  const alice = await ui('Alice');
  const bob = await ui('Bob');
  const cid = await ui('Cid');
  const partyId = await createWith(alice, 'Strict Night');
  for (const page of [bob, cid]) {
    await tryJoin(page, partyId);
    await expect(page.getByTestId('party-view')).toBeVisible();
  }
  await expectPeers(alice, ['Alice', 'Bob', 'Cid'], 'Alice', 'Alice');

  // The member menu is reachable by keyboard.
  const bobMenu = peerRow(alice, 'Bob').getByTestId('member-menu');
  await bobMenu.focus();
  await alice.keyboard.press('Enter');
  await expect(bobMenu).toHaveAttribute('aria-expanded', 'true');
  await checkLook(alice, 'access-member-menu', look);
  // Tab past its last item shuts it: left open, it covered the next row's ⋯ under focus.
  for (let i = 0; i < 4; i += 1) await alice.keyboard.press('Tab');
  await expect(peerRow(alice, 'Cid').locator(':focus')).toHaveCount(1);
  await expect(bobMenu).toHaveAttribute('aria-expanded', 'false');
  await bobMenu.click();
  await peerRow(alice, 'Bob').getByTestId('kick-member').click();
  await expect(peerRow(alice, 'Bob')).toHaveCount(0);
  await expect(alice.locator('#members-title')).toBeFocused();
  await expect(bob.getByTestId('party-ended')).toContainText('Strict Night');
  await expect(bob.getByTestId('party-ended-reason')).toContainText(/removed you/i);
  await snap(bob, 'access-kicked');

  await peerRow(alice, 'Cid').getByTestId('member-menu').click();
  await peerRow(alice, 'Cid').getByTestId('ban-member').click();
  await expect(alice.getByTestId('ban-dialog')).toContainText('Ban Cid?');
  await checkLook(alice, 'access-ban-confirm', look);
  await alice.getByTestId('ban-confirm').click();
  await expect(alice.getByTestId('ban-dialog')).toBeHidden();
  await expectPeers(alice, ['Alice'], 'Alice', 'Alice');
  // Not the top of the page: Tab goes on from the members.
  await expect(alice.locator('#members-title')).toBeFocused();
  await expect(cid.getByTestId('party-ended-reason')).toContainText(/banned/i);
  await snap(cid, 'access-banned');

  // A kick is not a ban: Bob comes back. Cid is refused.
  await tryJoin(bob, partyId);
  await expect(bob.getByTestId('party-view')).toBeVisible();
  await tryJoin(cid, partyId);
  await expect(cid.getByTestId('join-error')).toHaveText(refusalSentence('banned'));

  await alice.getByTestId('open-party-settings').click();
  const ban = alice.getByTestId('ban-item');
  await expect(ban).toHaveCount(1);
  await expect(ban).toContainText('Cid');
  await checkLook(alice, 'access-party-settings', look);
  await ban.getByTestId('unban').click();
  await expect(ban).toHaveCount(0);
  await alice.keyboard.press('Escape');

  await cid.getByTestId('join-submit').click();
  await expect(cid.getByTestId('party-view')).toBeVisible();
  await expectPeers(alice, ['Alice', 'Bob', 'Cid'], 'Alice', 'Alice');

  // Make host from the keyboard: every ⋯ menu goes as Alice stops being host, and focus
  // waits on the members' title rather than the top of the page.
  await peerRow(alice, 'Bob').getByTestId('member-menu').focus();
  await alice.keyboard.press('Enter');
  await alice.keyboard.press('Tab');
  await expect(peerRow(alice, 'Bob').getByTestId('make-host')).toBeFocused();
  await alice.keyboard.press('Enter');
  await expect(peerRow(alice, 'Bob').getByTestId('host-badge')).toBeVisible();
  await expect(alice.getByTestId('member-menu')).toHaveCount(0);
  await expect(alice.locator('#members-title')).toBeFocused();
});
