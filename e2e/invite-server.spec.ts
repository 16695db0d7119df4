/**
 * A fresh install (no server: local mode) opens an invite to a party on a control server: the
 * join dialog says where the party is and that joining switches servers; one click later the
 * friend is in the party on that server, and stays on it. Real server and app processes.
 */
import { inviteLink } from '../shared/invite';
import { startControlServer, startHeadless } from './fixtures/processes';
import { expect, snap, test } from './fixtures/test';
import { createParty, expectPeers } from './fixtures/ui';

test('an invite naming its server moves a friend without one there, on their word', async ({
  cleanup,
  openUi,
}) => {
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

  // The link a server's join page gives (its server named), opened as a clicked link is.
  const link = inviteLink(partyId, undefined, server.url);
  const friend = await startHeadless({
    home: cleanup.tempDir('bob'),
    peerName: 'Bob',
    args: [link],
  });
  cleanup.add(() => friend.process.kill());
  const bob = await openUi(friend.url);
  await expect(bob.getByTestId('status-bar')).toHaveAttribute('data-state', 'local');
  await expect(bob.getByTestId('join-dialog')).toBeVisible();
  const where = `127.0.0.1:${server.port}`;
  await expect(bob.getByTestId('join-server')).toHaveText(
    `This party is on ${where}, and LANrage uses no server. Joining switches LANrage to ${where} (Settings can switch it back).`,
  );
  await snap(bob, 'invite-other-server');
  await bob.getByTestId('join-submit').click();

  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
  await expect(bob.getByTestId('status-bar')).toContainText(`Connected to ${where}`);
  await bob.getByTestId('settings-button').click();
  await expect(bob.getByTestId('settings-server')).toHaveValue(server.url);
});
