/**
 * Local mode: no control server; two headless instances share one LANRAGE_HOME
 * (LANRAGE_INSTANCE a and b) and find each other's parties through discovery.json.
 */
import type { Page } from '@playwright/test';
import { startHeadless } from './fixtures/processes';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createWith } from './fixtures/access';
import { createParty, expectPeers, joinById, leave } from './fixtures/ui';

/** What is wrong with the party view's layout now (page code: our Node typings have no DOM). */
const LAYOUT_PROBLEMS = `(() => {
  const problems = [];
  const view = document.querySelector('[data-testid=party-view]');
  if (view.scrollWidth > view.clientWidth) problems.push('party view wider than its place');
  if (document.documentElement.scrollWidth > innerWidth) problems.push('page scrolls sideways');
  for (const td of document.querySelectorAll('td.col-status')) {
    if (td.scrollWidth > td.clientWidth + 1) problems.push('status cut: ' + td.textContent);
  }
  for (const th of document.querySelectorAll('.peer-table thead th')) {
    if (th.scrollWidth > th.clientWidth + 1) problems.push('header cut: ' + th.textContent);
  }
  for (const p of document.querySelectorAll('.status-bar p')) {
    const cs = getComputedStyle(p);
    const lineHeight = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.2;
    const lines = p.getBoundingClientRect().height / lineHeight;
    if (lines > 2.5) problems.push('status bar squeezed to ' + Math.round(lines) + ' lines');
  }
  for (const name of document.querySelectorAll('.peer-name')) {
    if (name.getBoundingClientRect().width < 24) problems.push('name squeezed: ' + name.textContent);
  }
  return problems;
})()`;

/** An instance of the app with no server in `home`, its page open, its status bar local. */
async function startLocal(
  { cleanup, openUi }: Fixtures,
  home: string,
  peerName: string,
  instance: string,
): Promise<Page> {
  const headless = await startHeadless({ home, peerName, instance });
  cleanup.add(() => headless.process.kill());
  const page = await openUi(headless.url);
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'local');
  await expect(page.getByTestId('status-bar')).toContainText(
    'No server: only players on this PC can join',
  );
  return page;
}

test('local mode: create, join from the discovered list and by pasting the ID, leave', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(90_000);
  const home = cleanup.tempDir('local');
  const alice = await startLocal({ cleanup, openUi }, home, 'Alice', 'a');
  const bob = await startLocal({ cleanup, openUi }, home, 'Bob', 'b');
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
  const bobBar = bob.getByTestId('status-text');
  await expect(bobBar).toHaveText('No server: in a party hosted on this PC');
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
  await snap(alice, 'local-party-view');
  // From the app's minimum width (720) down to a phone's: nothing runs off the side, no
  // status is cut off, every member's name keeps some room beside its badges.
  for (const width of [720, 360]) {
    await alice.setViewportSize({ width, height: 740 });
    expect(await alice.evaluate<unknown>(LAYOUT_PROBLEMS), `layout at ${width} px`).toEqual([]);
  }
  await snap(alice, 'local-party-view-360px');

  await leave(bob);
  await expect(alice.getByTestId('peer-row')).toHaveCount(1, { timeout: 10_000 });
  // Bob's link to Alice's app outlives his party: it said "in a party" long after he left.
  await expect(bobBar).toHaveText('No server: only players on this PC can join');

  await bob.getByTestId('open-join-dialog').click();
  await bob.getByTestId('join-input').fill(`lanrage://join/${partyId}`);
  await snap(bob, 'local-join-dialog');
  await bob.keyboard.press('Escape');
  await joinById(bob, `lanrage://join/${partyId}`);
  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');

  await leave(bob);
  await expect(alice.getByTestId('peer-row')).toHaveCount(1, { timeout: 10_000 });

  // Handed over, the party stays on Alice's app: each side is told so, and Bob's hint gives
  // the reach of the PC it runs on (it said "only players on this PC" from his own settings).
  await joinById(bob, partyId);
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
  await alice.getByTestId('leave-party').click();
  await expect(alice.getByTestId('leave-hand-over-note')).toContainText(
    'keeps running on this PC until you quit LANrage',
  );
  await alice.getByTestId('leave-confirm').click();
  await expect(alice.getByTestId('create-party-button')).toBeVisible();
  await expect(alice.getByTestId('status-listening')).toHaveText(
    /^Still serving LAN Night for Bob: hosting for this PC only, on port \d+$/,
  );
  await expectPeers(bob, ['Bob'], 'Bob', 'Bob');
  await expect(bob.getByTestId('invite-hint')).toHaveText(
    /^Another LANrage on this PC runs this party/,
  );
});

/**
 * A host who leaves stops this PC's embedded server; hosting again at once starts the next
 * one on the same port. Before 739558a about one such create in 60 failed "Can't reach the
 * server right now" (the app took its link to the stopping server for one to the new one).
 * That race is pinned by `hosting-lifecycle.test.ts`: too rare for five rounds here (this
 * test passed 3 times of 3 on the code before the fix). This is the path as a gamer clicks
 * it: every create answers, each party is new, and a friend finds and joins the last one.
 */
test('local mode: the host leaves and hosts again at once, and a friend joins the last party', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(90_000);
  const home = cleanup.tempDir('local-again');
  const alice = await startLocal({ cleanup, openUi }, home, 'Alice', 'a');
  const bob = await startLocal({ cleanup, openUi }, home, 'Bob', 'b');
  const ids: string[] = [];
  for (let round = 1; round <= 5; round++) {
    if (round > 1) await leave(alice);
    ids.push(await createParty(alice, `Round ${round}`));
    await expect(alice.getByRole('alert')).toHaveCount(0);
    await expectPeers(alice, ['Alice'], 'Alice', 'Alice');
  }
  expect(new Set(ids).size).toBe(ids.length);

  // Bob's list shows only the party Alice hosts now: the four she left are gone from it.
  const listed = bob.getByTestId('discovered-party');
  await expect(listed).toHaveCount(1, { timeout: 15_000 });
  await expect(listed).toHaveAttribute('data-party-id', ids.at(-1)!);
  await joinById(bob, ids.at(-1)!);
  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
});

test('a nearby party that wants a password says so, and Join asks for it at once', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(90_000);
  const home = cleanup.tempDir('local-password');
  const alice = await startLocal({ cleanup, openUi }, home, 'Alice', 'a');
  const bob = await startLocal({ cleanup, openUi }, home, 'Bob', 'b');
  const partyId = await createWith(alice, 'Locked Night', {
    policy: 'password',
    password: 'hunter22',
  });
  const listed = bob.locator(`[data-testid="discovered-party"][data-party-id="${partyId}"]`);
  await expect(listed.getByTestId('nearby-password')).toBeVisible({ timeout: 15_000 });
  await snap(bob, 'local-discovered-password');
  await listed.getByRole('button', { name: 'Join Locked Night' }).click();
  // Asked before the first try, not after the host refuses it.
  await expect(bob.getByTestId('join-password')).toBeVisible();
  await expect(bob.getByTestId('join-error')).toBeHidden();
  await snap(bob, 'local-join-password');
  await bob.getByTestId('join-password').fill('hunter22');
  await bob.getByTestId('join-submit').click();
  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
});
