/**
 * A friend without the party's server (local mode, as after installing) opens an invite that
 * names it: the join dialog says where the party is and that joining switches servers; one
 * click later the friend is in the party on that server, and stays on it. On a first launch
 * the welcome comes first and offers that server. Real server and app processes.
 */
import type { Page } from '@playwright/test';
import { inviteLink } from '../shared/invite';
import { startControlServer, startHeadless } from './fixtures/processes';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createParty, expectPeers } from './fixtures/ui';

/** Alice hosts on a real server; Bob's app starts on the link a server's join page gives. */
async function invited({ cleanup, openUi }: Fixtures, firstRun: boolean) {
  const server = await startControlServer(cleanup.tempDir('server'));
  cleanup.add(() => server.process.kill());
  const host = await startHeadless({
    home: cleanup.tempDir('alice'),
    peerName: 'Alice',
    controlServer: server.url,
  });
  cleanup.add(() => host.process.kill());
  const alice = await openUi(host.url);
  const partyId = await createParty(alice, 'Quake Night');
  const link = inviteLink(partyId, undefined, server.url);
  const home = cleanup.tempDir('bob');
  const friend = await startHeadless({ home, peerName: 'Bob', args: [link], firstRun });
  cleanup.add(() => friend.process.kill());
  const bob = await openUi(friend.url);
  return { alice, bob, server, where: `127.0.0.1:${server.port}` };
}

async function expectJoinedThere(alice: Page, bob: Page, server: { url: string }, where: string) {
  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
  await expect(bob.getByTestId('status-bar')).toContainText(`Connected to ${where}`);
  await bob.getByTestId('settings-button').click();
  await expect(bob.getByTestId('settings-server')).toHaveValue(server.url);
}

test('an invite naming its server moves a friend without one there, on their word', async ({
  cleanup,
  openUi,
}) => {
  const { alice, bob, server, where } = await invited({ cleanup, openUi }, false);
  await expect(bob.getByTestId('status-bar')).toHaveAttribute('data-state', 'local');
  await expect(bob.getByTestId('join-dialog')).toBeVisible();
  await expect(bob.getByTestId('join-server')).toHaveText(
    `This party is on ${where}, and LANrage uses no server. Joining switches LANrage to ${where} (Settings can switch it back).`,
  );
  await snap(bob, 'invite-other-server');
  await bob.getByTestId('join-submit').click();
  await expectJoinedThere(alice, bob, server, where);
});

test('on a first launch the welcome comes first, offering the invite’s server, then the join', async ({
  cleanup,
  openUi,
}) => {
  const { alice, bob, server, where } = await invited({ cleanup, openUi }, true);
  await expect(bob.getByTestId('welcome-invited')).toHaveText(
    `You have an invite to a party on ${where}: LANrage asks you to join it once you are done here.`,
  );
  await expect(bob.getByTestId('join-dialog')).toHaveCount(0);
  await bob.getByTestId('welcome-next').click();
  await expect(bob.getByTestId('welcome-server')).toHaveValue(server.url);
  await bob.getByTestId('welcome-done').click();
  await expect(bob.getByTestId('join-dialog')).toBeVisible();
  await expect(bob.getByTestId('join-server')).toHaveCount(0);
  // Looked up once the welcome chose its server: the party's name, not the ID alone.
  await expect(bob.getByTestId('invite-party-name')).toHaveText('Quake Night');
  // Focus is in the dialog (not on the home heading behind it): Enter joins.
  await expect(bob.getByTestId('join-input')).toBeFocused();
  await bob.keyboard.press('Enter');
  // The dialog the link opened had no opener to give focus back to: the heading takes it.
  await expect(bob.getByTestId('party-name')).toBeFocused();
  await expectJoinedThere(alice, bob, server, where);
});
