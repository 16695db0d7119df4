/**
 * Issue 8 in the real UI (headless instances in local mode): an invite link asks before
 * joining, a malformed one is a plain message, and a storage fault at start is shown to
 * the user while the app still works, a LANrage folder it cannot write included.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHeadless } from './fixtures/processes';
import { expect, snap, test } from './fixtures/test';
import { createParty, expectPeers } from './fixtures/ui';

test('an invite link opens the join dialog filled in, and joins only on confirm', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(90_000);
  const home = cleanup.tempDir('invite');
  const host = await startHeadless({ home, peerName: 'Alice', instance: 'a' });
  cleanup.add(() => host.process.kill());
  const alice = await openUi(host.url);
  const partyId = await createParty(alice, 'LAN Night');

  const link = `lanrage://join/${partyId}`;
  const guest = await startHeadless({ home, peerName: 'Bob', instance: 'b', args: [link] });
  cleanup.add(() => guest.process.kill());
  const bob = await openUi(guest.url);
  const dialog = bob.getByTestId('join-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Join this party?');
  await expect(bob.getByTestId('invite-party-name')).toHaveText('LAN Night');
  await expect(bob.getByTestId('invite-host-name')).toHaveText('Alice');
  await expect(bob.getByTestId('join-input')).toHaveValue(partyId);
  await snap(bob, 'invite-confirm');
  // Nothing was sent to the party while the dialog waits.
  await bob.waitForTimeout(1000);
  await expectPeers(alice, ['Alice'], 'Alice', 'Alice');

  await bob.getByTestId('join-submit').click();
  await expect(bob.getByTestId('party-view')).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(alice.getByTestId('peer-row')).toHaveCount(2);
});

test('a malformed invite link and a state file of the wrong kind are plain messages; the app works', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(60_000);
  const home = cleanup.tempDir('faults');
  mkdirSync(join(home, 'control_state.json'));
  const headless = await startHeadless({
    home,
    peerName: 'Carol',
    args: ['lanrage://join/party_%E0%A4%A'],
  });
  cleanup.add(() => headless.process.kill());
  const page = await openUi(headless.url);
  const notices = page.getByTestId('notice');
  await expect(notices).toHaveCount(2);
  await expect(notices.filter({ hasText: 'Your saved parties' })).toContainText(
    'could not be read: a folder is in its place',
  );
  const badLink = notices.filter({ hasText: 'Could not open the invite link' });
  await expect(badLink).toContainText('damaged');
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await expect(page.getByTestId('join-dialog')).toBeHidden();
  await snap(page, 'storage-fault-notices');

  await badLink.getByTestId('notice-dismiss').click();
  await expect(notices).toHaveCount(1);
  await createParty(page, 'Still works');
});

test('a LANrage folder it cannot write: the welcome still leads home, in words; parties work', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(60_000);
  // A file where the folder should be: root, which runs CI, may write anywhere else.
  const home = join(cleanup.tempDir('unwritable'), 'home');
  writeFileSync(home, 'not a folder');
  const headless = await startHeadless({ home, firstRun: true });
  cleanup.add(() => headless.process.kill());
  const page = await openUi(headless.url);
  await page.getByTestId('welcome-name').fill('Dana');
  await page.getByTestId('welcome-next').click();
  await page.getByTestId('welcome-mode-local').check();
  await page.getByTestId('welcome-done').click();
  await expect(page.locator('h1')).toHaveText('Host or join a party');
  await expect(page.getByTestId('me-name')).toHaveText('Dana');
  const notices = page.getByTestId('notice');
  await expect(notices.filter({ hasText: 'Your settings could not be saved' })).toContainText(
    'a file is where its folder should be. They apply until LANrage closes.',
  );
  await expect(notices.filter({ hasText: 'kept in memory only' })).toHaveCount(1);
  // Words, never the system's codes or the temporary file a write opened.
  await expect(notices.filter({ hasText: /ENOTDIR|EEXIST|\.tmp/ })).toHaveCount(0);
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await snap(page, 'unwritable-home-notices');
  await createParty(page, 'In memory');
  expect(readFileSync(home, 'utf8')).toBe('not a folder');
});
