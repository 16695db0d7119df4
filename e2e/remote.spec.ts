/**
 * Remote mode: a real control server and two headless instances (Alice, Bob) with
 * separate LANRAGE_HOMEs, driven through the UI in Chromium.
 */
import { twoAppsOnServer } from './fixtures/apps';
import { startControlServer } from './fixtures/processes';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createParty, expectPeers, joinById, leave } from './fixtures/ui';

const setUp = (fixtures: Fixtures) => twoAppsOnServer(fixtures);

test('Alice creates a party, Bob joins by its ID, both see both; Bob leaves and vanishes from Alice', async ({
  cleanup,
  openUi,
}) => {
  const { handle, alice, bob } = await setUp({ cleanup, openUi });
  await expect(alice.getByTestId('status-bar')).toContainText(
    `Connected to 127.0.0.1:${handle.server.port}`,
  );
  await snap(alice, 'remote-home');

  await alice.getByTestId('settings-button').click();
  await expect(alice.getByTestId('settings-server')).toHaveValue(handle.server.url);
  await snap(alice, 'remote-settings');
  await alice.keyboard.press('Escape');
  await expect(alice.getByRole('dialog')).toBeHidden();

  const partyId = await createParty(alice, 'Gaming Night');

  await bob.getByTestId('open-join-dialog').click();
  await bob.getByTestId('join-input').fill(partyId);
  await snap(bob, 'remote-join-dialog');
  await bob.keyboard.press('Escape');
  await joinById(bob, partyId);

  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
  await expect(bob.getByTestId('party-name')).toHaveText('Gaming Night');
  await expect(bob.getByTestId('party-id')).toHaveText(partyId);
  await snap(alice, 'remote-party-view');
  const copyId = alice.getByTestId('copy-party-id');
  const before = await copyId.boundingBox();
  await copyId.click();
  await expect(copyId.locator('[data-shown="true"]')).toHaveText('Copied!');
  // Said in the label's place: the button keeps its size, so nothing beside it moves.
  expect(await copyId.boundingBox()).toEqual(before);
  expect(await alice.evaluate('navigator.clipboard.readText()')).toBe(partyId);

  const left = Date.now();
  await leave(bob);
  await expect(alice.getByTestId('peer-row')).toHaveCount(1, { timeout: 2000 });
  expect(Date.now() - left).toBeLessThan(2500);
  await expectPeers(alice, ['Alice'], 'Alice', 'Alice');
});

test('a malformed ID, an unknown party and an unreachable server each show their message; settings are validated', async ({
  cleanup,
  openUi,
}) => {
  const { handle, bob } = await setUp({ cleanup, openUi });
  const { server } = handle;
  await bob.getByTestId('open-join-dialog').click();
  const error = bob.getByTestId('join-error');

  await bob.getByTestId('join-input').fill('not a party id!');
  await bob.getByTestId('join-submit').click();
  await expect(error).toContainText('not a valid party ID');
  await snap(bob, 'remote-join-malformed');

  await bob.getByTestId('join-input').fill('lanrage://join/party_that_does_not_exist');
  await expect(error).toBeHidden();
  await bob.getByTestId('join-submit').click();
  await expect(error).toBeVisible();
  await expect(error).not.toContainText('not a valid party ID');
  // The app's own message for an unknown party names the ID the user typed.
  await expect(error).toContainText(/no party|not found|unknown/i);
  await expect(error).toContainText('party_that_does_not_exist');
  await expect(bob.getByTestId('join-submit')).toBeEnabled();
  await expect(bob.getByTestId('party-view')).toBeHidden();
  await snap(bob, 'remote-join-unknown');
  await bob.keyboard.press('Escape');

  // Settings: validated before saving, applied without a restart.
  await bob.getByTestId('settings-button').click();
  await bob.getByTestId('settings-server').fill('ftp://example.com');
  await bob.getByTestId('settings-save').click();
  await expect(bob.getByTestId('settings-error')).toContainText('ws://');
  await bob.getByTestId('settings-server').fill(server.url);
  await bob.getByTestId('settings-name').fill('Bobby');
  await bob.getByTestId('settings-save').click();
  await expect(bob.getByTestId('settings-dialog')).toBeHidden();
  await expect(bob.getByTestId('me-name')).toHaveText('Bobby');
  await expect(bob.getByTestId('status-bar')).toHaveAttribute('data-state', 'connected');

  // A server that cannot be reached gets its own message.
  await handle.server.process.kill('SIGKILL');
  await expect(bob.getByTestId('status-bar')).toHaveAttribute('data-state', 'reconnecting');
  await bob.getByTestId('open-join-dialog').click();
  await bob.getByTestId('join-input').fill('party_abc123');
  await bob.getByTestId('join-submit').click();
  await expect(error).toBeVisible({ timeout: 20_000 });
  await expect(error).not.toContainText('not a valid party ID');
  await expect(error).toContainText(/can't reach/i);
  await expect(bob.getByTestId('join-submit')).toBeEnabled();
  await snap(bob, 'remote-join-unreachable');
});

test('the server is killed and restarted: reconnecting, then connected with the party intact', async ({
  cleanup,
  openUi,
}) => {
  test.setTimeout(90_000);
  const { handle, alice, bob } = await setUp({ cleanup, openUi });
  const partyId = await createParty(alice, 'Survivors');
  await joinById(bob, partyId);
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');

  const { port, dataDir } = handle.server;
  await handle.server.process.kill('SIGKILL');
  for (const page of [alice, bob]) {
    await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'reconnecting');
    await expect(page.getByTestId('status-bar')).toContainText(
      `Can't reach 127.0.0.1:${port}, retrying every 5 s`,
    );
  }
  // Not "Send your friends the invite": nobody can join through it until it is back. Who can
  // join is the host's concern; the member is told its view may be out of date.
  await expect(alice.getByTestId('invite-hint')).toContainText(
    `LANrage can't reach 127.0.0.1:${port} right now: friends can join once it answers.`,
  );
  await expect(bob.getByTestId('invite-hint')).toContainText(
    `LANrage can't reach 127.0.0.1:${port} right now: what you see of the party may be out of date`,
  );
  await snap(alice, 'remote-reconnecting');

  handle.server = await startControlServer(dataDir, port);
  for (const page of [alice, bob]) {
    await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'connected', {
      timeout: 40_000,
    });
    await expect(page.getByTestId('party-id')).toHaveText(partyId);
    await expect(page.getByTestId('invite-hint')).toContainText('Send your friends');
  }
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
});
